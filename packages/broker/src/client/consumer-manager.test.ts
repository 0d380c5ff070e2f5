import { createMemoryLogger, parseSubscriptionExpression } from '@rocketmq-ts/protocol';
import type { ConsumerData, LogLine } from '@rocketmq-ts/protocol';
import type { RemotingChannel } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import { CLIENT_CHANNEL_EXPIRED_MS } from './client-channel.js';
import { ConsumerManager } from './consumer-manager.js';

/** A connection as the manager sees it: only its identity matters here, nothing is sent on it. */
function channel(id: number): RemotingChannel {
  return {
    id,
    remoteAddr: `127.0.0.1:${40000 + id}`,
    isClosed: false,
    invoke: () => Promise.reject(new Error('not used')),
    invokeOneway: () => undefined,
  };
}

function data(group: string, topic: string, expression: string): ConsumerData {
  const sub = parseSubscriptionExpression(expression);
  return {
    groupName: group,
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    unitMode: false,
    subscriptionDataSet: [
      { topic, ...sub, subVersion: 1, expressionType: 'TAG', classFilterMode: false },
    ],
  };
}

function info(id: number, clientId: string, nowMs = 1000) {
  return { channel: channel(id), clientId, language: 'JAVA', version: 409, lastUpdateMs: nowMs };
}

describe('ConsumerManager', () => {
  it('reports joins and subscription changes, not repeated heartbeats', () => {
    const consumers = new ConsumerManager();
    expect(consumers.register(info(1, 'a@1'), data('G', 'T', 'A'))).toEqual({
      memberAdded: true,
      subscriptionsChanged: false,
    });
    expect(consumers.register(info(1, 'a@1'), data('G', 'T', 'A'))).toEqual({
      memberAdded: false,
      subscriptionsChanged: false,
    });
    expect(consumers.register(info(1, 'a@1'), data('G', 'T', 'A || B'))).toEqual({
      memberAdded: false,
      subscriptionsChanged: true,
    });
    expect(consumers.clientIds('G')).toEqual(['a@1']);
  });

  it('keeps each member its own subscription and logs a disagreement once', () => {
    const lines: LogLine[] = [];
    const consumers = new ConsumerManager(createMemoryLogger(lines));
    consumers.register(info(1, 'a@1'), data('G', 'T', 'TagA'));
    consumers.register(info(2, 'b@1'), data('G', 'T', 'TagB'));
    consumers.register(info(2, 'b@1'), data('G', 'T', 'TagB'));
    expect(consumers.subscriptionOf('G', 'T', channel(1))?.subString).toBe('TagA');
    expect(consumers.subscriptionOf('G', 'T', channel(2))?.subString).toBe('TagB');
    expect(consumers.subscriptionOf('G', 'T', channel(3))).toBeUndefined();
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({
      group: 'G',
      topic: 'T',
      subscriptions: { TagA: ['a@1'], TagB: ['b@1'] },
    });
    expect(consumers.groupsSubscribing('T')).toEqual(['G']);
  });

  it('drops closed and silent members and tells the listener who is left', () => {
    const consumers = new ConsumerManager();
    const left: (string[] | undefined)[] = [];
    consumers.onMembersLeft((_, group) =>
      left.push(
        group === undefined ? undefined : [...group.members.values()].map((m) => m.clientId),
      ),
    );
    consumers.register(info(1, 'a@1', 1000), data('G', 'T', '*'));
    consumers.register(info(2, 'b@1', 5000), data('G', 'T', '*'));
    consumers.channelClosed(channel(2));
    expect(left).toEqual([['a@1']]);
    expect(consumers.scanExpired(1000 + CLIENT_CHANNEL_EXPIRED_MS)).toBe(0);
    expect(consumers.scanExpired(1001 + CLIENT_CHANNEL_EXPIRED_MS)).toBe(1);
    expect(left).toEqual([['a@1'], undefined]);
    expect(consumers.group('G')).toBeUndefined();
  });
});
