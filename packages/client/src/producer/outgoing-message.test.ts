import {
  MessageSysFlag,
  ResponseCode,
  decodeBatchBody,
  decodeMessageProperties,
  decompressBody,
} from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MQClientError } from '../errors.js';
import type { Message } from '../message/message.js';
import { buildMessageProperties, prepareBatch, prepareMessage } from './outgoing-message.js';
import type { PrepareOptions } from './outgoing-message.js';

function options(overrides: Partial<PrepareOptions> = {}): PrepareOptions {
  let n = 0;
  return {
    maxMessageSize: 4_194_304,
    compressMsgBodyOverHowmuch: 4096,
    nextMsgId: () => `ID${n++}`,
    ...overrides,
  };
}

function refusal(run: () => unknown): MQClientError {
  try {
    run();
  } catch (error) {
    if (error instanceof MQClientError) return error;
    throw error;
  }
  throw new Error('expected an MQClientError');
}

describe('buildMessageProperties', () => {
  it('writes TAGS, KEYS joined by a space, WAIT=true, DELAY, user properties and UNIQ_KEY', () => {
    const text = buildMessageProperties(
      {
        topic: 'T',
        body: 'x',
        tags: 'TagA',
        keys: ['k1', 'k2'],
        delayTimeLevel: 3,
        properties: { color: 'red' },
      },
      'UNIQ1',
    );
    expect(Object.fromEntries(decodeMessageProperties(text))).toEqual({
      TAGS: 'TagA',
      KEYS: 'k1 k2',
      WAIT: 'true',
      DELAY: '3',
      color: 'red',
      UNIQ_KEY: 'UNIQ1',
    });
    expect(text.endsWith('\u0002')).toBe(true);
  });

  it('writes WAIT=false only when waitStoreMsgOK is false, and leaves out empty tags and level 0', () => {
    const props = decodeMessageProperties(
      buildMessageProperties(
        { topic: 'T', body: 'x', tags: '', keys: 'one', delayTimeLevel: 0, waitStoreMsgOK: false },
        'U',
      ),
    );
    expect(Object.fromEntries(props)).toEqual({ KEYS: 'one', WAIT: 'false', UNIQ_KEY: 'U' });
  });

  it('refuses reserved, blank and separator-carrying user properties', () => {
    const m = (properties: Record<string, string>): Message => ({
      topic: 'T',
      body: 'x',
      properties,
    });
    const reserved = refusal(() => buildMessageProperties(m({ UNIQ_KEY: 'x' }), 'U'));
    expect(reserved.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(reserved.message).toContain('UNIQ_KEY');
    expect(refusal(() => buildMessageProperties(m({ TAGS: 'x' }), 'U')).message).toContain(
      'reserved',
    );
    expect(refusal(() => buildMessageProperties(m({ a: ' ' }), 'U')).code).toBe(
      ResponseCode.MESSAGE_ILLEGAL,
    );
    expect(refusal(() => buildMessageProperties(m({ a: 'x\u0001y' }), 'U')).code).toBe(
      ResponseCode.MESSAGE_ILLEGAL,
    );
    expect(
      refusal(() => buildMessageProperties({ topic: 'T', body: 'x', tags: 'a\u0002' }, 'U')).code,
    ).toBe(ResponseCode.MESSAGE_ILLEGAL);
  });

  it('refuses properties over 32767 bytes', () => {
    const e = refusal(() =>
      buildMessageProperties(
        { topic: 'T', body: 'x', properties: { big: 'é'.repeat(20_000) } },
        'U',
      ),
    );
    expect(e.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
  });
});

describe('prepareMessage', () => {
  it('keeps small bodies as they are, with a fresh UNIQ_KEY and sysFlag 0', () => {
    const out = prepareMessage({ topic: 'T', body: 'hello', flag: 7 }, options());
    expect(out.body.toString()).toBe('hello');
    expect(out.sysFlag).toBe(0);
    expect(out.flag).toBe(7);
    expect(out.msgIds).toEqual(['ID0']);
    expect(decodeMessageProperties(out.properties).get('UNIQ_KEY')).toBe('ID0');
    expect(out.batch).toBe(false);
  });

  it('compresses bodies at the threshold with the zlib flag bits Java 4.9.8 sets', () => {
    const body = Buffer.alloc(4096, 'a');
    const out = prepareMessage({ topic: 'T', body }, options());
    expect(out.sysFlag).toBe(MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_ZLIB_TYPE);
    expect(out.body.length).toBeLessThan(body.length);
    expect(decompressBody(out.body, out.sysFlag)).toEqual(body);
    expect(prepareMessage({ topic: 'T', body: body.subarray(1) }, options()).sysFlag).toBe(0);
  });

  it('accepts a Uint8Array body without copying it', () => {
    const bytes = new Uint8Array([0, 1, 2, 3]).subarray(1);
    const out = prepareMessage({ topic: 'T', body: bytes }, options());
    expect([...out.body]).toEqual([1, 2, 3]);
    expect(out.body.buffer).toBe(bytes.buffer);
  });

  it('refuses an empty or oversized body before anything else happens', () => {
    expect(refusal(() => prepareMessage({ topic: 'T', body: '' }, options())).code).toBe(
      ResponseCode.MESSAGE_ILLEGAL,
    );
    const big = refusal(() =>
      prepareMessage({ topic: 'T', body: Buffer.alloc(11) }, options({ maxMessageSize: 10 })),
    );
    expect(big.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(big.message).toContain('maxMessageSize 10');
  });

  it('checks the topic as Java Validators does', () => {
    for (const topic of ['', 'a b', 'x'.repeat(128), 'tópico']) {
      expect(refusal(() => prepareMessage({ topic, body: 'x' }, options())).code).toBe(
        ResponseCode.MESSAGE_ILLEGAL,
      );
    }
    expect(
      refusal(() => prepareMessage({ topic: 'SCHEDULE_TOPIC_XXXX', body: 'x' }, options())).code,
    ).toBe(ResponseCode.NO_PERMISSION);
    expect(() => prepareMessage({ topic: '%RETRY%g|a_b-1', body: 'x' }, options())).not.toThrow();
  });

  it('refuses a flag outside int32 and a bad delay level', () => {
    expect(
      refusal(() => prepareMessage({ topic: 'T', body: 'x', flag: 2 ** 31 }, options())).code,
    ).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(
      refusal(() => prepareMessage({ topic: 'T', body: 'x', delayTimeLevel: 1.5 }, options())).code,
    ).toBe(ResponseCode.MESSAGE_ILLEGAL);
  });
});

describe('prepareBatch', () => {
  it('encodes every message with its own properties and UNIQ_KEY; the header carries WAIT only', () => {
    const out = prepareBatch(
      [
        { topic: 'T', body: 'a', tags: 'A', keys: 'k1' },
        { topic: 'T', body: Buffer.alloc(5000, 'b'), flag: 3, properties: { p: 'v' } },
      ],
      options(),
    );
    expect(out.batch).toBe(true);
    expect(out.sysFlag).toBe(0);
    expect(out.msgIds).toEqual(['ID0', 'ID1']);
    expect(Object.fromEntries(decodeMessageProperties(out.properties))).toEqual({ WAIT: 'true' });
    const entries = decodeBatchBody(out.body);
    expect(entries).toHaveLength(2);
    expect(entries[0]?.body.toString()).toBe('a');
    expect(Object.fromEntries(entries[0]!.properties)).toMatchObject({
      TAGS: 'A',
      KEYS: 'k1',
      UNIQ_KEY: 'ID0',
    });
    // Batches are never compressed, whatever the body size.
    expect(entries[1]?.body).toEqual(Buffer.alloc(5000, 'b'));
    expect(entries[1]?.flag).toBe(3);
    expect(entries[1]?.properties.get('UNIQ_KEY')).toBe('ID1');
    expect(entries[1]?.properties.get('p')).toBe('v');
  });

  it('refuses an empty batch, mixed topics, mixed WAIT, delays and retry topics', () => {
    const cases: Message[][] = [
      [],
      [
        { topic: 'A', body: 'x' },
        { topic: 'B', body: 'x' },
      ],
      [
        { topic: 'A', body: 'x' },
        { topic: 'A', body: 'x', waitStoreMsgOK: false },
      ],
      [{ topic: 'A', body: 'x', delayTimeLevel: 2 }],
      [{ topic: '%RETRY%g', body: 'x' }],
      [{ topic: 'A', body: '' }],
    ];
    for (const batch of cases) {
      expect(refusal(() => prepareBatch(batch, options())).code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    }
  });

  it('refuses a batch body over maxMessageSize even when every message fits', () => {
    const e = refusal(() =>
      prepareBatch(
        [
          { topic: 'T', body: Buffer.alloc(60) },
          { topic: 'T', body: Buffer.alloc(60) },
        ],
        options({ maxMessageSize: 100 }),
      ),
    );
    expect(e.message).toContain('split the batch');
  });
});
