import { ConfigError, RocketMQError } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MQClientError } from '../errors.js';
import { PushConsumer } from './push-consumer.js';

// Nothing listens on port 1: route lookups fail at once, which start() tolerates (as Java, it retries later).
const base = { consumerGroup: 'cg', namesrvAddr: '127.0.0.1:1', instanceName: 'unit' };

describe('PushConsumer (before start)', () => {
  it('refuses both listener kinds at once and a bad option, naming it', () => {
    expect(
      () =>
        new PushConsumer({
          ...base,
          messageListener: () => Promise.resolve('CONSUME_SUCCESS'),
          messageListenerOrderly: () => Promise.resolve('SUCCESS'),
        }),
    ).toThrow(ConfigError);
    expect(() => new PushConsumer({ ...base, pullBatchSize: 0 })).toThrow(/pullBatchSize/);
  });

  it('refuses to start without a listener, and to start twice', async () => {
    const consumer = new PushConsumer(base);
    await expect(consumer.start()).rejects.toBeInstanceOf(MQClientError);
    expect(consumer.state).toBe('CREATE_JUST');
    await consumer.shutdown();
    expect(consumer.state).toBe('SHUTDOWN_ALREADY');
    await expect(consumer.start()).rejects.toThrow(/starts once/);
  });

  it('validates topics and subscription expressions like Java', () => {
    const consumer = new PushConsumer(base);
    expect(() => consumer.subscribe('bad topic')).toThrow(MQClientError);
    expect(() => consumer.subscribe('t'.repeat(128))).toThrow(/max length/);
    expect(() => consumer.subscribe('TopicTest', '||')).toThrow(RocketMQError);
    consumer.subscribe('TopicTest', 'TagA || TagB');
    consumer.unsubscribe('TopicTest');
    expect(consumer.assignedQueues()).toEqual([]);
  });

  it('does not accept a listener after start() began', async () => {
    const consumer = new PushConsumer({ ...base, consumerGroup: 'cg-after' });
    consumer.registerMessageListener(() => Promise.resolve('CONSUME_SUCCESS'));
    const started = consumer.start();
    expect(() => consumer.registerMessageListenerOrderly(() => Promise.resolve('SUCCESS'))).toThrow(
      MQClientError,
    );
    await started;
    expect(consumer.state).toBe('RUNNING');
    await consumer.shutdown();
    expect(consumer.state).toBe('SHUTDOWN_ALREADY');
  });
});
