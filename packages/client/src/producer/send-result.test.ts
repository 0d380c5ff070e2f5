import { RemotingCommand, ResponseCode } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MQBrokerError } from '../errors.js';
import { sendResultFromResponse } from './send-result.js';

function response(code: number, extFields?: Record<string, string>, remark?: string) {
  return new RemotingCommand({ code, extFields, remark });
}

const ids = { addr: '127.0.0.1:10911', topic: 'T', brokerName: 'b0' };
const header = { msgId: '7F00000100002A9F0000000000001F40', queueId: '2', queueOffset: '17' };

describe('sendResultFromResponse', () => {
  it('reports the UNIQ_KEY as msgId and the header msgId as offsetMsgId', () => {
    const r = sendResultFromResponse({
      ...ids,
      response: response(ResponseCode.SUCCESS, {
        ...header,
        MSG_REGION: 'R1',
        TRACE_ON: 'true',
      }),
      msgIds: ['UNIQ'],
    });
    expect(r).toEqual({
      sendStatus: 'SEND_OK',
      msgId: 'UNIQ',
      offsetMsgId: header.msgId,
      messageQueue: { topic: 'T', brokerName: 'b0', queueId: 2 },
      queueOffset: 17,
      regionId: 'R1',
      traceOn: true,
    });
  });

  it('joins batch ids with commas and defaults region and trace switch as Java does', () => {
    const r = sendResultFromResponse({
      ...ids,
      response: response(ResponseCode.SUCCESS, { ...header, msgId: 'A,B', TRACE_ON: 'false' }),
      msgIds: ['U1', 'U2'],
    });
    expect(r.msgId).toBe('U1,U2');
    expect(r.offsetMsgId).toBe('A,B');
    expect(r.regionId).toBe('DefaultRegion');
    expect(r.traceOn).toBe(false);
  });

  it('maps the stored-but-not-flushed codes to statuses', () => {
    const cases: Array<[number, string]> = [
      [ResponseCode.FLUSH_DISK_TIMEOUT, 'FLUSH_DISK_TIMEOUT'],
      [ResponseCode.FLUSH_SLAVE_TIMEOUT, 'FLUSH_SLAVE_TIMEOUT'],
      [ResponseCode.SLAVE_NOT_AVAILABLE, 'SLAVE_NOT_AVAILABLE'],
    ];
    for (const [code, status] of cases) {
      const r = sendResultFromResponse({ ...ids, response: response(code, header), msgIds: ['U'] });
      expect(r.sendStatus).toBe(status);
    }
  });

  it('throws MQBrokerError with the code, remark and address for any other code', () => {
    let error: unknown;
    try {
      sendResultFromResponse({
        ...ids,
        response: response(ResponseCode.MESSAGE_ILLEGAL, undefined, 'too big'),
        msgIds: ['U'],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MQBrokerError);
    expect(error).toMatchObject({ code: ResponseCode.MESSAGE_ILLEGAL, addr: ids.addr });
    expect((error as Error).message).toContain('too big');
  });
});
