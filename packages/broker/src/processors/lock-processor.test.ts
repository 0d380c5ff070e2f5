import {
  ProtocolError,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeLockBatchResponseBody,
  encodeLockBatchRequestBody,
  encodeUnlockBatchRequestBody,
} from '@rocketmq-ts/protocol';
import type { MessageQueue } from '@rocketmq-ts/protocol';
import { ProcessorTable } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import { dispatchLocally } from '../../test/broker-test-context.js';
import { RebalanceLockManager } from '../lock/rebalance-lock-manager.js';
import { LockProcessor } from './lock-processor.js';

const mq = (queueId: number): MessageQueue => ({ topic: 'TopicTest', brokerName: 'b', queueId });
const GROUP = 'order-group';

function lockRequest(clientId: string, mqSet: MessageQueue[]): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.LOCK_BATCH_MQ,
    undefined,
    encodeLockBatchRequestBody({ consumerGroup: GROUP, clientId, onlyThisBroker: false, mqSet }),
  );
}

function unlockRequest(clientId: string, mqSet: MessageQueue[]): RemotingCommand {
  return RemotingCommand.request(
    RequestCode.UNLOCK_BATCH_MQ,
    undefined,
    encodeUnlockBatchRequestBody({ consumerGroup: GROUP, clientId, onlyThisBroker: false, mqSet }),
  );
}

async function lock(
  processor: LockProcessor,
  clientId: string,
  mqSet: MessageQueue[],
): Promise<MessageQueue[]> {
  const response = await processor.process(lockRequest(clientId, mqSet));
  expect(response.code).toBe(ResponseCode.SUCCESS);
  return decodeLockBatchResponseBody(response.body ?? Buffer.alloc(0)).lockOKMQSet;
}

async function dispatch(processor: LockProcessor, request: RemotingCommand) {
  const table = new ProcessorTable().on(
    [RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ],
    processor,
  );
  return dispatchLocally(table, request);
}

describe('LockProcessor', () => {
  it('answers the queues locked for the client and leaves out those another client holds', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    expect(await lock(processor, 'c1', [mq(0), mq(1)])).toEqual([mq(0), mq(1)]);
    expect(await lock(processor, 'c2', [mq(1), mq(2)])).toEqual([mq(2)]);
    expect(await lock(processor, 'c1', [mq(0), mq(1), mq(2)])).toEqual([mq(0), mq(1)]);
  });

  it('writes the response body in fastjson order', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    const response = await processor.process(lockRequest('c1', [mq(3)]));
    expect(response.body?.toString()).toBe(
      '{"lockOKMQSet":[{"brokerName":"b","queueId":3,"topic":"TopicTest"}]}',
    );
  });

  it('answers an empty set for an empty request', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    expect(await lock(processor, 'c1', [])).toEqual([]);
  });

  it('unlocks only the queues the client holds and answers SUCCESS with no body', async () => {
    const locks = new RebalanceLockManager();
    const processor = new LockProcessor({ locks });
    await lock(processor, 'c1', [mq(0), mq(1)]);
    await lock(processor, 'c2', [mq(2)]);
    const response = await processor.process(unlockRequest('c1', [mq(0), mq(2)]));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.body).toBeUndefined();
    expect(locks.lockHolder(GROUP, mq(0))).toBeUndefined();
    expect(locks.lockHolder(GROUP, mq(1))).toBe('c1');
    expect(locks.lockHolder(GROUP, mq(2))).toBe('c2');
    expect(await lock(processor, 'c3', [mq(0), mq(1)])).toEqual([mq(0)]);
  });

  it('accepts a body as a Java client writes it, with unknown properties', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    const body = Buffer.from(
      '{"clientId":"10.0.0.1@1234","consumerGroup":"g","mqSet":[{"brokerName":"b","queueId":0,' +
        '"topic":"T"}],"onlyThisBroker":false,"extra":1}',
    );
    const response = await processor.process(
      RemotingCommand.request(RequestCode.LOCK_BATCH_MQ, undefined, body),
    );
    expect(decodeLockBatchResponseBody(response.body!).lockOKMQSet).toEqual([
      { topic: 'T', brokerName: 'b', queueId: 0 },
    ]);
  });

  it('rejects a missing, malformed or incomplete body with ProtocolError', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    const bodies: (Buffer | undefined)[] = [
      undefined,
      Buffer.alloc(0),
      Buffer.from('{"consumerGroup":'),
      Buffer.from('{"consumerGroup":"g","clientId":"c","mqSet":[{"topic":"T"}]}'),
      Buffer.from('{"clientId":"c","mqSet":[]}'),
      Buffer.from('{"consumerGroup":"g","mqSet":[]}'),
    ];
    for (const body of bodies) {
      for (const code of [RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ]) {
        await expect(
          processor.process(RemotingCommand.request(code, undefined, body)),
        ).rejects.toBeInstanceOf(ProtocolError);
      }
    }
  });

  it('is answered SYSTEM_ERROR with a remark by dispatch for a malformed body', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    const response = await dispatch(
      processor,
      RemotingCommand.request(RequestCode.LOCK_BATCH_MQ, undefined, Buffer.from('not json')),
    );
    expect(response?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(response?.remark).toMatch(/lockBatchRequestBody|json/i);
    const missing = await dispatch(
      processor,
      RemotingCommand.request(RequestCode.UNLOCK_BATCH_MQ, undefined, undefined),
    );
    expect(missing?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing?.remark).toContain('unlockBatchRequestBody: missing');
  });

  it('answers REQUEST_CODE_NOT_SUPPORTED for a code it does not handle', async () => {
    const processor = new LockProcessor({ locks: new RebalanceLockManager() });
    await expect(
      processor.process(RemotingCommand.request(RequestCode.QUERY_MESSAGE, {})),
    ).rejects.toMatchObject({ code: ResponseCode.REQUEST_CODE_NOT_SUPPORTED });
  });
});
