import { ConfigError } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { formatConsumeTimestamp } from '../consumer/consumer-config.js';
import { LITE_PULL_CONSUMER_DEFAULTS, resolveLitePullConsumerConfig } from './lite-pull-config.js';

const base = { namesrvAddr: '127.0.0.1:9876', consumerGroup: 'cg' };

describe('resolveLitePullConsumerConfig', () => {
  it("applies Java DefaultLitePullConsumer's defaults", () => {
    const now = Date.UTC(2024, 0, 2, 3, 4, 5);
    const c = resolveLitePullConsumerConfig(base, now);
    expect(c).toMatchObject(LITE_PULL_CONSUMER_DEFAULTS);
    expect(c.pullBatchSize).toBe(10);
    expect(c.pollTimeoutMillis).toBe(5000);
    expect(c.autoCommit).toBe(true);
    expect(c.brokerSuspendMaxTimeMillis).toBe(20_000);
    expect(c.consumerTimeoutMillisWhenSuspend).toBe(30_000);
    expect(c.consumeTimestamp).toBe(formatConsumeTimestamp(now - 30 * 60_000));
    expect(c.allocateMessageQueueStrategy.getName()).toBe('AVG');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('refuses a bad or reserved group, naming the rule', () => {
    expect(() => resolveLitePullConsumerConfig({ ...base, consumerGroup: '' })).toThrow(/required/);
    expect(() => resolveLitePullConsumerConfig({ ...base, consumerGroup: 'a b' })).toThrow(
      /illegal characters/,
    );
    expect(() =>
      resolveLitePullConsumerConfig({ ...base, consumerGroup: 'DEFAULT_CONSUMER' }),
    ).toThrow(/can not equal DEFAULT_CONSUMER/);
  });

  it('refuses options outside their ranges', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ pullBatchSize: 0 }, /pullBatchSize/],
      [{ pullBatchSize: 1025 }, /pullBatchSize/],
      [{ autoCommitIntervalMillis: 999 }, /autoCommitIntervalMillis/],
      [{ pullThresholdForQueue: 70_000 }, /pullThresholdForQueue/],
      [{ messageModel: 'P2P' }, /messageModel/],
      [{ consumeFromWhere: 'CONSUME_FROM_MIDDLE' }, /consumeFromWhere/],
      [{ consumeTimestamp: '20241301000000' }, /consumeTimestamp/],
      [{ autoCommit: 'yes' }, /autoCommit/],
      [{ brokerSuspendMaxTimeMillis: 40_000 }, /must not be less than brokerSuspendMaxTimeMillis/],
    ];
    for (const [options, message] of bad) {
      expect(() => resolveLitePullConsumerConfig({ ...base, ...options })).toThrow(ConfigError);
      expect(() => resolveLitePullConsumerConfig({ ...base, ...options })).toThrow(message);
    }
  });

  it('warns about unknown options by name', () => {
    const warnings: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_message: string, fields?: unknown) => warnings.push(fields),
      error: () => undefined,
      child: () => logger,
    };
    resolveLitePullConsumerConfig({ ...base, logger, pullThreadNums: 20 } as never);
    expect(warnings).toEqual([{ key: 'pullThreadNums' }]);
  });
});
