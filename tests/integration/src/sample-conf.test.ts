import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokerConfigFromProperties, resolveBrokerConfig } from '@rocketmq-ts/broker';
import { parseJavaProperties } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';

const CONF = fileURLToPath(new URL('../../../conf/', import.meta.url));

async function sampleFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(CONF, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(conf|properties)$/.test(entry.name)) {
      out.push(join(entry.parentPath, entry.name));
    }
  }
  return out.sort();
}

describe('the sample broker configs in conf/', () => {
  it('parse with known keys only and resolve to the roles their directory names promise', async () => {
    const files = await sampleFiles();
    expect(files.length).toBe(11);
    for (const file of files) {
      const unknown: string[] = [];
      const input = brokerConfigFromProperties(
        parseJavaProperties(await readFile(file, 'utf8')),
        (key) => unknown.push(key),
      );
      expect(unknown, file).toEqual([]);
      const config = resolveBrokerConfig({ storePathRootDir: '/unused', ...input });
      const isSlave = file.endsWith('-s.properties');
      expect(config.brokerRole === 'SLAVE', file).toBe(isSlave);
      if (file.includes('2m-2s-sync') && !isSlave) expect(config.brokerRole).toBe('SYNC_MASTER');
    }
  });
});
