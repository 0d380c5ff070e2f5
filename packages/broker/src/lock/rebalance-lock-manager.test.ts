import { ConfigError, createMemoryLogger } from '@rocketmq-ts/protocol';
import type { LogLine, MessageQueue } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { REBALANCE_LOCK_MAX_LIVE_TIME_MS, RebalanceLockManager } from './rebalance-lock-manager.js';

const mq = (queueId: number, topic = 'TopicTest'): MessageQueue => ({
  topic,
  brokerName: 'broker-a',
  queueId,
});
const Q0 = mq(0);
const Q1 = mq(1);
const Q2 = mq(2);
const T0 = 1_700_000_000_000;

describe('RebalanceLockManager', () => {
  it('gives free queues to the first client and refuses them to another while the lock lives', () => {
    const locks = new RebalanceLockManager();
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0, Q1], nowMs: T0 })).toEqual([
      Q0,
      Q1,
    ]);
    expect(
      locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0, Q1, Q2], nowMs: T0 + 1000 }),
    ).toEqual([Q2]);
    expect(locks.lockHolder('g', Q0, T0 + 1000)).toBe('c1');
    expect(locks.lockHolder('g', Q2, T0 + 1000)).toBe('c2');
  });

  it('keeps locks of different consumer groups apart', () => {
    const locks = new RebalanceLockManager();
    locks.tryLockBatch({ group: 'g1', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    expect(locks.tryLockBatch({ group: 'g2', clientId: 'c2', mqs: [Q0], nowMs: T0 })).toEqual([Q0]);
  });

  it('tells queues apart by topic, broker name and queue id', () => {
    const locks = new RebalanceLockManager();
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    const others = [mq(0, 'Other'), { ...Q0, brokerName: 'broker-b' }, Q1];
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: others, nowMs: T0 })).toEqual(
      others,
    );
  });

  it('renews a lock its holder asks for again, so it outlives the original expiry', () => {
    const locks = new RebalanceLockManager({ lockMaxLiveTimeMs: 100 });
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 + 80 })).toEqual([
      Q0,
    ]);
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0], nowMs: T0 + 150 })).toEqual(
      [],
    );
    expect(locks.lockHolder('g', Q0, T0 + 150)).toBe('c1');
  });

  it('lets another client take a lock once it is older than lockMaxLiveTime, strictly', () => {
    const lines: LogLine[] = [];
    const locks = new RebalanceLockManager({
      lockMaxLiveTimeMs: 100,
      logger: createMemoryLogger(lines),
    });
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0], nowMs: T0 + 100 })).toEqual(
      [],
    );
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0], nowMs: T0 + 101 })).toEqual([
      Q0,
    ]);
    expect(locks.lockHolder('g', Q0, T0 + 101)).toBe('c2');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        fields: expect.objectContaining({
          oldClientId: 'c1',
          clientId: 'c2',
          queueId: 0,
        }) as unknown,
      }),
    );
  });

  it('lets the holder of an expired lock take it back while nobody else did', () => {
    const locks = new RebalanceLockManager({ lockMaxLiveTimeMs: 100 });
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    expect(locks.lockHolder('g', Q0, T0 + 500)).toBeUndefined();
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 + 500 })).toEqual([
      Q0,
    ]);
    expect(locks.lockHolder('g', Q0, T0 + 500)).toBe('c1');
  });

  it('expires after 60 s by default', () => {
    const locks = new RebalanceLockManager();
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    const late = T0 + REBALANCE_LOCK_MAX_LIVE_TIME_MS;
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0], nowMs: late })).toEqual([]);
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0], nowMs: late + 1 })).toEqual([
      Q0,
    ]);
  });

  it('answers each requested queue once, in request order', () => {
    const locks = new RebalanceLockManager();
    expect(
      locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q2, Q0, { ...Q2 }], nowMs: T0 }),
    ).toEqual([Q2, Q0]);
  });

  it('uses the current time when no nowMs is given', () => {
    const locks = new RebalanceLockManager({ lockMaxLiveTimeMs: 60_000 });
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0] });
    expect(locks.lockHolder('g', Q0)).toBe('c1');
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q0] })).toEqual([]);
  });

  it('unlocks only the queues the asking client holds', () => {
    const locks = new RebalanceLockManager();
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0, Q1], nowMs: T0 });
    locks.tryLockBatch({ group: 'g', clientId: 'c2', mqs: [Q2], nowMs: T0 });
    expect(locks.unlockBatch({ group: 'g', clientId: 'c1', mqs: [Q0, Q2] })).toEqual([Q0]);
    expect(locks.lockHolder('g', Q0, T0)).toBeUndefined();
    expect(locks.lockHolder('g', Q1, T0)).toBe('c1');
    expect(locks.lockHolder('g', Q2, T0)).toBe('c2');
    expect(locks.tryLockBatch({ group: 'g', clientId: 'c3', mqs: [Q0, Q1], nowMs: T0 })).toEqual([
      Q0,
    ]);
  });

  it('ignores unlocks of unknown groups and queues', () => {
    const locks = new RebalanceLockManager();
    expect(locks.unlockBatch({ group: 'nobody', clientId: 'c1', mqs: [Q0] })).toEqual([]);
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    expect(locks.unlockBatch({ group: 'g', clientId: 'c1', mqs: [Q1] })).toEqual([]);
    expect(locks.lockHolder('g', Q0, T0)).toBe('c1');
  });

  it('releases an expired lock its former holder unlocks', () => {
    const locks = new RebalanceLockManager({ lockMaxLiveTimeMs: 100 });
    locks.tryLockBatch({ group: 'g', clientId: 'c1', mqs: [Q0], nowMs: T0 });
    expect(locks.unlockBatch({ group: 'g', clientId: 'c1', mqs: [Q0] })).toEqual([Q0]);
  });

  it('refuses a negative or non-finite lockMaxLiveTimeMs', () => {
    expect(() => new RebalanceLockManager({ lockMaxLiveTimeMs: -1 })).toThrow(ConfigError);
    expect(() => new RebalanceLockManager({ lockMaxLiveTimeMs: Number.NaN })).toThrow(ConfigError);
  });
});
