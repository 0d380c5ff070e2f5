/**
 * Master/slave broker sets under load with real processes: a SYNC_MASTER + SYNC_FLUSH master killed with SIGKILL and
 * restarted 10 times while a producer keeps sending loses no acknowledged message, and two-master two-slave clusters
 * (async and sync replication) carry messages end to end with the @rocketmq-ts/client.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Producer } from '@rocketmq-ts/client';
import { waitFor } from '@rocketmq-ts/testkit';
import { describe, expect, it } from 'vitest';
import { sendWithLimit, startBroker, waitForSlaveCaughtUp } from './support/broker-set.js';
import { useHaEnvironment } from './support/ha-environment.js';

const QUEUES = 4;
const KILL_CYCLES = 10;
/** Acknowledged sends wanted between two kills. */
const ACKS_PER_CYCLE = 10;
/** Upper bound of send attempts of one sender lane. */
const MAX_SEND_ATTEMPTS = 50_000;

const env = useHaEnvironment();
const { cleanups, startSet, newProducer } = env;

/** Sender lanes sending `<prefix>-<lane>-<i>` until stopped, recording the SEND_OK ones. */
function startSending(producer: Producer, topic: string, lanes: number) {
  const acked: string[] = [];
  let failures = 0;
  let stopped = false;
  const lane = async (id: number): Promise<void> => {
    for (let i = 0; i < MAX_SEND_ATTEMPTS && !stopped; i++) {
      const body = `cycle-${id}-${i}`;
      try {
        const result = await producer.send({ topic, body: Buffer.from(body), keys: [body] });
        if (result.sendStatus === 'SEND_OK') acked.push(body);
        else failures++;
      } catch {
        failures++;
        await delay(50);
      }
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, (_, id) => lane(id)));
  return {
    acked,
    failures: () => failures,
    stop: async (): Promise<void> => {
      stopped = true;
      await done;
    },
  };
}

describe('broker sets under load', () => {
  it(`loses no acknowledged message across ${KILL_CYCLES} SIGKILL restarts of a SYNC_MASTER + SYNC_FLUSH master`, async () => {
    const set = await startSet('ha-cycles', 'SYNC_MASTER', {
      flushDiskType: 'SYNC_FLUSH',
      slaveTimeout: 2000,
    });
    const topic = 'HaCycles';
    await env.createTopic(set, topic, QUEUES);
    const producer = await newProducer('ha-cycles-pg');
    const sender = startSending(producer, topic, 4);
    cleanups.push(() => sender.stop());
    for (let cycle = 0; cycle < KILL_CYCLES; cycle++) {
      const target = sender.acked.length + ACKS_PER_CYCLE;
      await waitFor(() => sender.acked.length >= target, {
        description: `${ACKS_PER_CYCLE} acknowledged sends before kill ${cycle + 1}`,
        timeoutMs: 30_000,
      });
      process.kill(set.master!.pid, 'SIGKILL');
      await set.master!.stop().catch(() => undefined);
      set.master = await startBroker(env.namesrvAddr, set.masterSpec);
    }
    const target = sender.acked.length + ACKS_PER_CYCLE;
    await waitFor(() => sender.acked.length >= target, {
      description: 'acknowledged sends after the last restart',
      timeoutMs: 30_000,
    });
    await sender.stop();

    const consumed = new Set<string>();
    await env.collectBodies({ topic, group: 'ha-cycles-check', into: consumed });
    await waitFor(() => sender.acked.every((b) => consumed.has(b)), {
      description: `every one of ${sender.acked.length} acknowledged messages consumed (failed sends: ${sender.failures()})`,
      timeoutMs: 60_000,
    });
    await waitForSlaveCaughtUp(env.admin, set);
  }, 300_000);

  it.each(['ASYNC_MASTER', 'SYNC_MASTER'] as const)(
    'carries messages end to end through two masters with a slave each (%s)',
    async (role) => {
      const tag = role === 'SYNC_MASTER' ? 'sync' : 'async';
      const sets = await Promise.all([
        startSet(`ha-2m2s-${tag}-a`, role),
        startSet(`ha-2m2s-${tag}-b`, role),
      ]);
      const topic = `Ha2m2s${tag}`;
      for (const set of sets) await env.createTopic(set, topic, QUEUES);
      const producer = await newProducer(`ha-2m2s-${tag}-pg`);
      if (role === 'SYNC_MASTER') {
        // A SYNC_MASTER answers SLAVE_NOT_AVAILABLE until its slave has connected.
        for (const set of sets) {
          await waitFor(
            async () =>
              (await env.admin.brokerRuntimeInfo(set.masterAddr)).get('haConnectedSlaveCount') ===
              '1',
            {
              description: `the slave of ${set.brokerName} to connect`,
              timeoutMs: 20_000,
            },
          );
        }
      }
      const bodies = Array.from({ length: 120 }, (_, i) => `2m2s-${tag}-${i}`);
      const results = await sendWithLimit(bodies, 16, (body) =>
        producer.send({ topic, body: Buffer.from(body), keys: [body] }),
      );
      expect(new Set(results.map((r) => r.sendStatus))).toEqual(new Set(['SEND_OK']));
      expect(new Set(results.map((r) => r.messageQueue.brokerName))).toEqual(
        new Set(sets.map((s) => s.brokerName)),
      );
      const consumed = new Set<string>();
      await env.collectBodies({ topic, group: `ha-2m2s-${tag}-cg`, into: consumed });
      await waitFor(() => bodies.every((b) => consumed.has(b)), {
        description: 'every message consumed',
        timeoutMs: 30_000,
      });
      await Promise.all(sets.map((set) => waitForSlaveCaughtUp(env.admin, set)));
    },
    120_000,
  );
});
