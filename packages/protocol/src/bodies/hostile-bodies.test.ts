import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeClusterInfo } from './cluster-info.js';
import { decodeConsumeStats } from './consume-stats.js';
import { decodeConsumerConnection } from './connection.js';
import { decodeHeartbeatData } from './heartbeat-data.js';
import { decodeLockBatchRequestBody } from './lock-batch.js';
import { decodeConsumerOffsetTable } from './offset-tables.js';
import { decodeRegisterBrokerBody } from './register-broker-body.js';
import { decodeSubscriptionGroupWrapper } from './subscription-group-config.js';
import { decodeTopicConfigSerializeWrapper } from './topic-config.js';
import { decodeTopicRouteData } from './topic-route-data.js';
import { decodeTopicStatsTable } from './topic-stats-table.js';

const decoders: Array<(buf: Buffer) => unknown> = [
  decodeTopicRouteData,
  decodeClusterInfo,
  decodeHeartbeatData,
  decodeTopicConfigSerializeWrapper,
  decodeTopicStatsTable,
  decodeConsumeStats,
  decodeConsumerConnection,
  decodeLockBatchRequestBody,
  decodeSubscriptionGroupWrapper,
  decodeConsumerOffsetTable,
  (b) => decodeRegisterBrokerBody(b),
  (b) => decodeRegisterBrokerBody(b, { compressed: true }),
  (b) => decodeRegisterBrokerBody(deflateSync(b), { compressed: true }),
];

function onlyProtocolErrors(buf: Buffer): void {
  for (const decode of decoders) {
    try {
      decode(buf);
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
    }
  }
}

describe('body decoders on hostile input', () => {
  it('throw only ProtocolError for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) =>
        onlyProtocolErrors(Buffer.from(bytes)),
      ),
      { numRuns: 200 },
    );
  });

  it('throw only ProtocolError for random JSON values of the wrong shape', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) =>
        onlyProtocolErrors(Buffer.from(JSON.stringify(value) ?? 'null')),
      ),
      { numRuns: 200 },
    );
  });

  it('throw only ProtocolError for objects with the right keys and random values', () => {
    const keys = fc.constantFrom(
      'brokerDatas',
      'queueDatas',
      'brokerAddrs',
      'offsetTable',
      'topicConfigTable',
      'consumerDataSet',
      'subscriptionDataSet',
      'mqSet',
      'connectionSet',
      'subscriptionTable',
      'dataVersion',
      'filterServerTable',
      'brokerAddrTable',
      'clusterAddrTable',
      'subscriptionGroupTable',
      'topicConfigSerializeWrapper',
    );
    fc.assert(
      fc.property(fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 })), (value) =>
        onlyProtocolErrors(Buffer.from(JSON.stringify(value))),
      ),
      { numRuns: 200 },
    );
  });
});
