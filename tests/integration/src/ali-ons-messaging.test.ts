/**
 * The pure-JS 4.x client ali-ons 3.12.0 against a real mqnamesrv + mqbroker: tag filtering and queue sharing in a
 * clustering group, retry after a failing handler, broadcasting, and key / offset-id lookups of what it sent.
 */
import { Message } from 'ali-ons';
import type { Producer, SendResult } from 'ali-ons';
import { parseOffsetMessageId } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { startCluster, waitFor } from '@rocketmq-ts/testkit';
import type { TestCluster } from '@rocketmq-ts/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTopic,
  queryConsumerOffset,
  queryMessagesByKey,
  viewMessage,
} from './support/broker-admin.js';
import { OnsClients } from './support/ons-clients.js';
import type { Delivery, StartedConsumer } from './support/ons-clients.js';

const QUEUES = 4;

let cluster: TestCluster;
let admin: RemotingClient;
let ons: OnsClients;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 1, brokerConfig: { mappedFileSizeCommitLog: 16 << 20 } });
  admin = new RemotingClient();
}, 60_000);

afterAll(async () => {
  await admin?.close();
  await cluster?.stop();
});

beforeEach(() => {
  ons = new OnsClients(cluster.namesrvAddr);
});

afterEach(async () => {
  await ons.closeAll();
});

function brokerAddr(): string {
  return cluster.brokers[0]!.addr;
}

async function newTopic(topic: string): Promise<void> {
  await createTopic({
    client: admin,
    brokerAddr: brokerAddr(),
    namesrvAddr: cluster.namesrvAddr,
    topic,
    queueNums: QUEUES,
  });
}

interface Outgoing {
  readonly tags: string;
  readonly keys: readonly string[];
  readonly body: string;
}

/** Sends one by one (ali-ons picks queues round-robin) and checks each was stored. */
async function sendAll(
  producer: Producer,
  topic: string,
  messages: readonly Outgoing[],
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  for (const m of messages) {
    const message = new Message(topic, m.tags, m.body);
    message.keys = m.keys;
    const result = await producer.send(message);
    expect(result.sendStatus).toBe('SEND_OK');
    results.push(result);
  }
  return results;
}

/** The queue ids of `topic` a consumer currently pulls (its rebalance result). */
function assignedQueues(started: StartedConsumer, topic: string): string[] {
  return [...started.consumer.processQueueTable.values()]
    .filter((entry) => entry.messageQueue.topic === topic)
    .map((entry) => String(entry.messageQueue.queueId))
    .sort();
}

function keysOf(deliveries: readonly Delivery[]): string[] {
  return deliveries.map((d) => d.keys ?? '(none)').sort();
}

describe('ali-ons against mqnamesrv and mqbroker', () => {
  it('delivers exactly the subscribed tags once across two consumers of a group that share the queues', async () => {
    const topic = 'AliOnsTagTopic';
    const group = 'it-ons-tags-cg';
    await newTopic(topic);
    const subscribe = { consumerGroup: group, topic, subExpression: 'TagA || TagC' };
    const a = await ons.startConsumer({ ...subscribe, instanceName: 'tags-a' });
    const b = await ons.startConsumer({ ...subscribe, instanceName: 'tags-b' });
    // ali-ons ignores NOTIFY_CONSUMER_IDS_CHANGED: wait until both timer-driven rebalances saw two members and split
    // the queues. Only then is each message delivered once (before that, both may pull the same queue).
    await waitFor(
      () => {
        const qa = assignedQueues(a, topic);
        const qb = assignedQueues(b, topic);
        return qa.length === 2 && qb.length === 2 && new Set([...qa, ...qb]).size === QUEUES;
      },
      { description: 'the two consumers to split the 4 queues 2 + 2', timeoutMs: 15_000 },
    );

    const producer = await ons.startProducer({
      producerGroup: 'it-ons-tags-pg',
      instanceName: 'tags-p',
    });
    const tagCycle = ['TagA', 'TagB', 'TagC', 'TagD'];
    const outgoing: Outgoing[] = Array.from({ length: 20 }, (_, i) => ({
      tags: tagCycle[i % tagCycle.length]!,
      keys: [`tag-key-${i}`, `tag-order-${i}`],
      body: `tag body ${i} ${tagCycle[i % tagCycle.length]!}`,
    }));
    const sent = await sendAll(producer, topic, outgoing);
    // A matching sentinel behind the last message of every used queue: once all sentinels arrived, every queue was
    // consumed past its filtered messages, so a wrongly delivered TagB/TagD would already have shown up.
    const usedQueues = new Set(sent.map((r) => r.messageQueue.queueId));
    const sentinelQueues = new Set<string>();
    for (let i = 0; i < 4 * QUEUES && sentinelQueues.size < usedQueues.size; i++) {
      const sentinel: Outgoing = {
        tags: 'TagC',
        keys: [`tag-sentinel-${i}`],
        body: `sentinel ${i}`,
      };
      outgoing.push(sentinel);
      const [result] = await sendAll(producer, topic, [sentinel]);
      sentinelQueues.add(result!.messageQueue.queueId);
    }
    expect([...sentinelQueues].sort()).toEqual([...usedQueues].sort());

    const expected = outgoing.filter((m) => m.tags === 'TagA' || m.tags === 'TagC');
    const expectedKeys = expected.map((m) => m.keys.join(' ')).sort();
    const received = (): Delivery[] => [...a.deliveries, ...b.deliveries];
    await waitFor(() => expectedKeys.every((k) => received().some((d) => d.keys === k)), {
      description: `${expectedKeys.length} TagA/TagC messages to be consumed`,
      timeoutMs: 20_000,
    });

    // Complete, nothing filtered out leaked through, and no message handled twice.
    expect(keysOf(received())).toEqual(expectedKeys);
    for (const d of received()) {
      const original = expected.find((m) => m.keys.join(' ') === d.keys)!;
      expect(d).toMatchObject({
        topic,
        tags: original.tags,
        body: original.body,
        reconsumeTimes: 0,
      });
    }
    // Both members consumed, and every queue was consumed by one member only.
    expect(a.deliveries.length).toBeGreaterThan(0);
    expect(b.deliveries.length).toBeGreaterThan(0);
    const ownerOfQueue = new Map<number, Set<string>>();
    for (const d of received()) {
      ownerOfQueue.set(d.queueId, (ownerOfQueue.get(d.queueId) ?? new Set()).add(d.consumer));
    }
    for (const owners of ownerOfQueue.values()) expect(owners.size).toBe(1);
  }, 60_000);

  it('redelivers a message whose handler threw, with reconsumeTimes >= 1, and then commits past it', async () => {
    const topic = 'AliOnsRetryTopic';
    const group = 'it-ons-retry-cg';
    await newTopic(topic);
    let failedOnce = false;
    const consumer = await ons.startConsumer({
      instanceName: 'retry-c',
      consumerGroup: group,
      topic,
      subExpression: '*',
      beforeAck: (message) => {
        if (message.keys === 'retry-me' && !failedOnce) {
          failedOnce = true;
          throw new Error('the handler fails the first delivery of retry-me');
        }
      },
    });
    const producer = await ons.startProducer({
      producerGroup: 'it-ons-retry-pg',
      instanceName: 'retry-p',
    });
    const outgoing: Outgoing[] = [
      { tags: 'TagA', keys: ['retry-ok-0'], body: 'fine 0' },
      { tags: 'TagA', keys: ['retry-me'], body: 'fails once' },
      { tags: 'TagB', keys: ['retry-ok-1'], body: 'fine 1' },
    ];
    const sent = await sendAll(producer, topic, outgoing);

    // Either path is fine: the broker's CONSUMER_SEND_MSG_BACK (delay level 3 = 10 s, then %RETRY%<group>), or, when
    // the broker refuses it, ali-ons re-sending to %RETRY%<group> itself (remoting-protocol.md §8.7 item 5).
    await waitFor(() => consumer.deliveries.some((d) => d.keys === 'retry-me'), {
      description: 'retry-me to be redelivered and acknowledged',
      timeoutMs: 40_000,
      intervalMs: 200,
    });

    expect(consumer.failures).toHaveLength(1);
    const first = consumer.failures[0]!;
    expect(first).toMatchObject({ keys: 'retry-me', reconsumeTimes: 0, topic });
    const again = consumer.deliveries.filter((d) => d.keys === 'retry-me');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({
      topic,
      tags: 'TagA',
      body: 'fails once',
      originMessageId: first.msgId,
    });
    expect(again[0]!.reconsumeTimes).toBeGreaterThanOrEqual(1);
    // A redelivery is a new record (in %RETRY%<group>), not the original one again.
    expect(again[0]!.msgId).not.toBe(first.msgId);
    expect(keysOf(consumer.deliveries)).toEqual(['retry-me', 'retry-ok-0', 'retry-ok-1']);

    // Acknowledged: the group's committed offsets move past the original messages and past the redelivered one in
    // the retry topic (ali-ons commits every persistConsumerOffsetInterval).
    const committedPast = async (q: { topic: string; queueId: number; queueOffset: number }) =>
      ((await queryConsumerOffset({
        client: admin,
        brokerAddr: brokerAddr(),
        consumerGroup: group,
        ...q,
      })) ?? -1) > q.queueOffset;
    const positions = [
      ...sent.map((r) => ({
        topic,
        queueId: Number(r.messageQueue.queueId),
        queueOffset: r.queueOffset,
      })),
      { topic: `%RETRY%${group}`, queueId: again[0]!.queueId, queueOffset: again[0]!.queueOffset },
    ];
    await waitFor(async () => (await Promise.all(positions.map(committedPast))).every(Boolean), {
      description: 'the committed offsets of the group to pass every consumed message',
      timeoutMs: 10_000,
      intervalMs: 200,
    });
  }, 60_000);

  it('delivers every message to each of two broadcasting consumers of one group', async () => {
    const topic = 'AliOnsBroadcastTopic';
    const group = 'it-ons-broadcast-cg';
    await newTopic(topic);
    const subscribe = { consumerGroup: group, topic, subExpression: '*', isBroadcast: true };
    const a = await ons.startConsumer({ ...subscribe, instanceName: 'bc-a' });
    const b = await ons.startConsumer({ ...subscribe, instanceName: 'bc-b' });
    const producer = await ons.startProducer({
      producerGroup: 'it-ons-bc-pg',
      instanceName: 'bc-p',
    });
    const outgoing: Outgoing[] = Array.from({ length: 8 }, (_, i) => ({
      tags: i % 2 === 0 ? 'TagA' : 'TagB',
      keys: [`bc-${i}`],
      body: `broadcast ${i}`,
    }));
    await sendAll(producer, topic, outgoing);

    const expectedKeys = outgoing.map((m) => m.keys.join(' ')).sort();
    await waitFor(() => a.deliveries.length >= 8 && b.deliveries.length >= 8, {
      description: 'both broadcasting consumers to receive 8 messages',
      timeoutMs: 20_000,
    });
    for (const c of [a, b]) {
      expect(keysOf(c.deliveries)).toEqual(expectedKeys);
      for (const d of c.deliveries) {
        const original = outgoing.find((m) => m.keys.join(' ') === d.keys)!;
        expect(d).toMatchObject({ topic, tags: original.tags, body: original.body });
      }
    }
  }, 40_000);

  it('finds what ali-ons sent by key with QUERY_MESSAGE and by its msgId with VIEW_MESSAGE_BY_ID', async () => {
    const topic = 'AliOnsQueryTopic';
    await newTopic(topic);
    const producer = await ons.startProducer({
      producerGroup: 'it-ons-query-pg',
      instanceName: 'query-p',
    });
    const outgoing: Outgoing[] = Array.from({ length: 3 }, (_, i) => ({
      tags: 'TagQ',
      keys: [`query-key-${i}`, 'query-shared'],
      body: `query body ${i}`,
    }));
    const sent = await sendAll(producer, topic, outgoing);
    const ids = sent.map((r) => parseOffsetMessageId(r.msgId));

    // The index is built behind the commit log: poll until the shared key finds all three.
    const shared = await waitFor(
      async () => {
        const records = await queryMessagesByKey({
          client: admin,
          brokerAddr: brokerAddr(),
          topic,
          key: 'query-shared',
        });
        return records.length === 3 && records;
      },
      {
        description: 'QUERY_MESSAGE query-shared to find 3 records',
        timeoutMs: 10_000,
        intervalMs: 100,
      },
    );
    expect(shared.map((r) => r.phyOffset).sort((x, y) => x - y)).toEqual(
      ids.map((id) => id.phyOffset).sort((x, y) => x - y),
    );

    const one = await queryMessagesByKey({
      client: admin,
      brokerAddr: brokerAddr(),
      topic,
      key: 'query-key-1',
    });
    expect(one).toHaveLength(1);
    expect(one[0]!.body.toString()).toBe('query body 1');
    expect(one[0]!.topic).toBe(topic);
    expect(one[0]!.properties.get('KEYS')).toBe('query-key-1 query-shared');
    expect(one[0]!.properties.get('TAGS')).toBe('TagQ');
    expect(one[0]!.phyOffset).toBe(ids[1]!.phyOffset);
    expect(
      await queryMessagesByKey({
        client: admin,
        brokerAddr: brokerAddr(),
        topic,
        key: 'no-such-key',
      }),
    ).toEqual([]);

    // The offset id ali-ons got back names this broker and the record's commit-log offset.
    const port = cluster.brokers[0]!.handle.ready.listenPort;
    for (const [i, id] of ids.entries()) {
      expect(id.storeHost.port).toBe(port);
      const viewed = await viewMessage({
        client: admin,
        brokerAddr: brokerAddr(),
        phyOffset: id.phyOffset,
      });
      expect(viewed).toHaveLength(1);
      expect(viewed[0]).toMatchObject({
        topic,
        phyOffset: id.phyOffset,
        queueOffset: sent[i]!.queueOffset,
      });
      expect(viewed[0]!.queueId).toBe(Number(sent[i]!.messageQueue.queueId));
      expect(viewed[0]!.body.toString()).toBe(`query body ${i}`);
    }
  }, 30_000);
});
