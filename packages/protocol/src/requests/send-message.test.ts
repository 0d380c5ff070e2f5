import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestCode } from '../codes/request-code.js';
import { HeaderFieldError, ProtocolError } from '../errors.js';
import type { SendMessageRequestHeader, SendMessageRequestHeaderV2 } from './send-message.js';
import {
  decodeSendMessageRequestHeader,
  decodeSendMessageRequestHeaderV2,
  decodeSendMessageResponseHeader,
  encodeSendMessageRequestHeader,
  encodeSendMessageRequestHeaderV2,
  encodeSendMessageResponseHeader,
  fromSendMessageRequestHeaderV2,
  toSendMessageRequestHeaderV2,
} from './send-message.js';

// What ali-ons 3.12.0 sends for Producer.send, after the JSON decoder turned its numbers/booleans into strings.
const ALI_ONS_V2 = {
  a: 'PG',
  b: 'TopicT',
  c: 'TBW102',
  d: '4',
  e: '2',
  f: '0',
  g: '1700000000000',
  h: '0',
  i: 'TAGS\u0001null\u0002',
  j: '0',
  k: 'false',
  AccessKey: 'ak',
  OnsChannel: 'ALIYUN',
  Signature: 'c2ln',
};

const V1: SendMessageRequestHeader = {
  producerGroup: 'PG',
  topic: 'TopicT',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 2,
  sysFlag: 0,
  bornTimestamp: 1700000000000,
  flag: 0,
  properties: 'TAGS\u0001null\u0002',
  reconsumeTimes: 0,
  unitMode: false,
};

describe('send message request header', () => {
  it('decodes the one-letter keys ali-ons sends with SEND_MESSAGE_V2 into the V1 form', () => {
    expect(decodeSendMessageRequestHeader(ALI_ONS_V2, RequestCode.SEND_MESSAGE_V2)).toStrictEqual(
      V1,
    );
  });

  it('decodes the long keys for SEND_MESSAGE', () => {
    const ext = encodeSendMessageRequestHeader(V1, RequestCode.SEND_MESSAGE);
    expect(ext.producerGroup).toBe('PG');
    expect(ext.a).toBeUndefined();
    expect(decodeSendMessageRequestHeader(ext, RequestCode.SEND_MESSAGE)).toStrictEqual(V1);
  });

  it('reads only the one-letter keys for SEND_BATCH_MESSAGE, as the Java broker does', () => {
    const v1Keys = encodeSendMessageRequestHeader(V1, RequestCode.SEND_MESSAGE);
    expect(() => decodeSendMessageRequestHeader(v1Keys, RequestCode.SEND_BATCH_MESSAGE)).toThrow(
      HeaderFieldError,
    );
    const batch = encodeSendMessageRequestHeader(
      { ...V1, batch: true },
      RequestCode.SEND_BATCH_MESSAGE,
    );
    expect(batch.m).toBe('true');
    expect(decodeSendMessageRequestHeader(batch, RequestCode.SEND_BATCH_MESSAGE).batch).toBe(true);
  });

  it('reads only the long keys for SEND_MESSAGE', () => {
    expect(() => decodeSendMessageRequestHeader(ALI_ONS_V2, RequestCode.SEND_MESSAGE)).toThrow(
      /header field producerGroup: is missing/,
    );
  });

  it('names the missing one-letter key', () => {
    const { d: _d, ...withoutD } = ALI_ONS_V2;
    try {
      decodeSendMessageRequestHeader(withoutD, RequestCode.SEND_MESSAGE_V2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeaderFieldError);
      expect((e as HeaderFieldError).field).toBe('d');
    }
  });

  it('maps V2 key n to the V1 bname field', () => {
    const h = decodeSendMessageRequestHeader({ ...ALI_ONS_V2, n: 'broker-a' }, 310);
    expect(h.bname).toBe('broker-a');
    expect(encodeSendMessageRequestHeader(h, RequestCode.SEND_MESSAGE).bname).toBe('broker-a');
  });

  it('refuses request codes that are not sends', () => {
    expect(() => decodeSendMessageRequestHeader(ALI_ONS_V2, RequestCode.PULL_MESSAGE)).toThrow(
      ProtocolError,
    );
    expect(() => encodeSendMessageRequestHeader(V1, 324)).toThrow(/request code 324/);
  });

  const v1Arb: fc.Arbitrary<SendMessageRequestHeader> = fc.record(
    {
      producerGroup: fc.string(),
      topic: fc.string(),
      defaultTopic: fc.string(),
      defaultTopicQueueNums: fc.integer(),
      queueId: fc.integer(),
      sysFlag: fc.integer(),
      bornTimestamp: fc.maxSafeInteger(),
      flag: fc.integer(),
      properties: fc.string(),
      reconsumeTimes: fc.integer(),
      unitMode: fc.boolean(),
      maxReconsumeTimes: fc.integer(),
      batch: fc.boolean(),
      bname: fc.string(),
    },
    {
      noNullPrototype: true,
      requiredKeys: [
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
  );

  it('converts V1 to V2 and back without losing anything', () => {
    fc.assert(
      fc.property(v1Arb, (h) => {
        expect(fromSendMessageRequestHeaderV2(toSendMessageRequestHeaderV2(h))).toStrictEqual(h);
      }),
      { numRuns: 300 },
    );
  });

  it('converts V2 to V1 and back without losing anything', () => {
    fc.assert(
      fc.property(v1Arb, (h) => {
        const v2: SendMessageRequestHeaderV2 = toSendMessageRequestHeaderV2(h);
        expect(toSendMessageRequestHeaderV2(fromSendMessageRequestHeaderV2(v2))).toStrictEqual(v2);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same header through either key set', () => {
    fc.assert(
      fc.property(v1Arb, fc.constantFrom(10, 310, 320), (h, code) => {
        expect(
          decodeSendMessageRequestHeader(encodeSendMessageRequestHeader(h, code), code),
        ).toStrictEqual(h);
      }),
      { numRuns: 300 },
    );
  });

  /** The outcome of a decode: the header with its key order, or the error's class and message. */
  function outcome(decode: () => SendMessageRequestHeader): unknown {
    try {
      const h = decode();
      return { h, keys: Object.keys(h) };
    } catch (error) {
      return { error: String(error), kind: (error as Error).constructor.name };
    }
  }

  // Raw extFields as peers send them: numbers that do or do not parse, missing keys, odd booleans.
  const rawValueArb = fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.constantFrom('', '+7', '-0', '007', '2147483648', '9007199254740993', 'TRUE', 'false', 'x1'),
  );
  const rawV2Arb = fc.dictionary(
    fc.constantFrom(
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'i',
      'j',
      'k',
      'l',
      'm',
      'n',
      'producerGroup',
    ),
    rawValueArb,
  );

  it('decodes SEND_MESSAGE_V2 in one pass exactly as the V2 codec plus conversion, errors included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          rawV2Arb,
          v1Arb.map((h) => encodeSendMessageRequestHeader(h, 310)),
        ),
        (ext) => {
          expect(outcome(() => decodeSendMessageRequestHeader(ext, 310))).toStrictEqual(
            outcome(() => fromSendMessageRequestHeaderV2(decodeSendMessageRequestHeaderV2(ext))),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('writes SEND_MESSAGE_V2 exactly as the V2 codec writes the converted header, keys in order', () => {
    fc.assert(
      fc.property(v1Arb, fc.constantFrom(310, 320), (h, code) => {
        const direct = encodeSendMessageRequestHeader(h, code);
        const viaCodec = encodeSendMessageRequestHeaderV2(toSendMessageRequestHeaderV2(h));
        expect(direct).toStrictEqual(viaCodec);
        expect(Object.keys(direct)).toEqual(Object.keys(viaCodec));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a missing or out-of-range V2 field with the one-letter key, as the codec does', () => {
    const missing = { ...V1, queueId: undefined } as unknown as SendMessageRequestHeader;
    expect(() => encodeSendMessageRequestHeader(missing, 310)).toThrow(
      /header field e: is missing/,
    );
    expect(() => encodeSendMessageRequestHeader({ ...V1, flag: 2 ** 31 }, 310)).toThrow(
      /header field h: 2147483648 is not an int/,
    );
    expect(() => encodeSendMessageRequestHeader({ ...V1, bornTimestamp: 1.5 }, 320)).toThrow(
      /header field g: 1.5 is not a safe integer/,
    );
    expect(() =>
      encodeSendMessageRequestHeader({ ...V1, reconsumeTimes: -(2 ** 40) }, 310),
    ).toThrow(HeaderFieldError);
  });

  it('keeps V2 keys a to h required and i to n optional', () => {
    const v2 = decodeSendMessageRequestHeaderV2({
      a: 'a',
      b: 'b',
      c: 'c',
      d: '1',
      e: '2',
      f: '3',
      g: '4',
      h: '5',
    });
    expect(v2).toStrictEqual({ a: 'a', b: 'b', c: 'c', d: 1, e: 2, f: 3, g: 4, h: 5 });
  });
});

describe('send message response header', () => {
  it('carries the MSG_REGION and TRACE_ON extra keys the Java broker adds', () => {
    const ext = encodeSendMessageResponseHeader({
      msgId: '0A00000100002A9F0000000000001000',
      queueId: 2,
      queueOffset: 7,
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: true,
    });
    expect(ext).toEqual({
      msgId: '0A00000100002A9F0000000000001000',
      queueId: '2',
      queueOffset: '7',
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    });
  });

  it('decodes every field and leaves absent optional ones out', () => {
    const full = {
      msgId: '0A00000100002A9F0000000000001000',
      queueId: 3,
      queueOffset: 2 ** 40,
      transactionId: 'TX',
      batchUniqId: 'B',
      recallHandle: 'R',
      MSG_REGION: 'r1',
      TRACE_ON: false,
    };
    expect(decodeSendMessageResponseHeader(encodeSendMessageResponseHeader(full))).toStrictEqual(
      full,
    );
    expect(
      decodeSendMessageResponseHeader({ msgId: 'M', queueId: '0', queueOffset: '-1', x: 'y' }),
    ).toStrictEqual({ msgId: 'M', queueId: 0, queueOffset: -1 });
    expect(() =>
      decodeSendMessageResponseHeader({ msgId: 'M', queueId: 'x', queueOffset: '1' }),
    ).toThrow(/header field queueId: .* is not an int/);
    expect(() => decodeSendMessageResponseHeader({ queueId: '1', queueOffset: '1' })).toThrow(
      /header field msgId: is missing/,
    );
  });

  it('requires msgId, queueId and queueOffset when decoding', () => {
    expect(() => decodeSendMessageResponseHeader({ msgId: 'X', queueId: '1' })).toThrow(
      /header field queueOffset: is missing/,
    );
  });
});
