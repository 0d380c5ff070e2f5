/**
 * `mqnamesrv`: reads argv and the `-c` properties file, starts a NameServer, writes the ready file, and stops on
 * SIGTERM/SIGINT. Nothing else lives here (STYLE §1).
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NameServer, resolveNamesrvConfig } from '@rocketmq-ts/namesrv';
import { createJsonLinesLogger, parseJavaProperties } from '@rocketmq-ts/protocol';
import type { LogLevel } from '@rocketmq-ts/protocol';
import { USAGE, parseCommandLine } from './command-line.js';
import { namesrvConfigFromProperties } from './namesrv-properties.js';

async function main(): Promise<void> {
  const cli = parseCommandLine(process.argv.slice(2));
  if (cli.help) {
    console.log(USAGE);
    return;
  }
  const level = (cli.logLevel ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new Error(`unknown log level ${level}\n${USAGE}`);
  const logger = createJsonLinesLogger({
    write: (line) => process.stdout.write(line),
    level,
    fields: { component: 'namesrv' },
  });
  const props = cli.configFile
    ? parseJavaProperties(readFileSync(cli.configFile, 'utf8'))
    : new Map<string, string>();
  const fromFile = namesrvConfigFromProperties(props, (key) =>
    logger.warn('unknown config key ignored', { key, file: cli.configFile }),
  );
  // RocketMQ keeps the KV store under user.home/namesrv.
  const home = process.env.HOME ?? homedir();
  const config = resolveNamesrvConfig({
    kvConfigPath: join(home, 'namesrv', 'kvConfig.json'),
    ...fromFile,
    logger,
  });
  if (cli.printConfig) {
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'object' && typeof value !== 'function')
        console.log(`${key}=${String(value)}`);
    }
    return;
  }
  const server = new NameServer(config);
  await server.start();
  // Operators and scripts look for this line (NamesrvStartup prints it).
  console.log(`The Name Server boot success. serializeType=JSON, address 0.0.0.0:${server.port}`);
  if (cli.readyFile) {
    const tmp = `${cli.readyFile}.tmp`;
    await writeFile(tmp, JSON.stringify({ pid: process.pid, listenPort: server.port }));
    await rename(tmp, cli.readyFile);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      logger.warn('second signal, exiting without a clean shutdown', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`mqnamesrv: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
