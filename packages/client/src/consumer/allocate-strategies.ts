import { createHash } from 'node:crypto';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';

/*
 * Queue allocation strategies of a clustering consumer group (Java `client/consumer/rebalance/`, 4.9.8;
 * mqadmin-and-config.md §3.5). Every member runs the same strategy over the same sorted queue list and sorted
 * client-id list, so the members agree on who reads which queue without talking to each other. Results match
 * Java's for the same input, so mixed Java/Node groups agree too.
 */

/** What a strategy gets: the group, this client, every queue of the topic and every member, both sorted. */
export interface AllocateInput {
  consumerGroup: string;
  /** This client's id. */
  currentCID: string;
  /** Every readable queue of the topic, sorted (topic, brokerName, queueId). */
  mqAll: readonly MessageQueue[];
  /** Every member's client id, sorted. */
  cidAll: readonly string[];
}

/** Java `AllocateMessageQueueStrategy`. */
export interface AllocateMessageQueueStrategy {
  /**
   * The queues `currentCID` should read.
   * @throws MQClientError when currentCID is empty, or mqAll or cidAll is empty (Java's
   *   IllegalArgumentException); the rebalance then keeps the previous assignment.
   */
  allocate(input: AllocateInput): MessageQueue[];
  /** Java's strategy name: `AVG`, `AVG_BY_CIRCLE`, `CONSISTENT_HASH`, `CONFIG`. */
  getName(): string;
}

/** Java `AbstractAllocateMessageQueueStrategy.check`: false when this client is not in the list (allocate nothing). */
function check(input: AllocateInput): boolean {
  if (input.currentCID === '') throw new MQClientError('currentCID is empty');
  if (input.mqAll.length === 0) throw new MQClientError('mqAll is null or mqAll empty');
  if (input.cidAll.length === 0) throw new MQClientError('cidAll is null or cidAll empty');
  return input.cidAll.includes(input.currentCID);
}

/**
 * Java `AllocateMessageQueueAveragely` (`AVG`, the default): contiguous ranges; the first `queues mod clients`
 * clients get one queue more. 8 queues over 3 clients: 3, 3, 2.
 */
export class AllocateMessageQueueAveragely implements AllocateMessageQueueStrategy {
  allocate(input: AllocateInput): MessageQueue[] {
    if (!check(input)) return [];
    const { mqAll, cidAll } = input;
    const index = cidAll.indexOf(input.currentCID);
    const mod = mqAll.length % cidAll.length;
    const averageSize =
      mqAll.length <= cidAll.length
        ? 1
        : mod > 0 && index < mod
          ? Math.floor(mqAll.length / cidAll.length) + 1
          : Math.floor(mqAll.length / cidAll.length);
    const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
    const range = Math.min(averageSize, mqAll.length - startIndex);
    const result: MessageQueue[] = [];
    for (let i = 0; i < range; i++) result.push(mqAll[(startIndex + i) % mqAll.length]!);
    return result;
  }

  getName(): string {
    return 'AVG';
  }
}

/** Java `AllocateMessageQueueAveragelyByCircle` (`AVG_BY_CIRCLE`): round-robin, queue i to client i mod n. */
export class AllocateMessageQueueAveragelyByCircle implements AllocateMessageQueueStrategy {
  allocate(input: AllocateInput): MessageQueue[] {
    if (!check(input)) return [];
    const { mqAll, cidAll } = input;
    const index = cidAll.indexOf(input.currentCID);
    const result: MessageQueue[] = [];
    for (let i = index; i < mqAll.length; i++) {
      if (i % cidAll.length === index) result.push(mqAll[i]!);
    }
    return result;
  }

  getName(): string {
    return 'AVG_BY_CIRCLE';
  }
}

/** Java `ConsistentHashRouter.MD5Hash`: the first 4 bytes of MD5(UTF-8 key), big-endian, unsigned. */
export function md5Hash(key: string): number {
  return createHash('md5').update(key, 'utf8').digest().readUInt32BE(0);
}

/** Java `MessageQueue.toString()`, the key consistent hashing places a queue by. */
export function messageQueueToString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}

/**
 * Java `AllocateMessageQueueConsistentHash` (`CONSISTENT_HASH`): each client is placed on an MD5 ring
 * `virtualNodeCnt` times (keys `<clientId>-<i>`); a queue goes to the first node at or after the hash of its
 * `MessageQueue [topic=…, brokerName=…, queueId=…]` text, wrapping around. Members joining or leaving move few queues.
 */
export class AllocateMessageQueueConsistentHash implements AllocateMessageQueueStrategy {
  /** Virtual nodes per client. */
  readonly virtualNodeCnt: number;
  private readonly hash: (key: string) => number;

  /**
   * @param options.virtualNodeCnt - virtual nodes per client; default 10.
   * @param options.hashFunction - custom hash (Java `HashFunction`); default {@link md5Hash}.
   * @throws MQClientError when virtualNodeCnt is negative or not an integer.
   */
  constructor(options: { virtualNodeCnt?: number; hashFunction?: (key: string) => number } = {}) {
    const cnt = options.virtualNodeCnt ?? 10;
    if (!Number.isInteger(cnt) || cnt < 0) {
      throw new MQClientError(`illegal virtualNodeCnt :${cnt}`);
    }
    this.virtualNodeCnt = cnt;
    this.hash = options.hashFunction ?? md5Hash;
  }

  allocate(input: AllocateInput): MessageQueue[] {
    if (!check(input)) return [];
    // A TreeMap<Long, node> in Java: a later node with the same hash replaces the earlier one.
    const ring = new Map<number, string>();
    for (const cid of input.cidAll) {
      for (let i = 0; i < this.virtualNodeCnt; i++) ring.set(this.hash(`${cid}-${i}`), cid);
    }
    const points = [...ring.keys()].sort((a, b) => a - b);
    if (points.length === 0) return [];
    const result: MessageQueue[] = [];
    for (const mq of input.mqAll) {
      const h = this.hash(messageQueueToString(mq));
      let lo = 0;
      let hi = points.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (points[mid]! < h) lo = mid + 1;
        else hi = mid;
      }
      const owner = ring.get(points[lo === points.length ? 0 : lo]!);
      if (owner === input.currentCID) result.push(mq);
    }
    return result;
  }

  getName(): string {
    return 'CONSISTENT_HASH';
  }
}

/**
 * Java `AllocateMessageQueueByConfig` (`CONFIG`): always the fixed list given here, whatever the group looks like
 * (every member must be given a disjoint list by hand).
 */
export class AllocateMessageQueueByConfig implements AllocateMessageQueueStrategy {
  private readonly messageQueueList: readonly MessageQueue[];

  constructor(messageQueueList: readonly MessageQueue[]) {
    this.messageQueueList = [...messageQueueList];
  }

  allocate(_input?: AllocateInput): MessageQueue[] {
    return [...this.messageQueueList];
  }

  getName(): string {
    return 'CONFIG';
  }
}
