import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderFieldError, ProtocolError } from '../errors.js';
import type { ExtFields } from '../ext-fields.js';
import * as admin from './admin.js';
import * as registration from './client-registration.js';
import * as consumerOffset from './consumer-offset.js';
import * as sendBack from './consumer-send-msg-back.js';
import * as tx from './end-transaction.js';
import * as namesrv from './namesrv.js';
import * as pull from './pull-message.js';
import * as query from './query-message.js';
import * as queueOffset from './queue-offset.js';
import * as send from './send-message.js';
import * as topicAdmin from './topic-admin.js';

interface Case {
  name: string;
  encode: (h: never) => ExtFields;
  decode: (ext: ExtFields) => object;
  /** A header with every field set. */
  full: Record<string, unknown>;
  /** The keys whose absence must fail decoding (Java @CFNotNull). */
  required: string[];
}

function codec<T extends object>(
  name: string,
  fns: { encode: (h: T) => ExtFields; decode: (ext: ExtFields) => T },
  sample: { full: Required<T>; required: (keyof T & string)[] },
): Case {
  const full: Record<string, unknown> = { ...sample.full };
  return { name, encode: fns.encode, decode: fns.decode, full, required: sample.required };
}

const cases: Case[] = [
  codec(
    'SendMessageRequestHeader (V1 keys)',
    {
      encode: send.encodeSendMessageRequestHeaderV1,
      decode: send.decodeSendMessageRequestHeaderV1,
    },
    {
      full: {
        producerGroup: 'PG',
        topic: 'T',
        defaultTopic: 'TBW102',
        defaultTopicQueueNums: 4,
        queueId: -1,
        sysFlag: 4,
        bornTimestamp: 1700000000000,
        flag: 0,
        properties: 'TAGS\u0001A\u0002',
        reconsumeTimes: 3,
        unitMode: false,
        maxReconsumeTimes: 16,
        batch: true,
        bname: 'broker-a',
      },
      required: [
        'producerGroup',
        'topic',
        'defaultTopic',
        'defaultTopicQueueNums',
        'queueId',
        'sysFlag',
        'bornTimestamp',
        'flag',
      ],
    },
  ),
  codec(
    'SendMessageRequestHeaderV2',
    {
      encode: send.encodeSendMessageRequestHeaderV2,
      decode: send.decodeSendMessageRequestHeaderV2,
    },
    {
      full: {
        a: 'PG',
        b: 'T',
        c: 'TBW102',
        d: 4,
        e: 0,
        f: 0,
        g: 1,
        h: 7,
        i: '',
        j: 0,
        k: true,
        l: 17,
        m: false,
        n: 'b',
      },
      required: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    },
  ),
  codec(
    'SendMessageResponseHeader',
    { encode: send.encodeSendMessageResponseHeader, decode: send.decodeSendMessageResponseHeader },
    {
      full: {
        msgId: '7F00000100002A9F0000000000000000',
        queueId: 1,
        queueOffset: 42,
        transactionId: 'tx',
        batchUniqId: 'u',
        recallHandle: 'r',
        MSG_REGION: 'DefaultRegion',
        TRACE_ON: true,
      },
      required: ['msgId', 'queueId', 'queueOffset'],
    },
  ),
  codec(
    'PullMessageRequestHeader',
    { encode: pull.encodePullMessageRequestHeader, decode: pull.decodePullMessageRequestHeader },
    {
      full: {
        consumerGroup: 'CG',
        topic: 'T',
        queueId: 0,
        queueOffset: 10,
        maxMsgNums: 32,
        sysFlag: 7,
        commitOffset: 9,
        suspendTimeoutMillis: 15000,
        subscription: 'A || B',
        subVersion: 1795545972421,
        expressionType: 'TAG',
        maxMsgBytes: 1024,
        requestSource: 1,
        proxyFrowardClientId: 'c',
      },
      required: [
        'consumerGroup',
        'topic',
        'queueId',
        'queueOffset',
        'maxMsgNums',
        'sysFlag',
        'commitOffset',
        'suspendTimeoutMillis',
        'subVersion',
      ],
    },
  ),
  codec(
    'PullMessageResponseHeader',
    { encode: pull.encodePullMessageResponseHeader, decode: pull.decodePullMessageResponseHeader },
    {
      full: {
        suggestWhichBrokerId: 0,
        nextBeginOffset: 12,
        minOffset: 0,
        maxOffset: 12,
        offsetDelta: 1,
        topicSysFlag: 0,
        groupSysFlag: 0,
        forbiddenType: 0,
      },
      required: ['suggestWhichBrokerId', 'nextBeginOffset', 'minOffset', 'maxOffset'],
    },
  ),
  codec(
    'QueryConsumerOffsetRequestHeader',
    {
      encode: consumerOffset.encodeQueryConsumerOffsetRequestHeader,
      decode: consumerOffset.decodeQueryConsumerOffsetRequestHeader,
    },
    {
      full: { consumerGroup: 'CG', topic: 'T', queueId: 3, setZeroIfNotFound: false },
      required: ['consumerGroup', 'topic', 'queueId'],
    },
  ),
  codec(
    'QueryConsumerOffsetResponseHeader',
    {
      encode: consumerOffset.encodeQueryConsumerOffsetResponseHeader,
      decode: consumerOffset.decodeQueryConsumerOffsetResponseHeader,
    },
    { full: { offset: -1 }, required: ['offset'] },
  ),
  codec(
    'UpdateConsumerOffsetRequestHeader',
    {
      encode: consumerOffset.encodeUpdateConsumerOffsetRequestHeader,
      decode: consumerOffset.decodeUpdateConsumerOffsetRequestHeader,
    },
    {
      full: { consumerGroup: 'CG', topic: 'T', queueId: 1, commitOffset: -1 },
      required: ['consumerGroup', 'topic', 'queueId', 'commitOffset'],
    },
  ),
  codec(
    'GetMaxOffsetRequestHeader',
    {
      encode: queueOffset.encodeGetMaxOffsetRequestHeader,
      decode: queueOffset.decodeGetMaxOffsetRequestHeader,
    },
    { full: { topic: 'T', queueId: 0, committed: true }, required: ['topic', 'queueId'] },
  ),
  codec(
    'GetMaxOffsetResponseHeader',
    {
      encode: queueOffset.encodeGetMaxOffsetResponseHeader,
      decode: queueOffset.decodeGetMaxOffsetResponseHeader,
    },
    { full: { offset: 100 }, required: ['offset'] },
  ),
  codec(
    'GetMinOffsetRequestHeader',
    {
      encode: queueOffset.encodeGetMinOffsetRequestHeader,
      decode: queueOffset.decodeGetMinOffsetRequestHeader,
    },
    { full: { topic: 'T', queueId: 2 }, required: ['topic', 'queueId'] },
  ),
  codec(
    'GetMinOffsetResponseHeader',
    {
      encode: queueOffset.encodeGetMinOffsetResponseHeader,
      decode: queueOffset.decodeGetMinOffsetResponseHeader,
    },
    { full: { offset: 0 }, required: ['offset'] },
  ),
  codec(
    'GetEarliestMsgStoretimeRequestHeader',
    {
      encode: queueOffset.encodeGetEarliestMsgStoretimeRequestHeader,
      decode: queueOffset.decodeGetEarliestMsgStoretimeRequestHeader,
    },
    { full: { topic: 'T', queueId: 2 }, required: ['topic', 'queueId'] },
  ),
  codec(
    'GetEarliestMsgStoretimeResponseHeader',
    {
      encode: queueOffset.encodeGetEarliestMsgStoretimeResponseHeader,
      decode: queueOffset.decodeGetEarliestMsgStoretimeResponseHeader,
    },
    { full: { timestamp: 1700000000000 }, required: ['timestamp'] },
  ),
  codec(
    'SearchOffsetRequestHeader',
    {
      encode: queueOffset.encodeSearchOffsetRequestHeader,
      decode: queueOffset.decodeSearchOffsetRequestHeader,
    },
    {
      full: { topic: 'T', queueId: 0, timestamp: 1700000000000, boundaryType: 'UPPER' },
      required: ['topic', 'queueId', 'timestamp'],
    },
  ),
  codec(
    'SearchOffsetResponseHeader',
    {
      encode: queueOffset.encodeSearchOffsetResponseHeader,
      decode: queueOffset.decodeSearchOffsetResponseHeader,
    },
    { full: { offset: 5 }, required: ['offset'] },
  ),
  codec(
    'QueryMessageRequestHeader',
    {
      encode: query.encodeQueryMessageRequestHeader,
      decode: query.decodeQueryMessageRequestHeader,
    },
    {
      full: {
        topic: 'T',
        key: 'K',
        maxNum: 32,
        beginTimestamp: 0,
        endTimestamp: 1700000000000,
        _UNIQUE_KEY_QUERY: true,
      },
      required: ['topic', 'key', 'maxNum', 'beginTimestamp', 'endTimestamp'],
    },
  ),
  codec(
    'QueryMessageResponseHeader',
    {
      encode: query.encodeQueryMessageResponseHeader,
      decode: query.decodeQueryMessageResponseHeader,
    },
    {
      full: { indexLastUpdateTimestamp: 1700000000000, indexLastUpdatePhyoffset: 4096 },
      required: ['indexLastUpdateTimestamp', 'indexLastUpdatePhyoffset'],
    },
  ),
  codec(
    'ViewMessageRequestHeader',
    { encode: query.encodeViewMessageRequestHeader, decode: query.decodeViewMessageRequestHeader },
    { full: { offset: 4096, topic: 'T' }, required: ['offset'] },
  ),
  codec(
    'UnregisterClientRequestHeader',
    {
      encode: registration.encodeUnregisterClientRequestHeader,
      decode: registration.decodeUnregisterClientRequestHeader,
    },
    {
      full: { clientID: '192.0.2.2@1', producerGroup: 'PG', consumerGroup: 'CG' },
      required: ['clientID'],
    },
  ),
  codec(
    'GetConsumerListByGroupRequestHeader',
    {
      encode: registration.encodeGetConsumerListByGroupRequestHeader,
      decode: registration.decodeGetConsumerListByGroupRequestHeader,
    },
    { full: { consumerGroup: 'CG' }, required: ['consumerGroup'] },
  ),
  codec(
    'NotifyConsumerIdsChangedRequestHeader',
    {
      encode: registration.encodeNotifyConsumerIdsChangedRequestHeader,
      decode: registration.decodeNotifyConsumerIdsChangedRequestHeader,
    },
    { full: { consumerGroup: 'CG' }, required: ['consumerGroup'] },
  ),
  codec(
    'ConsumerSendMsgBackRequestHeader',
    {
      encode: sendBack.encodeConsumerSendMsgBackRequestHeader,
      decode: sendBack.decodeConsumerSendMsgBackRequestHeader,
    },
    {
      full: {
        offset: 123456,
        group: 'CG',
        delayLevel: 0,
        originMsgId: 'ID',
        originTopic: 'T',
        unitMode: false,
        maxReconsumeTimes: 16,
      },
      required: ['offset', 'group', 'delayLevel'],
    },
  ),
  codec(
    'EndTransactionRequestHeader',
    { encode: tx.encodeEndTransactionRequestHeader, decode: tx.decodeEndTransactionRequestHeader },
    {
      full: {
        producerGroup: 'PG',
        tranStateTableOffset: 3,
        commitLogOffset: 1024,
        commitOrRollback: tx.TransactionCommitType.TRANSACTION_COMMIT_TYPE,
        fromTransactionCheck: true,
        msgId: 'UNIQ',
        transactionId: 'UNIQ',
        topic: 'T',
      },
      required: [
        'producerGroup',
        'tranStateTableOffset',
        'commitLogOffset',
        'commitOrRollback',
        'msgId',
      ],
    },
  ),
  codec(
    'CheckTransactionStateRequestHeader',
    {
      encode: tx.encodeCheckTransactionStateRequestHeader,
      decode: tx.decodeCheckTransactionStateRequestHeader,
    },
    {
      full: {
        tranStateTableOffset: 3,
        commitLogOffset: 1024,
        msgId: 'UNIQ',
        transactionId: 'UNIQ',
        offsetMsgId: 'OFF',
        topic: 'T',
      },
      required: ['tranStateTableOffset', 'commitLogOffset'],
    },
  ),
  codec(
    'RegisterBrokerRequestHeader',
    {
      encode: namesrv.encodeRegisterBrokerRequestHeader,
      decode: namesrv.decodeRegisterBrokerRequestHeader,
    },
    {
      full: {
        brokerName: 'broker-a',
        brokerAddr: '10.0.0.1:10911',
        clusterName: 'DefaultCluster',
        haServerAddr: '10.0.0.1:10912',
        brokerId: 0,
        heartbeatTimeoutMillis: 120000,
        enableActingMaster: false,
        compressed: false,
        bodyCrc32: 2147483647,
        zoneName: 'z',
      },
      required: ['brokerName', 'brokerAddr', 'clusterName', 'haServerAddr', 'brokerId'],
    },
  ),
  codec(
    'RegisterBrokerResponseHeader',
    {
      encode: namesrv.encodeRegisterBrokerResponseHeader,
      decode: namesrv.decodeRegisterBrokerResponseHeader,
    },
    { full: { haServerAddr: '10.0.0.1:10912', masterAddr: '10.0.0.1:10911' }, required: [] },
  ),
  codec(
    'UnRegisterBrokerRequestHeader',
    {
      encode: namesrv.encodeUnRegisterBrokerRequestHeader,
      decode: namesrv.decodeUnRegisterBrokerRequestHeader,
    },
    {
      full: { brokerName: 'b', brokerAddr: 'a:1', clusterName: 'c', brokerId: 1 },
      required: ['brokerName', 'brokerAddr', 'clusterName', 'brokerId'],
    },
  ),
  codec(
    'GetRouteInfoRequestHeader',
    {
      encode: namesrv.encodeGetRouteInfoRequestHeader,
      decode: namesrv.decodeGetRouteInfoRequestHeader,
    },
    { full: { topic: '%RETRY%CG', acceptStandardJsonOnly: true }, required: ['topic'] },
  ),
  codec(
    'PutKVConfigRequestHeader',
    {
      encode: namesrv.encodePutKVConfigRequestHeader,
      decode: namesrv.decodePutKVConfigRequestHeader,
    },
    {
      full: { namespace: 'ORDER_TOPIC_CONFIG', key: 'T', value: 'broker-a:4' },
      required: ['namespace', 'key', 'value'],
    },
  ),
  codec(
    'GetKVConfigRequestHeader',
    {
      encode: namesrv.encodeGetKVConfigRequestHeader,
      decode: namesrv.decodeGetKVConfigRequestHeader,
    },
    { full: { namespace: 'N', key: 'K' }, required: ['namespace', 'key'] },
  ),
  codec(
    'GetKVConfigResponseHeader',
    {
      encode: namesrv.encodeGetKVConfigResponseHeader,
      decode: namesrv.decodeGetKVConfigResponseHeader,
    },
    { full: { value: 'V' }, required: [] },
  ),
  codec(
    'DeleteKVConfigRequestHeader',
    {
      encode: namesrv.encodeDeleteKVConfigRequestHeader,
      decode: namesrv.decodeDeleteKVConfigRequestHeader,
    },
    { full: { namespace: 'N', key: 'K' }, required: ['namespace', 'key'] },
  ),
  codec(
    'GetKVListByNamespaceRequestHeader',
    {
      encode: namesrv.encodeGetKVListByNamespaceRequestHeader,
      decode: namesrv.decodeGetKVListByNamespaceRequestHeader,
    },
    { full: { namespace: 'N' }, required: ['namespace'] },
  ),
  codec(
    'WipeWritePermOfBrokerRequestHeader',
    {
      encode: namesrv.encodeWipeWritePermOfBrokerRequestHeader,
      decode: namesrv.decodeWipeWritePermOfBrokerRequestHeader,
    },
    { full: { brokerName: 'b' }, required: ['brokerName'] },
  ),
  codec(
    'WipeWritePermOfBrokerResponseHeader',
    {
      encode: namesrv.encodeWipeWritePermOfBrokerResponseHeader,
      decode: namesrv.decodeWipeWritePermOfBrokerResponseHeader,
    },
    { full: { wipeTopicCount: 3 }, required: ['wipeTopicCount'] },
  ),
  codec(
    'AddWritePermOfBrokerRequestHeader',
    {
      encode: namesrv.encodeAddWritePermOfBrokerRequestHeader,
      decode: namesrv.decodeAddWritePermOfBrokerRequestHeader,
    },
    { full: { brokerName: 'b' }, required: ['brokerName'] },
  ),
  codec(
    'AddWritePermOfBrokerResponseHeader',
    {
      encode: namesrv.encodeAddWritePermOfBrokerResponseHeader,
      decode: namesrv.decodeAddWritePermOfBrokerResponseHeader,
    },
    { full: { addTopicCount: 3 }, required: ['addTopicCount'] },
  ),
  codec(
    'DeleteTopicFromNamesrvRequestHeader',
    {
      encode: namesrv.encodeDeleteTopicFromNamesrvRequestHeader,
      decode: namesrv.decodeDeleteTopicFromNamesrvRequestHeader,
    },
    { full: { topic: 'T', clusterName: 'C' }, required: ['topic'] },
  ),
  codec(
    'GetTopicsByClusterRequestHeader',
    {
      encode: namesrv.encodeGetTopicsByClusterRequestHeader,
      decode: namesrv.decodeGetTopicsByClusterRequestHeader,
    },
    { full: { cluster: 'DefaultCluster' }, required: ['cluster'] },
  ),
  codec(
    'QueryDataVersionRequestHeader',
    {
      encode: namesrv.encodeQueryDataVersionRequestHeader,
      decode: namesrv.decodeQueryDataVersionRequestHeader,
    },
    {
      full: { brokerName: 'b', brokerAddr: 'a:1', clusterName: 'c', brokerId: 0 },
      required: ['brokerName', 'brokerAddr', 'clusterName', 'brokerId'],
    },
  ),
  codec(
    'QueryDataVersionResponseHeader',
    {
      encode: namesrv.encodeQueryDataVersionResponseHeader,
      decode: namesrv.decodeQueryDataVersionResponseHeader,
    },
    { full: { changed: true }, required: ['changed'] },
  ),
  codec(
    'CreateTopicRequestHeader',
    {
      encode: topicAdmin.encodeCreateTopicRequestHeader,
      decode: topicAdmin.decodeCreateTopicRequestHeader,
    },
    {
      full: {
        topic: 'T',
        defaultTopic: 'TBW102',
        readQueueNums: 8,
        writeQueueNums: 8,
        perm: 6,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
        attributes: '+message.type=NORMAL',
        force: false,
      },
      required: [
        'topic',
        'defaultTopic',
        'readQueueNums',
        'writeQueueNums',
        'perm',
        'topicFilterType',
        'order',
      ],
    },
  ),
  codec(
    'DeleteTopicRequestHeader',
    {
      encode: topicAdmin.encodeDeleteTopicRequestHeader,
      decode: topicAdmin.decodeDeleteTopicRequestHeader,
    },
    { full: { topic: 'T' }, required: ['topic'] },
  ),
  codec(
    'GetTopicStatsInfoRequestHeader',
    {
      encode: admin.encodeGetTopicStatsInfoRequestHeader,
      decode: admin.decodeGetTopicStatsInfoRequestHeader,
    },
    { full: { topic: 'T' }, required: ['topic'] },
  ),
  codec(
    'GetConsumeStatsRequestHeader',
    {
      encode: admin.encodeGetConsumeStatsRequestHeader,
      decode: admin.decodeGetConsumeStatsRequestHeader,
    },
    { full: { consumerGroup: 'CG', topic: 'T', topicList: 'T;U' }, required: ['consumerGroup'] },
  ),
  codec(
    'GetConsumeStatsInBrokerHeader',
    {
      encode: admin.encodeGetConsumeStatsInBrokerHeader,
      decode: admin.decodeGetConsumeStatsInBrokerHeader,
    },
    { full: { isOrder: true }, required: ['isOrder'] },
  ),
  codec(
    'GetConsumerConnectionListRequestHeader',
    {
      encode: admin.encodeGetConsumerConnectionListRequestHeader,
      decode: admin.decodeGetConsumerConnectionListRequestHeader,
    },
    { full: { consumerGroup: 'CG' }, required: ['consumerGroup'] },
  ),
  codec(
    'GetProducerConnectionListRequestHeader',
    {
      encode: admin.encodeGetProducerConnectionListRequestHeader,
      decode: admin.decodeGetProducerConnectionListRequestHeader,
    },
    { full: { producerGroup: 'PG' }, required: ['producerGroup'] },
  ),
  codec(
    'DeleteSubscriptionGroupRequestHeader',
    {
      encode: admin.encodeDeleteSubscriptionGroupRequestHeader,
      decode: admin.decodeDeleteSubscriptionGroupRequestHeader,
    },
    { full: { groupName: 'CG', removeOffset: true, cleanOffset: true }, required: ['groupName'] },
  ),
  codec(
    'QueryTopicConsumeByWhoRequestHeader',
    {
      encode: admin.encodeQueryTopicConsumeByWhoRequestHeader,
      decode: admin.decodeQueryTopicConsumeByWhoRequestHeader,
    },
    { full: { topic: 'T' }, required: ['topic'] },
  ),
  codec(
    'QueryConsumeTimeSpanRequestHeader',
    {
      encode: admin.encodeQueryConsumeTimeSpanRequestHeader,
      decode: admin.decodeQueryConsumeTimeSpanRequestHeader,
    },
    { full: { topic: 'T', group: 'CG' }, required: ['topic', 'group'] },
  ),
  codec(
    'GetConsumerRunningInfoRequestHeader',
    {
      encode: admin.encodeGetConsumerRunningInfoRequestHeader,
      decode: admin.decodeGetConsumerRunningInfoRequestHeader,
    },
    {
      full: { consumerGroup: 'CG', clientId: '192.0.2.2@1', jstackEnable: false },
      required: ['consumerGroup', 'clientId'],
    },
  ),
  codec(
    'ConsumeMessageDirectlyResultRequestHeader',
    {
      encode: admin.encodeConsumeMessageDirectlyResultRequestHeader,
      decode: admin.decodeConsumeMessageDirectlyResultRequestHeader,
    },
    {
      full: {
        consumerGroup: 'CG',
        clientId: 'c',
        msgId: 'm',
        brokerName: 'b',
        topic: 'T',
        topicSysFlag: 0,
        groupSysFlag: 0,
      },
      required: ['consumerGroup'],
    },
  ),
  codec(
    'CloneGroupOffsetRequestHeader',
    {
      encode: admin.encodeCloneGroupOffsetRequestHeader,
      decode: admin.decodeCloneGroupOffsetRequestHeader,
    },
    {
      full: { srcGroup: 'A', destGroup: 'B', topic: 'T', offline: true },
      required: ['srcGroup', 'destGroup'],
    },
  ),
  codec(
    'ResetOffsetRequestHeader',
    { encode: admin.encodeResetOffsetRequestHeader, decode: admin.decodeResetOffsetRequestHeader },
    {
      full: { topic: 'T', group: 'CG', timestamp: -1, isForce: true, queueId: -1, offset: 77 },
      required: ['topic', 'group', 'timestamp', 'isForce'],
    },
  ),
  codec(
    'GetBrokerConfigResponseHeader',
    {
      encode: admin.encodeGetBrokerConfigResponseHeader,
      decode: admin.decodeGetBrokerConfigResponseHeader,
    },
    { full: { version: '{"counter":1,"timestamp":1700000000000}' }, required: ['version'] },
  ),
  codec(
    'ViewBrokerStatsDataRequestHeader',
    {
      encode: admin.encodeViewBrokerStatsDataRequestHeader,
      decode: admin.decodeViewBrokerStatsDataRequestHeader,
    },
    { full: { statsName: 'TOPIC_PUT_NUMS', statsKey: 'T' }, required: ['statsName', 'statsKey'] },
  ),
  codec(
    'QueryConsumeQueueRequestHeader',
    {
      encode: admin.encodeQueryConsumeQueueRequestHeader,
      decode: admin.decodeQueryConsumeQueueRequestHeader,
    },
    { full: { topic: 'T', queueId: 0, index: 10, count: 5, consumerGroup: 'CG' }, required: [] },
  ),
  codec(
    'QueryCorrectionOffsetHeader',
    {
      encode: admin.encodeQueryCorrectionOffsetHeader,
      decode: admin.decodeQueryCorrectionOffsetHeader,
    },
    {
      full: { filterGroups: 'A,B', compareGroup: 'C', topic: 'T' },
      required: ['compareGroup', 'topic'],
    },
  ),
  codec(
    'GetConsumerStatusRequestHeader',
    {
      encode: admin.encodeGetConsumerStatusRequestHeader,
      decode: admin.decodeGetConsumerStatusRequestHeader,
    },
    {
      full: { topic: 'T', group: 'CG', clientAddr: '192.0.2.2:1234' },
      required: ['topic', 'group'],
    },
  ),
];

function pick(full: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, full[k]]));
}

const BASE_KEYS: ExtFields = {
  ns: 'namespace',
  nsd: 'true',
  oway: 'false',
  lo: 'true',
  AccessKey: 'ak',
  Signature: 'c2ln',
  SecurityToken: 'tok',
  OnsChannel: 'ALIYUN',
};

describe.each(cases)('$name', (c) => {
  it('decodes what it encodes, with every field set', () => {
    const ext = c.encode(c.full as never);
    expect(Object.values(ext).every((v) => typeof v === 'string')).toBe(true);
    expect(c.decode(ext)).toStrictEqual(c.full);
  });

  it('decodes what it encodes, with only the required fields set', () => {
    const minimal = pick(c.full, c.required);
    const ext = c.encode(minimal as never);
    expect(Object.keys(ext).sort()).toEqual([...c.required].sort());
    expect(c.decode(ext)).toStrictEqual(minimal);
  });

  it('ignores the 5.x base keys and the ACL signing keys', () => {
    const ext = { ...BASE_KEYS, ...c.encode(c.full as never), bname: 'broker-a' };
    const decoded = c.decode(ext) as Record<string, unknown>;
    expect(decoded).toStrictEqual(c.full);
  });

  it('throws a HeaderFieldError naming exactly the required keys when one is missing', () => {
    const ext = c.encode(c.full as never);
    const failing: string[] = [];
    for (const key of Object.keys(ext)) {
      const without = { ...ext };
      delete without[key];
      try {
        c.decode(without);
      } catch (e) {
        expect(e).toBeInstanceOf(HeaderFieldError);
        expect((e as HeaderFieldError).field).toBe(key);
        failing.push(key);
      }
    }
    expect(failing.sort()).toEqual([...c.required].sort());
  });
});

describe('every decoder', () => {
  const knownKeys = [...new Set(cases.flatMap((c) => Object.keys(c.encode(c.full as never))))];
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer().map(String),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
    fc.constantFrom('true', 'TRUE', 'false', '', '-1', '1.5', ' 1', '+0'),
  );
  const ext = fc.dictionary(
    fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })),
    value,
    { maxKeys: 30 },
  );

  it('returns a header or throws a HeaderFieldError/ProtocolError for any string map', () => {
    fc.assert(
      fc.property(ext, (input) => {
        for (const c of cases) {
          try {
            const decoded = c.decode(input);
            expect(typeof decoded).toBe('object');
          } catch (e) {
            expect(e instanceof HeaderFieldError || e instanceof ProtocolError).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('re-encodes whatever it decoded to a map that decodes to the same header', () => {
    fc.assert(
      fc.property(ext, (input) => {
        for (const c of cases) {
          let decoded: object;
          try {
            decoded = c.decode(input);
          } catch {
            continue;
          }
          expect(c.decode(c.encode(decoded as never))).toStrictEqual(decoded);
        }
      }),
      { numRuns: 200 },
    );
  });
});
