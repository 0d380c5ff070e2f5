import { readFile } from 'node:fs/promises';
import { ConfigError, parseJavaProperties } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { brokerConfigFromProperties } from './broker-properties.js';
import { BROKER_DEFAULTS, brokerStoreConfig, resolveBrokerConfig } from './config.js';

const ROOT = { storePathRootDir: '/tmp/rmq-store' };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveBrokerConfig', () => {
  it('applies RocketMQ defaults and derives the HA port and brokerIP2', () => {
    const c = resolveBrokerConfig(ROOT);
    expect(c).toMatchObject({
      ...BROKER_DEFAULTS,
      haListenPort: 10912,
      brokerIP2: '127.0.0.1',
      store: {},
    });
    expect(c.brokerClusterName).toBe('DefaultCluster');
    expect(c.listenPort).toBe(10911);
    expect(c.registerNameServerPeriod).toBe(30_000);
    expect(c.brokerPermission).toBe(6);
    expect(c.defaultTopicQueueNums).toBe(8);
    expect(c.maxMessageSize).toBe(4_194_304);
    expect(c.regionId).toBe('DefaultRegion');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.store)).toBe(true);
  });

  it('makes every port ephemeral when listenPort is 0 and keeps an explicit HA port otherwise', () => {
    expect(resolveBrokerConfig({ ...ROOT, listenPort: 0, haListenPort: 5000 }).haListenPort).toBe(
      0,
    );
    expect(
      resolveBrokerConfig({ ...ROOT, listenPort: 20911, haListenPort: 30000 }).haListenPort,
    ).toBe(30000);
    expect(resolveBrokerConfig({ ...ROOT, listenPort: 20911, haListenPort: 0 }).haListenPort).toBe(
      20912,
    );
  });

  it('refuses ports outside 0..65535 naming the key', () => {
    expect(configError(() => resolveBrokerConfig({ ...ROOT, listenPort: 70000 })).key).toBe(
      'listenPort',
    );
    expect(configError(() => resolveBrokerConfig({ ...ROOT, listenPort: 65535 })).key).toBe(
      'haListenPort',
    );
    expect(configError(() => resolveBrokerConfig({ ...ROOT, listenPort: 1.5 })).value).toBe(1.5);
  });

  it('forces masters to brokerId 0 and requires a positive brokerId of a slave', () => {
    expect(resolveBrokerConfig({ ...ROOT, brokerRole: 'SYNC_MASTER', brokerId: 3 }).brokerId).toBe(
      0,
    );
    expect(resolveBrokerConfig({ ...ROOT, brokerRole: 'SLAVE', brokerId: 2 }).brokerId).toBe(2);
    const error = configError(() => resolveBrokerConfig({ ...ROOT, brokerRole: 'SLAVE' }));
    expect(error.key).toBe('brokerId');
    expect(error.value).toBe(0);
  });

  it('clamps registerNameServerPeriod to 10..60 seconds', () => {
    expect(
      resolveBrokerConfig({ ...ROOT, registerNameServerPeriod: 1000 }).registerNameServerPeriod,
    ).toBe(10_000);
    expect(
      resolveBrokerConfig({ ...ROOT, registerNameServerPeriod: 600_000 }).registerNameServerPeriod,
    ).toBe(60_000);
  });

  it('refuses bad roles, permissions, sizes, name server lists and a missing store root', () => {
    const bad: [Partial<Parameters<typeof resolveBrokerConfig>[0]>, string][] = [
      [{ brokerRole: 'MASTER' as 'SLAVE' }, 'brokerRole'],
      [{ brokerPermission: 9 }, 'brokerPermission'],
      [{ defaultTopicQueueNums: 0 }, 'defaultTopicQueueNums'],
      [{ namesrvAddr: '127.0.0.1:9876;nohost' }, 'namesrvAddr'],
      [{ flushDiskType: 'NO_FLUSH' as 'SYNC_FLUSH' }, 'flushDiskType'],
      [{ brokerName: ' ' }, 'brokerName'],
      [{ storePathRootDir: '' }, 'storePathRootDir'],
    ];
    for (const [input, key] of bad) {
      expect(configError(() => resolveBrokerConfig({ ...ROOT, ...input })).key).toBe(key);
    }
  });

  it('has RocketMQ 4.9.8 defaults for the master/slave keys', () => {
    expect(resolveBrokerConfig(ROOT)).toMatchObject({
      haMasterAddress: '',
      haSendHeartbeatInterval: 5000,
      haHousekeepingInterval: 20_000,
      haTransferBatchSize: 32_768,
      haSlaveFallbehindMax: 268_435_456,
      slaveTimeout: 3000,
      slaveReadEnable: false,
      accessMessageInMemoryMaxRatio: 40,
      offsetCheckInSlave: false,
    });
  });

  it('refuses non-positive HA intervals and sizes, a ratio outside 0..100 and a bad haMasterAddress', () => {
    const bad: [Partial<Parameters<typeof resolveBrokerConfig>[0]>, string, unknown][] = [
      [{ haSendHeartbeatInterval: 0 }, 'haSendHeartbeatInterval', 0],
      [{ haHousekeepingInterval: -1 }, 'haHousekeepingInterval', -1],
      [{ haTransferBatchSize: 1.5 }, 'haTransferBatchSize', 1.5],
      [{ haSlaveFallbehindMax: 0 }, 'haSlaveFallbehindMax', 0],
      [{ slaveTimeout: 0 }, 'slaveTimeout', 0],
      [{ accessMessageInMemoryMaxRatio: 101 }, 'accessMessageInMemoryMaxRatio', 101],
      [{ accessMessageInMemoryMaxRatio: -1 }, 'accessMessageInMemoryMaxRatio', -1],
      [{ haMasterAddress: 'nohost' }, 'haMasterAddress', 'nohost'],
    ];
    for (const [input, key, value] of bad) {
      const error = configError(() => resolveBrokerConfig({ ...ROOT, ...input }));
      expect(error.key).toBe(key);
      expect(error.value).toBe(value);
    }
    expect(resolveBrokerConfig({ ...ROOT, accessMessageInMemoryMaxRatio: 0 })).toMatchObject({
      accessMessageInMemoryMaxRatio: 0,
    });
    expect(
      resolveBrokerConfig({ ...ROOT, haMasterAddress: ' 10.0.0.1:10912 ' }).haMasterAddress,
    ).toBe('10.0.0.1:10912');
  });

  it('builds store options from the top-level store keys and the passthrough', () => {
    const c = resolveBrokerConfig({
      ...ROOT,
      flushDiskType: 'SYNC_FLUSH',
      maxMessageSize: 1024,
      store: { fileReservedTime: 48 },
    });
    expect(brokerStoreConfig(c)).toEqual({
      storePathRootDir: '/tmp/rmq-store',
      flushDiskType: 'SYNC_FLUSH',
      maxMessageSize: 1024,
      fileReservedTime: 48,
    });
  });
});

describe('brokerConfigFromProperties', () => {
  it('maps a real broker.conf onto broker and store keys and warns about unknown keys', async () => {
    const text = await readFile(new URL('../test/fixtures/broker.conf', import.meta.url), 'utf8');
    const unknown: string[] = [];
    const input = brokerConfigFromProperties(parseJavaProperties(text), (key) => unknown.push(key));
    expect(unknown).toEqual(['aclEnable']);
    expect(input).toEqual({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      brokerRole: 'ASYNC_MASTER',
      flushDiskType: 'ASYNC_FLUSH',
      namesrvAddr: '127.0.0.1:9876;127.0.0.2:9876',
      listenPort: 10921,
      brokerIP1: '192.168.0.10',
      autoCreateTopicEnable: false,
      storePathRootDir: '/data/rocketmq/store',
      store: {
        deleteWhen: '04',
        fileReservedTime: 48,
        mappedFileSizeCommitLog: 67_108_864,
        messageIndexEnable: false,
        diskMaxUsedSpaceRatio: 88,
      },
    });
    const c = resolveBrokerConfig({ storePathRootDir: '/x', ...input });
    expect(c.haListenPort).toBe(10922);
    expect(c.brokerIP2).toBe('192.168.0.10');
  });

  it('reads the master/slave keys of a slave broker.conf without unknown-key warnings', () => {
    const text = [
      'brokerRole=SLAVE',
      'brokerId=1',
      'haMasterAddress=10.0.0.1:10912',
      'haSendHeartbeatInterval=4000',
      'haHousekeepingInterval=15000',
      'haTransferBatchSize=65536',
      'haSlaveFallbehindMax=1048576',
      'slaveTimeout=2500',
      'slaveReadEnable=true',
      'accessMessageInMemoryMaxRatio=30',
      'offsetCheckInSlave=TRUE',
    ].join('\n');
    const unknown: string[] = [];
    const input = brokerConfigFromProperties(parseJavaProperties(text), (key) => unknown.push(key));
    expect(unknown).toEqual([]);
    expect(resolveBrokerConfig({ ...ROOT, ...input })).toMatchObject({
      brokerRole: 'SLAVE',
      brokerId: 1,
      haMasterAddress: '10.0.0.1:10912',
      haSendHeartbeatInterval: 4000,
      haHousekeepingInterval: 15_000,
      haTransferBatchSize: 65_536,
      haSlaveFallbehindMax: 1_048_576,
      slaveTimeout: 2500,
      slaveReadEnable: true,
      accessMessageInMemoryMaxRatio: 30,
      offsetCheckInSlave: true,
      store: {},
    });
  });

  it('refuses a bad int, boolean or enum naming the key and value', () => {
    const cases: [string, string][] = [
      ['listenPort', '10911x'],
      ['autoCreateTopicEnable', 'yes'],
      ['brokerRole', 'MASTER'],
      ['fileReservedTime', '4.5'],
      ['messageIndexEnable', '1'],
      ['slaveReadEnable', 'on'],
      ['accessMessageInMemoryMaxRatio', '40%'],
    ];
    for (const [key, value] of cases) {
      const error = configError(() =>
        brokerConfigFromProperties(new Map([[key, value]]), () => undefined),
      );
      expect(error.key).toBe(key);
      expect(error.value).toBe(value);
      expect(error.message).toContain(value);
    }
  });
});
