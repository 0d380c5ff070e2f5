import {
  RemotingCommand,
  RequestCode,
  buildPullSysFlag,
  encodePullMessageRequestHeader,
} from '@rocketmq-ts/protocol';
import { expect } from 'vitest';
import { brokerProcessors } from '../src/broker-processors.js';
import { PullRequestHoldService } from '../src/long-polling/pull-request-hold-service.js';
import { dispatchLocally, onTestCleanup, openTestBrokerContext } from './broker-test-context.js';
import type { TestBrokerContext, TestBrokerContextOptions } from './broker-test-context.js';

/** A {@link TestBrokerContext} with the broker's processor table, callable without sockets. */
export interface ProcessorTestBroker extends TestBrokerContext {
  /** Runs a request through the processor table; rejects when it answers nothing (oneway). */
  call(request: RemotingCommand): Promise<RemotingCommand>;
}

/**
 * Opens a test broker context and builds the broker's processors over it (with a pull hold service); everything
 * is closed after the test.
 */
export async function openProcessorTestBroker(
  options: TestBrokerContextOptions = {},
): Promise<ProcessorTestBroker> {
  const t = await openTestBrokerContext(options);
  const holdService = new PullRequestHoldService();
  onTestCleanup(() => holdService.close());
  const built = brokerProcessors(t.ctx, { holdService });
  onTestCleanup(() => built.close());
  const call = async (request: RemotingCommand) => {
    const response = await dispatchLocally(built.table, request);
    if (response === null) throw new Error('no response');
    return response;
  };
  return { ...t, call };
}

/** Options of {@link putTestMessages}. */
export interface PutTestMessagesOptions {
  topic: string;
  /** Messages to put; bodies are `m0`, `m1`, …. */
  count: number;
  /** Properties of message `i`; default none. */
  properties?: (i: number) => Record<string, string>;
}

/** Puts `count` messages into queue 0 of `topic`, one at a time, and expects each to be PUT_OK. */
export async function putTestMessages(
  t: TestBrokerContext,
  options: PutTestMessagesOptions,
): Promise<void> {
  for (let i = 0; i < options.count; i++) {
    const result = await t.store.putMessage({
      topic: options.topic,
      queueId: 0,
      body: Buffer.from(`m${i}`),
      ...(options.properties ? { properties: options.properties(i) } : {}),
      bornTimestamp: Date.now(),
      bornHost: { host: '127.0.0.1', port: 50000 },
      storeHost: { host: '127.0.0.1', port: 10911 },
    });
    expect(result.status).toBe('PUT_OK');
  }
}

/** Options of {@link pullRequest}. */
export interface PullRequestOptions {
  group: string;
  topic: string;
  /** Default 0. */
  queueOffset?: number;
  /** Default 32. */
  maxMsgNums?: number;
  /** Subscription expression carried by the request. Default `*`. */
  subscription?: string;
  /** `TAG` or `SQL92`; default none (the broker reads TAG). */
  expressionType?: string;
  /** Whether the broker filters with the request's subscription rather than the heartbeat's. Default true. */
  carrySubscription?: boolean;
  /** Consumer offset to commit with the pull; default none. */
  commitOffset?: number;
}

/** A PULL_MESSAGE of queue 0 that does not suspend (no long polling). */
export function pullRequest(o: PullRequestOptions): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.PULL_MESSAGE,
    encodePullMessageRequestHeader({
      consumerGroup: o.group,
      topic: o.topic,
      queueId: 0,
      queueOffset: o.queueOffset ?? 0,
      maxMsgNums: o.maxMsgNums ?? 32,
      sysFlag: buildPullSysFlag({
        suspend: false,
        subscription: o.carrySubscription ?? true,
        commitOffset: o.commitOffset !== undefined,
      }),
      commitOffset: o.commitOffset ?? 0,
      suspendTimeoutMillis: 0,
      subscription: o.subscription ?? '*',
      subVersion: 0,
      ...(o.expressionType !== undefined ? { expressionType: o.expressionType } : {}),
    }),
  );
}
