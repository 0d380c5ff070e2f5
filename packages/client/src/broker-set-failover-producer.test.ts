/**
 * The Producer against master/slave broker sets whose master leaves the route (fakes: see
 * test/fake-broker-set.ts for why).
 */
import { RequestCode } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { FAILOVER_TOPIC as TOPIC } from '../test/fake-broker.js';
import {
  failoverClientOptions,
  startBrokerSet,
  startFakeNamesrv,
  started,
  waitFor,
} from '../test/fake-broker-set.js';
import { MQClientInstance } from './client-instance.js';
import { resolveClientConfig } from './config.js';
import { Producer } from './producer/producer.js';

describe('Producer with master/slave broker sets', () => {
  it('sends only to masters, and stops choosing a broker set once its master leaves the route', async () => {
    const namesrv = await startFakeNamesrv();
    const { master: masterA, slave: slaveA } = await startBrokerSet();
    const { master: masterB, slave: slaveB } = await startBrokerSet();
    // broker-b's master has expired: only its slave is listed.
    namesrv.setRoute([
      { brokerName: 'broker-a', brokers: [masterA, slaveA] },
      { brokerName: 'broker-b', brokers: [slaveB] },
    ]);
    const options = failoverClientOptions(namesrv);
    const producer = await started(
      new Producer({ producerGroup: 'failover-pg', ...options }),
      (p) => p.shutdown(),
    );
    for (let i = 0; i < 6; i++) {
      const sent = await producer.send({ topic: TOPIC, body: `a-${i}` });
      expect(sent.messageQueue.brokerName).toBe('broker-a');
    }
    expect(await producer.fetchPublishMessageQueues(TOPIC)).toEqual([
      { topic: TOPIC, brokerName: 'broker-a', queueId: 0 },
    ]);

    // Now broker-a's master expires and broker-b's comes back.
    namesrv.setRoute([
      { brokerName: 'broker-a', brokers: [slaveA] },
      { brokerName: 'broker-b', brokers: [masterB, slaveB] },
    ]);
    const sendTo = async (body: string): Promise<string> =>
      (await producer.send({ topic: TOPIC, body })).messageQueue.brokerName;
    await waitFor(async () => (await sendTo('probe')) === 'broker-b', 'sends to move to broker-b');
    for (let i = 0; i < 6; i++) {
      expect(await sendTo(`b-${i}`)).toBe('broker-b');
    }
    expect(slaveA.count(RequestCode.SEND_MESSAGE_V2)).toBe(0);
    expect(slaveB.count(RequestCode.SEND_MESSAGE_V2)).toBe(0);
    // A producer-only client heart-beats to masters only.
    await waitFor(() => masterB.count(RequestCode.HEART_BEAT) > 0, 'a heartbeat to a master');
    expect(slaveA.count(RequestCode.HEART_BEAT) + slaveB.count(RequestCode.HEART_BEAT)).toBe(0);

    // broker-a leaves the route altogether: the client forgets its addresses (Java `cleanOfflineBroker`).
    const instance = MQClientInstance.acquire(resolveClientConfig(options));
    expect(instance.allBrokerAddrs()).toContain(slaveA.addr);
    namesrv.setRoute([{ brokerName: 'broker-b', brokers: [masterB, slaveB] }]);
    await waitFor(
      () => !instance.allBrokerAddrs().includes(slaveA.addr),
      'the addresses of broker-a forgotten',
    );
    expect(instance.findBrokerAddressInAdmin('broker-a')).toBeUndefined();
    expect(instance.allBrokerAddrs().sort()).toEqual([masterB.addr, slaveB.addr].sort());
  });
});
