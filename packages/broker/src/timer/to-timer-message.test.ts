import {
  MessageSysFlag,
  ResponseCode,
  RocketMQError,
  decodeMessageProperties,
} from '@rocketmq-ts/protocol';
import type { PutMessageInput } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import {
  TIMER_TOPIC,
  timerDeliverTimeOf,
  timerRewriterOf,
  toTimerMessage,
} from './to-timer-message.js';

const NOW = 1_700_000_000_000;

function props(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

describe('timerDeliverTimeOf', () => {
  it('reads each timer property: relative seconds and ms, absolute ms and ONS start deliver time', () => {
    expect(timerDeliverTimeOf(props({ TIMER_DELAY_SEC: '3' }), NOW)).toEqual({
      deliverAtMs: NOW + 3000,
    });
    expect(timerDeliverTimeOf(props({ TIMER_DELAY_MS: '1500' }), NOW)).toEqual({
      deliverAtMs: NOW + 1500,
    });
    expect(timerDeliverTimeOf(props({ TIMER_DELIVER_MS: String(NOW + 42) }), NOW)).toEqual({
      deliverAtMs: NOW + 42,
    });
    expect(timerDeliverTimeOf(props({ __STARTDELIVERTIME: String(NOW + 9000) }), NOW)).toEqual({
      deliverAtMs: NOW + 9000,
    });
  });

  it('prefers TIMER_DELAY_SEC, then TIMER_DELAY_MS, then TIMER_DELIVER_MS, as Java', () => {
    const all = { TIMER_DELIVER_MS: String(NOW + 5), TIMER_DELAY_MS: '7', TIMER_DELAY_SEC: '2' };
    expect(timerDeliverTimeOf(props(all), NOW)).toEqual({ deliverAtMs: NOW + 2000 });
    const { TIMER_DELAY_SEC: _s, ...rest } = all;
    expect(timerDeliverTimeOf(props(rest), NOW)).toEqual({ deliverAtMs: NOW + 7 });
  });

  it('answers undefined for plain messages, past or present times, delay levels and delivered timers', () => {
    expect(timerDeliverTimeOf(props({ TAGS: 'a' }), NOW)).toBeUndefined();
    expect(timerDeliverTimeOf(props({ TIMER_DELIVER_MS: String(NOW - 1) }), NOW)).toBeUndefined();
    expect(timerDeliverTimeOf(props({ TIMER_DELIVER_MS: String(NOW) }), NOW)).toBeUndefined();
    expect(timerDeliverTimeOf(props({ TIMER_DELAY_SEC: '0' }), NOW)).toBeUndefined();
    expect(timerDeliverTimeOf(props({ TIMER_DELAY_MS: '-5' }), NOW)).toBeUndefined();
    expect(timerDeliverTimeOf(props({ DELAY: '3', TIMER_DELAY_SEC: '5' }), NOW)).toBeUndefined();
    expect(
      timerDeliverTimeOf(props({ TIMER_DELAY_SEC: '5', TIMER_OUT_MS: String(NOW) }), NOW),
    ).toBeUndefined();
  });

  it('refuses a delay beyond timerMaxDelaySec and values that are not integers', () => {
    const far = timerDeliverTimeOf(props({ TIMER_DELAY_SEC: String(3 * 86_400 + 1) }), NOW);
    expect(far && 'error' in far ? far.error : '').toContain('max delay 259200000 ms');
    expect(timerDeliverTimeOf(props({ TIMER_DELAY_SEC: String(3 * 86_400) }), NOW)).toEqual({
      deliverAtMs: NOW + 259_200_000,
    });
    expect(
      timerDeliverTimeOf(props({ TIMER_DELAY_MS: '2000' }), NOW, { timerMaxDelaySec: 1 }),
    ).toHaveProperty('error');
    for (const garbage of ['soon', '1.5', '', '1e3', '99999999999999999999']) {
      const out = timerDeliverTimeOf(props({ TIMER_DELIVER_MS: garbage }), NOW);
      expect(out && 'error' in out ? out.error : '').toContain('TIMER_DELIVER_MS');
    }
    expect(timerDeliverTimeOf(props({ __STARTDELIVERTIME: 'x' }), NOW)).toHaveProperty('error');
  });
});

function message(sysFlag = 0): PutMessageInput {
  return {
    topic: 'TopicTest',
    queueId: 3,
    body: Buffer.from('hello'),
    properties: 'TAGS\u0001TagA\u0002UNIQ_KEY\u0001U1\u0002TIMER_DELAY_SEC\u00015\u0002',
    sysFlag,
    bornTimestamp: NOW,
    bornHost: { host: '127.0.0.1', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
  };
}

describe('toTimerMessage', () => {
  it('redirects a timer message to queue 0 of the timer topic with its real destination and time', () => {
    const input = message();
    const out = toTimerMessage(input, NOW + 5000);
    expect(out).toMatchObject({ topic: TIMER_TOPIC, queueId: 0, body: input.body });
    expect(decodeMessageProperties(out.properties as string)).toEqual(
      new Map([
        ['TAGS', 'TagA'],
        ['UNIQ_KEY', 'U1'],
        ['TIMER_DELAY_SEC', '5'],
        ['TIMER_OUT_MS', String(NOW + 5000)],
        ['REAL_TOPIC', 'TopicTest'],
        ['REAL_QID', '3'],
      ]),
    );
    expect(input.topic).toBe('TopicTest');
  });

  it('leaves prepared and rollback transactional messages alone', () => {
    for (const flag of [
      MessageSysFlag.TRANSACTION_PREPARED_TYPE,
      MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
    ]) {
      const input = message(flag);
      expect(toTimerMessage(input, NOW + 5000)).toBe(input);
    }
    expect(toTimerMessage(message(MessageSysFlag.TRANSACTION_COMMIT_TYPE), NOW + 1).topic).toBe(
      TIMER_TOPIC,
    );
  });
});

describe('timerRewriterOf', () => {
  const enabled = { timerWheelEnable: true, timerMaxDelaySec: 60 };
  const timerProps = props({ TIMER_DELAY_SEC: '5' });

  it('rewrites timer messages and leaves the others alone', () => {
    const rewrite = timerRewriterOf(enabled, () => NOW);
    expect(rewrite(message(), timerProps).topic).toBe(TIMER_TOPIC);
    const plain = message();
    expect(rewrite(plain, props({ TAGS: 'a' }))).toBe(plain);
  });

  it('throws MESSAGE_ILLEGAL for a refused timer or when the timer wheel is off', () => {
    const tooFar = (): unknown =>
      timerRewriterOf(enabled, () => NOW)(message(), props({ TIMER_DELAY_SEC: '61' }));
    expect(tooFar).toThrow(RocketMQError);
    expect(tooFar).toThrow(/beyond the max delay/);
    const off = timerRewriterOf({ ...enabled, timerWheelEnable: false }, () => NOW);
    try {
      off(message(), timerProps);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RocketMQError);
      expect((error as RocketMQError).code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    }
  });
});
