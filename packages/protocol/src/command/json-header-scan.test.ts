import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJsonHeader, decodeJsonHeaderGeneric, encodeJsonHeader } from './json-header.js';
import { scanJsonHeader } from './json-header-scan.js';
import { RemotingCommand } from './remoting-command.js';

/** Everything a decoded command carries, key orders included, as plain data to compare. */
function view(cmd: RemotingCommand): unknown {
  return {
    code: cmd.code,
    opaque: cmd.opaque,
    flag: cmd.flag,
    version: cmd.version,
    language: cmd.language,
    remark: cmd.remark,
    serializeType: cmd.serializeType,
    body: cmd.body,
    extFields: cmd.extFields === undefined ? undefined : Object.entries(cmd.extFields),
    extFieldsPrototype:
      cmd.extFields === undefined
        ? undefined
        : Object.getPrototypeOf(cmd.extFields) === Object.prototype,
    keyOrder: cmd.jsonShape?.keyOrder,
    extFieldTypes: cmd.jsonShape === undefined ? undefined : [...cmd.jsonShape.extFieldTypes],
    rpcType: cmd.jsonShape?.serializeTypeCurrentRPC,
  };
}

/** The generic decoder's answer: a view, or the error's class and message. */
function genericOutcome(bytes: Buffer): unknown {
  try {
    return view(decodeJsonHeaderGeneric(bytes, undefined));
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

function publicOutcome(bytes: Buffer): unknown {
  try {
    return view(decodeJsonHeader(bytes, undefined));
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\u0001',
      '\u0002',
      '\u007f',
      'é',
      '\ud800',
      '\ud83d\ude00',
      'a',
      '0',
    ),
    maxLength: 20,
  }),
);
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

/** Java-style commands (what Java, Go and our writer send): all extFields values strings. */
const command = fc.record(
  {
    code: int32,
    opaque: int32,
    flag: fc.integer({ min: 0, max: 3 }),
    version: int32,
    language: fc.oneof(fc.constantFrom('JAVA', 'GO'), hostileText),
    remark: fc.option(hostileText, { nil: undefined }),
    extFields: fc.option(
      fc.dictionary(
        fc.oneof(hostileText, fc.constantFrom('a', 'b', 'topic', '0', '10', 'toString')),
        fc.oneof(hostileText, fc.constantFrom('0', 'false', 'TopicTest', '1700000000000')),
        { maxKeys: 14 },
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['code', 'opaque', 'flag', 'version', 'language'] },
);

function headerBytes(init: ConstructorParameters<typeof RemotingCommand>[0]): Buffer {
  return Buffer.from(encodeJsonHeader(new RemotingCommand(init)), 'utf8');
}

const sendHeader =
  '{"code":310,"extFields":{"a":"PG","b":"TopicTest","c":"TBW102","d":"4","e":"3","f":"0","g":"1700000000000",' +
  '"h":"0","i":"TAGS\\u0001TagA\\u0002UNIQ_KEY\\u00017F00000100002A9F0000000000000001\\u0002","j":"0",' +
  '"k":"false","m":"false"},"flag":0,"language":"JAVA","opaque":12,"serializeTypeCurrentRPC":"JSON","version":453}';

describe('scanJsonHeader', () => {
  it('decodes every Java-style header exactly as JSON.parse does (keys, order, values, shape)', () => {
    fc.assert(
      fc.property(command, (init) => {
        const bytes = headerBytes(init);
        const scanned = scanJsonHeader(bytes, undefined);
        const inherited = Object.keys(init.extFields ?? {}).some((key) => key in {});
        // Only extFields keys that are inherited names (`toString`, `__proto__`) are left to the generic path.
        expect(scanned === undefined).toBe(inherited);
        expect(publicOutcome(bytes)).toEqual(genericOutcome(bytes));
        if (scanned !== undefined) expect(view(scanned)).toEqual(genericOutcome(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the generic decoder on damaged headers (or leaves them to it)', () => {
    const base = Buffer.from(sendHeader, 'utf8');
    const edit = fc.record({
      at: fc.nat({ max: base.length - 1 }),
      kind: fc.constantFrom('set', 'drop', 'insert', 'cut'),
      byte: fc.oneof(
        fc.nat({ max: 255 }),
        fc.constantFrom(0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x20, 0x30, 0x2d, 0x2e, 0x65, 0x6e),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let bytes = Buffer.from(base);
        for (const { at, kind, byte } of edits) {
          const i = Math.min(at, bytes.length - 1);
          if (kind === 'set') bytes[i] = byte;
          else if (kind === 'drop')
            bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          else if (kind === 'insert') {
            bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
          } else bytes = bytes.subarray(0, i);
        }
        const scanned = scanJsonHeader(bytes, undefined);
        if (scanned !== undefined) expect(view(scanned)).toEqual(genericOutcome(bytes));
        expect(publicOutcome(bytes)).toEqual(genericOutcome(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes a send header and its response without the generic path, repeats included', () => {
    const response =
      '{"code":0,"extFields":{"msgId":"7F00000100002A9F0000000000A1B2C3","queueId":"3","queueOffset":"77",' +
      '"MSG_REGION":"DefaultRegion","TRACE_ON":"true"},"flag":1,"language":"JAVA","opaque":12,' +
      '"serializeTypeCurrentRPC":"JSON","version":453}';
    for (const text of [sendHeader, response, sendHeader, response]) {
      const bytes = Buffer.from(text, 'utf8');
      const body = Buffer.from('body');
      const scanned = scanJsonHeader(bytes, body);
      expect(scanned).toBeDefined();
      expect(scanned!.body).toBe(body);
      expect(view(scanned!)).toEqual(view(decodeJsonHeaderGeneric(bytes, body)));
    }
    expect(scanJsonHeader(Buffer.from(sendHeader), undefined)!.extFields!.i).toBe(
      'TAGS\u0001TagA\u0002UNIQ_KEY\u00017F00000100002A9F0000000000000001\u0002',
    );
  });

  it.each([
    [
      'ali-ons typed extFields',
      '{"code":310,"language":"JAVA","opaque":3,"flag":0,"version":121,"extFields":{"e":0,"k":false}}',
    ],
    ['whitespace', '{"code": 1}'],
    ['a repeated top key', '{"code":1,"code":2}'],
    ['a repeated extFields key', '{"code":1,"extFields":{"a":"x","a":"y"}}'],
    ['an unknown top key', '{"code":1,"other":2}'],
    ['a string code', '{"code":"34"}'],
    ['-0', '{"code":-0}'],
    ['a leading zero', '{"code":01}'],
    ['an exponent', '{"code":1e3}'],
    ['a fraction', '{"code":1.0}'],
    ['eleven digits', '{"code":12345678901}'],
    ['an int32 overflow', '{"code":2147483648}'],
    ['a null remark', '{"code":1,"remark":null}'],
    ['null extFields', '{"code":1,"extFields":null}'],
    ['a raw control character', '{"code":1,"remark":"a\u0001b"}'],
    ['a bad escape', '{"code":1,"remark":"a\\qb"}'],
    ['no code', '{"opaque":1}'],
    ['trailing bytes', '{"code":1} '],
    ['__proto__', '{"code":1,"extFields":{"__proto__":"x"}}'],
  ])('leaves %s to the generic decoder', (_what, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(scanJsonHeader(bytes, undefined)).toBeUndefined();
    expect(publicOutcome(bytes)).toEqual(genericOutcome(bytes));
  });

  it.each([
    ['the int32 extremes', '{"code":-2147483648,"opaque":2147483647,"flag":0,"version":0}'],
    [
      'escapes in keys and values',
      '{"code":1,"extFields":{"k\\"1":"v\\\\","é":"\\ud800x"},"remark":"\\n"}',
    ],
    ['an empty extFields', '{"code":1,"extFields":{}}'],
    ['numeric keys', '{"code":1,"extFields":{"10":"a","2":"b","x":"c"}}'],
    [
      'ali-ons key order with string values',
      '{"code":11,"language":"JAVA","opaque":9,"flag":0,"version":121,"remark":"r","extFields":{"topic":"T"}}',
    ],
  ])('decodes %s as the generic decoder does', (_what, text) => {
    const bytes = Buffer.from(text, 'utf8');
    const scanned = scanJsonHeader(bytes, undefined);
    expect(scanned).toBeDefined();
    expect(view(scanned!)).toEqual(genericOutcome(bytes));
  });
});
