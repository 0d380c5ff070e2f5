import { ConfigError, createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { AllocateMessageQueueAveragelyByCircle } from './allocate-strategies.js';
import { PUSH_CONSUMER_DEFAULTS, resolvePushConsumerConfig } from './push-consumer-config.js';
import type { PushConsumerConfigInput } from './push-consumer-config.js';

const base = { consumerGroup: 'cg', namesrvAddr: '127.0.0.1:9876' };

function rejects(input: Partial<PushConsumerConfigInput>, key: string): void {
  let error: unknown;
  try {
    resolvePushConsumerConfig({ ...base, ...input });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).key).toBe(key);
}

describe('resolvePushConsumerConfig', () => {
  it("applies Java's defaults", () => {
    const now = new Date(2024, 0, 2, 3, 34, 5).getTime();
    const c = resolvePushConsumerConfig(base, now);
    expect(c).toMatchObject(PUSH_CONSUMER_DEFAULTS);
    expect(c.messageModel).toBe('CLUSTERING');
    expect(c.consumeFromWhere).toBe('CONSUME_FROM_LAST_OFFSET');
    expect(c.consumeTimestamp).toBe('20240102030405');
    expect(c.allocateMessageQueueStrategy.getName()).toBe('AVG');
    expect(c.consumeThreadMax).toBe(20);
    expect(c.pullBatchSize).toBe(32);
    expect(c.pullThresholdSizeForQueue).toBe(100);
    expect(c.maxReconsumeTimes).toBe(-1);
    expect(c.consumeTimeout).toBe(15);
    expect(c.offsetStoreDir).toMatch(/\.rocketmq_offsets$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('keeps the options given, client options included', () => {
    const strategy = new AllocateMessageQueueAveragelyByCircle();
    const c = resolvePushConsumerConfig({
      ...base,
      messageModel: 'BROADCASTING',
      allocateMessageQueueStrategy: strategy,
      pullBatchSize: 1024,
      pullInterval: 0,
      consumeThreadMin: 1,
      consumeThreadMax: 1,
      instanceName: 'i1',
      persistConsumerOffsetInterval: 100,
    });
    expect(c.messageModel).toBe('BROADCASTING');
    expect(c.allocateMessageQueueStrategy).toBe(strategy);
    expect(c.instanceName).toBe('i1');
    expect(c.persistConsumerOffsetInterval).toBe(100);
  });

  it('refuses a reserved, blank, illegal or too long consumer group', () => {
    rejects({ consumerGroup: 'DEFAULT_CONSUMER' }, 'consumerGroup');
    rejects({ consumerGroup: ' ' }, 'consumerGroup');
    rejects({ consumerGroup: 'a b' }, 'consumerGroup');
    rejects({ consumerGroup: 'g'.repeat(256) }, 'consumerGroup');
  });

  it("refuses values outside Java's ranges, naming the option", () => {
    rejects({ consumeThreadMin: 0 }, 'consumeThreadMin');
    rejects({ consumeThreadMax: 1001 }, 'consumeThreadMax');
    rejects({ consumeThreadMin: 30, consumeThreadMax: 20 }, 'consumeThreadMin');
    rejects({ consumeConcurrentlyMaxSpan: 65536 }, 'consumeConcurrentlyMaxSpan');
    rejects({ pullThresholdForQueue: 0 }, 'pullThresholdForQueue');
    rejects({ pullThresholdSizeForQueue: 1025 }, 'pullThresholdSizeForQueue');
    rejects({ pullInterval: -1 }, 'pullInterval');
    rejects({ consumeMessageBatchMaxSize: 1025 }, 'consumeMessageBatchMaxSize');
    rejects({ pullBatchSize: 0 }, 'pullBatchSize');
    rejects({ pullBatchSize: 1.5 }, 'pullBatchSize');
    rejects({ maxReconsumeTimes: -2 }, 'maxReconsumeTimes');
    rejects({ consumeTimeout: 0 }, 'consumeTimeout');
  });

  it('refuses unknown enum values, a bad timestamp and a strategy without allocate()', () => {
    rejects({ messageModel: 'CLUSTER' as 'CLUSTERING' }, 'messageModel');
    rejects(
      { consumeFromWhere: 'CONSUME_FROM_MAX_OFFSET' as 'CONSUME_FROM_LAST_OFFSET' },
      'consumeFromWhere',
    );
    rejects({ consumeTimestamp: '2024-01-01' }, 'consumeTimestamp');
    rejects({ consumeTimestamp: '20241301000000' }, 'consumeTimestamp');
    rejects(
      { allocateMessageQueueStrategy: { getName: () => 'x' } as never },
      'allocateMessageQueueStrategy',
    );
  });

  it('warns about an unknown option by name', () => {
    const lines: LogLine[] = [];
    resolvePushConsumerConfig({
      ...base,
      logger: createMemoryLogger(lines),
      pullBatchSzie: 3,
    } as PushConsumerConfigInput);
    expect(lines.some((l) => l.level === 'warn' && l.fields?.key === 'pullBatchSzie')).toBe(true);
  });
});
