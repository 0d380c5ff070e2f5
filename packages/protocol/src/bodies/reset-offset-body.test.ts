import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeResetOffsetBody, encodeResetOffsetBody } from './reset-offset-body.js';

describe('ResetOffsetBody', () => {
  it('decodes the reference example and encodes it back exactly', () => {
    const text = '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:123}}';
    const v = decodeResetOffsetBody(text);
    expect(v).toEqual({ offsetTable: [[{ brokerName: 'b', queueId: 0, topic: 't' }, 123]] });
    expect(encodeResetOffsetBody(v).toString()).toBe(text);
  });

  it('refuses an offset that is not an integer', () => {
    expect(() =>
      decodeResetOffsetBody('{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:"x"}}'),
    ).toThrow(ProtocolError);
  });
});
