import { ConfigError } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { PRODUCER_DEFAULTS, resolveProducerConfig } from './producer-config.js';
import type { ProducerConfigInput } from './producer-config.js';

const base = { producerGroup: 'pg', namesrvAddr: '127.0.0.1:9876' };

function configError(input: ProducerConfigInput): ConfigError {
  try {
    resolveProducerConfig(input, {});
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveProducerConfig', () => {
  it('applies the DefaultMQProducer defaults over the client defaults', () => {
    const c = resolveProducerConfig(base, {});
    expect(c).toMatchObject({ ...PRODUCER_DEFAULTS, ...base, pollNameServerInterval: 30_000 });
    expect(c.sendMsgTimeout).toBe(3000);
    expect(c.createTopicKey).toBe('TBW102');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('keeps given options and ignores undefined ones', () => {
    const c = resolveProducerConfig(
      { ...base, sendMsgTimeout: 500, retryTimesWhenSendFailed: undefined, maxMessageSize: 1024 },
      {},
    );
    expect(c.sendMsgTimeout).toBe(500);
    expect(c.retryTimesWhenSendFailed).toBe(2);
    expect(c.maxMessageSize).toBe(1024);
  });

  it('takes the NameServer from NAMESRV_ADDR when not given', () => {
    const c = resolveProducerConfig({ producerGroup: 'pg' }, { NAMESRV_ADDR: '10.0.0.1:9876' });
    expect(c.namesrvAddr).toBe('10.0.0.1:9876');
  });

  it('refuses DEFAULT_PRODUCER as Java does', () => {
    const e = configError({ ...base, producerGroup: 'DEFAULT_PRODUCER' });
    expect(e.key).toBe('producerGroup');
    expect(e.message).toContain('reserved');
  });

  it('refuses a blank, too long or ill-formed group', () => {
    expect(configError({ ...base, producerGroup: ' ' }).key).toBe('producerGroup');
    expect(configError({ ...base, producerGroup: 'a'.repeat(256) }).key).toBe('producerGroup');
    expect(configError({ ...base, producerGroup: 'bad group' }).key).toBe('producerGroup');
  });

  it('names the option of a bad number or switch', () => {
    expect(configError({ ...base, sendMsgTimeout: 0 }).key).toBe('sendMsgTimeout');
    expect(configError({ ...base, retryTimesWhenSendFailed: -1 }).key).toBe(
      'retryTimesWhenSendFailed',
    );
    expect(configError({ ...base, maxMessageSize: 1.5 }).key).toBe('maxMessageSize');
    expect(configError({ ...base, defaultTopicQueueNums: 0 }).key).toBe('defaultTopicQueueNums');
    expect(configError({ ...base, sendLatencyFaultEnable: 'yes' as unknown as boolean }).key).toBe(
      'sendLatencyFaultEnable',
    );
    expect(configError({ ...base, createTopicKey: 'bad topic' }).key).toBe('createTopicKey');
  });

  it('passes client option errors through', () => {
    expect(configError({ producerGroup: 'pg' }).key).toBe('namesrvAddr');
  });
});
