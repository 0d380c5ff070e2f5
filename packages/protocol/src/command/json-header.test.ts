import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decodeJsonHeader, encodeJsonHeader } from './json-header.js';
import { RemotingCommand } from './remoting-command.js';

const json = (text: string) => Buffer.from(text, 'utf8');

describe('json header', () => {
  it('writes Java fastjson order with string values when encoding a fresh command', () => {
    const cmd = new RemotingCommand({ code: 105, opaque: 7, extFields: { topic: 'T' } });
    expect(encodeJsonHeader(cmd)).toBe(
      '{"code":105,"extFields":{"topic":"T"},"flag":0,"language":"JAVA","opaque":7,' +
        '"serializeTypeCurrentRPC":"JSON","version":409}',
    );
  });

  it('coerces ali-ons JSON numbers and booleans in extFields to strings', () => {
    const cmd = decodeJsonHeader(
      json(
        '{"code":310,"language":"JAVA","opaque":3,"flag":0,"version":121,"extFields":{"e":0,"k":false,"g":1700000000000,"i":"TAGS\\u0001A\\u0002"}}',
      ),
      undefined,
    );
    expect(cmd.extFields).toEqual({
      e: '0',
      k: 'false',
      g: '1700000000000',
      i: 'TAGS\u0001A\u0002',
    });
    expect(cmd.version).toBe(121);
  });

  it('re-encodes a decoded header byte for byte, including typed values and key order', () => {
    const text =
      '{"code":11,"language":"JAVA","opaque":9,"flag":0,"version":121,"remark":"r","extFields":{"queueId":0,"topic":"T","k":false}}';
    expect(encodeJsonHeader(decodeJsonHeader(json(text), undefined))).toBe(text);
  });

  it('re-encodes a Java-written header byte for byte', () => {
    const text =
      '{"code":0,"extFields":{"offset":"5"},"flag":1,"language":"JAVA","opaque":2,"serializeTypeCurrentRPC":"JSON","version":409}';
    expect(encodeJsonHeader(decodeJsonHeader(json(text), undefined))).toBe(text);
  });

  it('writes a changed typed value as a string once it no longer reads back as a number', () => {
    const cmd = decodeJsonHeader(json('{"code":1,"extFields":{"n":1}}'), undefined);
    cmd.extFields!.n = '01';
    expect(encodeJsonHeader(cmd)).toBe(
      '{"code":1,"extFields":{"n":"01"},"flag":0,"language":"JAVA","opaque":0,"version":0}',
    );
  });

  it('accepts numeric strings for int fields and defaults missing ones', () => {
    const cmd = decodeJsonHeader(json('{"code":"34"}'), undefined);
    expect([cmd.code, cmd.opaque, cmd.flag, cmd.language]).toEqual([34, 0, 0, 'JAVA']);
  });

  it.each([
    ['not json', '{"code":'],
    ['an array', '[1]'],
    ['no code', '{"opaque":1}'],
    ['a fractional code', '{"code":1.5}'],
    ['an out-of-range opaque', '{"code":1,"opaque":4294967296}'],
    ['a numeric language', '{"code":1,"language":3}'],
    ['extFields as an array', '{"code":1,"extFields":[1]}'],
  ])('rejects %s with a ProtocolError', (_what, text) => {
    expect(() => decodeJsonHeader(json(text), undefined)).toThrow(ProtocolError);
  });

  it.each([
    ['a string code', '{"code":"x1"}'],
    ['a null code', '{"code":null}'],
    ['a boolean flag', '{"code":1,"flag":true}'],
    ['a too-long numeric string', '{"code":"12345678901"}'],
    ['a remark object', '{"code":1,"remark":{}}'],
    ['a bare string', '"code"'],
    ['null', 'null'],
    ['trailing garbage', '{"code":1}x'],
  ])('also rejects %s with a ProtocolError', (_what, text) => {
    expect(() => decodeJsonHeader(json(text), undefined)).toThrow(ProtocolError);
  });

  it('keeps the key order of each header and re-encodes it byte for byte, repeated orders included', () => {
    const texts = [
      '{"code":310,"extFields":{"a":"PG"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":409}',
      '{"code":310,"language":"NODE_JS","opaque":2,"flag":0,"version":409,"extFields":{"queueId":0,"k":false}}',
      '{"code":310,"language":"NODE_JS","opaque":3,"flag":0,"version":409,"extFields":{"queueId":"0"}}',
      '{"opaque":4,"code":1,"remark":"r","serializeTypeCurrentRPC":"OTHER","flag":1,"language":"GO","version":2}',
      '{"opaque":5,"code":1,"remark":"r","flag":1,"language":"GO","version":2}',
      '{"zz":1,"code":1,"opaque":6,"flag":0,"language":"JAVA","version":409}',
    ];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        const cmd = decodeJsonHeader(json(text), undefined);
        expect(cmd.jsonShape!.keyOrder).toEqual(Object.keys(JSON.parse(text) as object));
        const again = encodeJsonHeader(cmd);
        expect(again).toBe(text.replace('"zz":1,', ''));
      }
    }
  });
});
