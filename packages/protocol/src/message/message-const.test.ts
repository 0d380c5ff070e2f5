import { describe, expect, it } from 'vitest';
import { MessageConst } from './message-const.js';

describe('MessageConst', () => {
  it('spells the property keys the way RocketMQ writes them on the wire', () => {
    expect(MessageConst.PROPERTY_KEYS).toBe('KEYS');
    expect(MessageConst.PROPERTY_TAGS).toBe('TAGS');
    expect(MessageConst.PROPERTY_WAIT_STORE_MSG_OK).toBe('WAIT');
    expect(MessageConst.PROPERTY_DELAY_TIME_LEVEL).toBe('DELAY');
    expect(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX).toBe('UNIQ_KEY');
    expect(MessageConst.PROPERTY_REAL_QUEUE_ID).toBe('REAL_QID');
    expect(MessageConst.PROPERTY_TRANSACTION_PREPARED).toBe('TRAN_MSG');
    expect(MessageConst.PROPERTY_PRODUCER_GROUP).toBe('PGROUP');
    expect(MessageConst.PROPERTY_TRANSACTION_ID).toBe('__transactionId__');
    expect(MessageConst.PROPERTY_FIRST_POP_TIME).toBe('1ST_POP_TIME');
    expect(MessageConst.KEY_SEPARATOR).toBe(' ');
  });

  it('has no two constants with the same property key', () => {
    const keys = Object.entries(MessageConst)
      .filter(([name]) => name !== 'KEY_SEPARATOR')
      .map(([, value]) => value);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('derives the transient keys from the transient prefix', () => {
    expect(
      MessageConst.PROPERTY_TRANSIENT_TOPIC_CONFIG.startsWith(
        MessageConst.PROPERTY_TRANSIENT_PREFIX,
      ),
    ).toBe(true);
    expect(MessageConst.PROPERTY_TRANSIENT_GROUP_CONFIG).toBe('__RMQ.TRANSIENT.GROUP_SYS_FLAG');
  });
});
