import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import {
  decodeLockBatchRequestBody,
  decodeLockBatchResponseBody,
  decodeUnlockBatchRequestBody,
  encodeLockBatchRequestBody,
  encodeLockBatchResponseBody,
  encodeUnlockBatchRequestBody,
} from './lock-batch.js';
import type { LockBatchRequestBody } from './lock-batch.js';

const request: LockBatchRequestBody = {
  consumerGroup: 'cg',
  clientId: '10.0.0.5@1',
  onlyThisBroker: false,
  mqSet: [
    { topic: 't', brokerName: 'b', queueId: 0 },
    { topic: 't', brokerName: 'b', queueId: 1 },
  ],
};

describe('LockBatchRequestBody and UnlockBatchRequestBody', () => {
  it('encode in the reference shape and re-decode equal', () => {
    const text =
      '{"clientId":"10.0.0.5@1","consumerGroup":"cg","mqSet":[{"brokerName":"b","queueId":0,"topic":"t"},' +
      '{"brokerName":"b","queueId":1,"topic":"t"}],"onlyThisBroker":false}';
    expect(encodeLockBatchRequestBody(request).toString()).toBe(text);
    expect(decodeLockBatchRequestBody(text)).toEqual(request);
    expect(decodeUnlockBatchRequestBody(encodeUnlockBatchRequestBody(request))).toEqual(request);
  });

  it('defaults onlyThisBroker to false when a 4.x client leaves it out', () => {
    expect(
      decodeLockBatchRequestBody('{"consumerGroup":"cg","clientId":"c","mqSet":[]}').onlyThisBroker,
    ).toBe(false);
  });

  it('refuses a queue without a queueId', () => {
    expect(() => decodeLockBatchRequestBody('{"mqSet":[{"topic":"t","brokerName":"b"}]}')).toThrow(
      ProtocolError,
    );
  });
});

describe('LockBatchResponseBody', () => {
  it('round-trips the locked set', () => {
    const v = { lockOKMQSet: request.mqSet };
    expect(encodeLockBatchResponseBody(v).toString()).toBe(
      '{"lockOKMQSet":[{"brokerName":"b","queueId":0,"topic":"t"},{"brokerName":"b","queueId":1,"topic":"t"}]}',
    );
    expect(decodeLockBatchResponseBody(encodeLockBatchResponseBody(v))).toEqual(v);
  });
});
