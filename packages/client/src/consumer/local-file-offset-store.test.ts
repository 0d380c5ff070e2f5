import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOOP_LOGGER } from '@rocketmq-ts/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MQClientError } from '../errors.js';
import { LocalFileOffsetStore } from './local-file-offset-store.js';

const q0 = { topic: 'TopicTest', brokerName: 'broker-a', queueId: 0 };
const q1 = { topic: 'TopicTest', brokerName: 'broker-a', queueId: 1 };

describe('LocalFileOffsetStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function store(): LocalFileOffsetStore {
    return new LocalFileOffsetStore({
      offsetStoreDir: dir,
      clientId: '127.0.0.1@c1',
      group: 'bg',
      logger: NOOP_LOGGER,
    });
  }

  it('writes Java’s OffsetSerializeWrapper JSON under <dir>/<clientId>/<group>/offsets.json and reads it back', async () => {
    const s = store();
    await s.load();
    expect(await s.readOffset(q0, 'READ_FROM_STORE')).toBe(-1);
    s.updateOffset(q0, 42, false);
    s.updateOffset(q1, 7, false);
    s.updateOffset(q1, 5, true);
    await s.persistAll([q0, q1]);
    expect(s.path).toBe(join(dir, '127.0.0.1@c1', 'bg', 'offsets.json'));
    const text = await readFile(s.path, 'utf8');
    expect(text).toContain('{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:42');
    expect(text.startsWith('{"offsetTable":{')).toBe(true);
    // The temp file was renamed over the target.
    expect(await readdir(join(dir, '127.0.0.1@c1', 'bg'))).toEqual(['offsets.json']);

    const again = store();
    await again.load();
    expect(await again.readOffset(q0, 'READ_FROM_MEMORY')).toBe(42);
    expect(await again.readOffset(q1, 'READ_FROM_STORE')).toBe(7);
  });

  it('leaves queues not given to persistAll out of the file', async () => {
    const s = store();
    s.updateOffset(q0, 1, false);
    s.updateOffset(q1, 2, false);
    await s.persistAll([q1]);
    const again = store();
    expect(await again.readOffset(q0, 'READ_FROM_STORE')).toBe(-1);
    expect(await again.readOffset(q1, 'READ_FROM_STORE')).toBe(2);
  });

  it('refuses to start on a corrupt file, naming it', async () => {
    const s = store();
    await mkdir(join(dir, '127.0.0.1@c1', 'bg'), { recursive: true });
    await writeFile(s.path, '{"offsetTable":');
    await expect(s.load()).rejects.toBeInstanceOf(MQClientError);
    await expect(s.load()).rejects.toThrow(/offsets\.json/);
  });
});
