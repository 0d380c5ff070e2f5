/**
 * `mqbroker`: reads argv, broker.conf and NAMESRV_ADDR, starts a BrokerController, writes the ready file, and
 * shuts down gracefully on SIGTERM/SIGINT. Nothing else lives here (STYLE §1).
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  BrokerController,
  brokerConfigFromProperties,
  resolveBrokerConfig,
} from '@rocketmq-ts/broker';
import type { BrokerConfig } from '@rocketmq-ts/broker';
import { createJsonLinesLogger, parseJavaProperties } from '@rocketmq-ts/protocol';
import type { LogLevel } from '@rocketmq-ts/protocol';
import { USAGE, parseCommandLine } from './command-line.js';

/** The keys `-m` prints (Java's @ImportantField set, as far as this broker has them). */
const IMPORTANT_KEYS: readonly (keyof BrokerConfig)[] = [
  'brokerClusterName',
  'brokerName',
  'brokerId',
  'brokerRole',
  'brokerIP1',
  'listenPort',
  'haListenPort',
  'namesrvAddr',
  'storePathRootDir',
  'flushDiskType',
  'autoCreateTopicEnable',
  'autoCreateSubscriptionGroup',
  'brokerPermission',
];

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
    fields: { component: 'broker' },
  });
  const props = cli.configFile
    ? parseJavaProperties(readFileSync(cli.configFile, 'utf8'))
    : new Map<string, string>();
  const fromFile = brokerConfigFromProperties(props, (key) =>
    logger.warn('unknown config key ignored', { key, file: cli.configFile }),
  );
  const home = process.env.HOME ?? homedir();
  const config = resolveBrokerConfig({
    // RocketMQ's defaults that depend on the host: the store under user.home, name servers from the environment.
    storePathRootDir: join(home, 'store'),
    namesrvAddr: process.env.NAMESRV_ADDR ?? '',
    ...fromFile,
    ...(cli.namesrvAddr !== undefined ? { namesrvAddr: cli.namesrvAddr } : {}),
  });
  if (cli.printConfig || cli.printImportantConfig) {
    const keys = cli.printConfig ? (Object.keys(config) as (keyof BrokerConfig)[]) : IMPORTANT_KEYS;
    for (const key of keys) {
      const value = config[key];
      if (key === 'store') {
        for (const [k, v] of Object.entries(config.store)) {
          if (typeof v !== 'object') console.log(`${k}=${String(v)}`);
        }
      } else if (typeof value !== 'object') console.log(`${key}=${String(value)}`);
    }
    return;
  }
  if (config.namesrvAddr === '') {
    logger.warn(
      'no name server address (-n, namesrvAddr or NAMESRV_ADDR): clients cannot find this broker',
    );
  }
  const broker = new BrokerController({ config, logger });
  await broker.start();
  // Operators and scripts look for this line (BrokerStartup prints it).
  console.log(
    `The broker[${config.brokerName}, ${broker.brokerAddr}] boot success. serializeType=JSON and name server is ${config.namesrvAddr}`,
  );
  if (cli.readyFile) {
    const tmp = `${cli.readyFile}.tmp`;
    await writeFile(
      tmp,
      JSON.stringify({
        pid: process.pid,
        listenPort: broker.port,
        haListenPort: broker.haPort ?? 0,
      }),
    );
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
    broker.close().then(
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
  console.error(`mqbroker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
