import {
  NOOP_LOGGER,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeConsumerSendMsgBackRequestHeader,
  decodeMessageProperties,
  decodeSendMessageRequestHeaderV2,
  encodeTopicRouteData,
} from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingServer } from '@rocketmq-ts/remoting';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testMessage } from '../../test/test-message.js';
import { MQClientInstance } from '../client-instance.js';
import { resolveClientConfig } from '../config.js';
import type { MessageExt } from '../message/message.js';
import { MessageBackSender } from './message-back.js';

/**
 * One fake peer plays name server and broker: it answers routes, refuses CONSUMER_SEND_MSG_BACK (the fault) and
 * records the SEND_MESSAGE_V2 re-send that must follow.
 */
describe('MessageBackSender', () => {
  let server: RemotingServer;
  let instance: MQClientInstance;
  let requests: RemotingCommand[];
  let sendBackCode: number;

  beforeEach(async () => {
    requests = [];
    sendBackCode = ResponseCode.SYSTEM_ERROR;
    const processors = new ProcessorTable();
    const addr = (): string => `127.0.0.1:${server.port}`;
    processors.on(RequestCode.GET_ROUTEINFO_BY_TOPIC, {
      process: (r) =>
        Promise.resolve(
          RemotingCommand.responseTo(r, ResponseCode.SUCCESS, {
            body: encodeTopicRouteData({
              queueDatas: [
                { brokerName: 'b', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
              ],
              brokerDatas: [{ cluster: 'c', brokerName: 'b', brokerAddrs: new Map([[0, addr()]]) }],
              filterServerTable: new Map(),
            }),
          }),
        ),
    });
    processors.on([RequestCode.CONSUMER_SEND_MSG_BACK, RequestCode.SEND_MESSAGE_V2], {
      process: (r) => {
        requests.push(r);
        const code = r.code === RequestCode.SEND_MESSAGE_V2 ? ResponseCode.SUCCESS : sendBackCode;
        return Promise.resolve(RemotingCommand.responseTo(r, code, { remark: 'fake' }));
      },
    });
    server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors });
    await server.start();
    instance = MQClientInstance.acquire(
      resolveClientConfig({
        namesrvAddr: `127.0.0.1:${server.port}`,
        instanceName: `message-back-${server.port}`,
        logger: NOOP_LOGGER,
      }),
    );
    await instance.updateRoute('TopicTest');
  });

  afterEach(async () => {
    await instance.close();
    await server.close();
  });

  function message(): MessageExt {
    return testMessage({
      topic: 'TopicTest',
      body: Buffer.from('payload'),
      tags: 'TagA',
      properties: new Map([
        ['TAGS', 'TagA'],
        ['UNIQ_KEY', 'U1'],
        ['MIN_OFFSET', '0'],
        ['TRAN_MSG', 'true'],
      ]),
      msgId: 'U1',
      offsetMsgId: 'OFF1',
      queueOffset: 3,
      commitLogOffset: 1234,
      reconsumeTimes: 2,
      flag: 7,
    });
  }

  function sender(): MessageBackSender {
    return new MessageBackSender({
      instance,
      group: 'cg',
      maxReconsumeTimes: 16,
      logger: NOOP_LOGGER,
    });
  }

  it('sends CONSUMER_SEND_MSG_BACK with the commit-log offset, group and limit', async () => {
    sendBackCode = ResponseCode.SUCCESS;
    await sender().sendMessageBack(message(), 0);
    expect(requests).toHaveLength(1);
    const header = decodeConsumerSendMsgBackRequestHeader(requests[0]!.extFields ?? {});
    expect(header).toMatchObject({
      offset: 1234,
      group: 'cg',
      delayLevel: 0,
      originMsgId: 'U1',
      originTopic: 'TopicTest',
      maxReconsumeTimes: 16,
    });
  });

  it('re-sends the message to %RETRY%<group> as Java does when the send-back is refused', async () => {
    await sender().sendMessageBack(message(), 0);
    expect(requests.map((r) => r.code)).toEqual([
      RequestCode.CONSUMER_SEND_MSG_BACK,
      RequestCode.SEND_MESSAGE_V2,
    ]);
    const resend = requests[1]!;
    const header = decodeSendMessageRequestHeaderV2(resend.extFields ?? {});
    expect(header).toMatchObject({
      a: 'CLIENT_INNER_PRODUCER',
      b: '%RETRY%cg',
      e: -1,
      h: 7,
      j: 3,
      l: 16,
    });
    const properties = decodeMessageProperties(header.i ?? '');
    expect(properties.get('RETRY_TOPIC')).toBe('TopicTest');
    expect(properties.get('ORIGIN_MESSAGE_ID')).toBe('U1');
    expect(properties.get('DELAY')).toBe('5');
    expect(properties.get('TAGS')).toBe('TagA');
    expect(properties.has('MIN_OFFSET')).toBe(false);
    expect(properties.has('TRAN_MSG')).toBe(false);
    expect(resend.body?.toString()).toBe('payload');
  });

  it('asks for the dead letter queue with delay level -1 (orderly), re-sent with reconsumeTimes at the limit', async () => {
    await sender().sendMessageBack(message(), -1);
    expect(decodeConsumerSendMsgBackRequestHeader(requests[0]!.extFields ?? {}).delayLevel).toBe(
      -1,
    );
    const header = decodeSendMessageRequestHeaderV2(requests[1]!.extFields ?? {});
    expect(header.j).toBe(16);
    expect(header.l).toBe(16);
  });
});
