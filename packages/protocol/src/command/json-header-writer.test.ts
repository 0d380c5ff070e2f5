import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJsonHeader } from './json-header.js';
import { writeJavaStyleHeader } from './json-header-writer.js';
import { RemotingCommand } from './remoting-command.js';

/** The header bytes as the string encoder makes them: the reference the writer must match byte for byte. */
function referenceBytes(cmd: RemotingCommand): Buffer {
  return Buffer.from(encodeJsonHeader(cmd), 'utf8');
}

function writtenBytes(cmd: RemotingCommand): Buffer {
  const { bytes, length } = writeJavaStyleHeader(cmd);
  return Buffer.from(bytes.subarray(0, length));
}

/** Strings mixing what JSON escapes: quotes, backslashes, controls, non-ASCII, astral and lone surrogates. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\r',
      '\t',
      '\b',
      '\f',
      '\u0000',
      '\u001f',
      '\u007f',
      'é',
      '\u2028',
      '\ud800',
      '\udfff',
      '\ud83d\ude00',
      'a',
      'Z',
      '/',
      '中',
    ),
    maxLength: 30,
  }),
);

const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const anyNumber = fc.oneof(int32, fc.double(), fc.constantFrom(-0, 2 ** 31, -(2 ** 31) - 1, 1e21));

const command = fc.record(
  {
    code: fc.oneof(int32, anyNumber),
    opaque: int32,
    flag: fc.integer({ min: 0, max: 3 }),
    version: fc.oneof(int32, anyNumber),
    language: fc.oneof(fc.constantFrom('JAVA', 'NODE_JS', 'GO'), hostileText),
    remark: fc.option(hostileText, { nil: undefined }),
    extFields: fc.option(
      fc.dictionary(
        fc.oneof(hostileText, fc.constantFrom('0', '7', '10', 'a', '__proto__')),
        hostileText,
        {
          maxKeys: 12,
        },
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['code', 'opaque', 'flag', 'version', 'language'] },
);

describe('writeJavaStyleHeader', () => {
  it('writes exactly the bytes of the string encoder over random commands', () => {
    fc.assert(
      fc.property(command, (init) => {
        const cmd = new RemotingCommand(init);
        cmd.version = init.version;
        expect(writtenBytes(cmd).equals(referenceBytes(cmd))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches a hand-checked SEND_MESSAGE_V2 header', () => {
    const cmd = RemotingCommand.request(310, {
      a: 'PG',
      b: 'TopicTest',
      e: '0',
      i: 'KEYS\u0001k\u0002',
    });
    cmd.opaque = 7;
    expect(writtenBytes(cmd).toString('utf8')).toBe(
      '{"code":310,"extFields":{"a":"PG","b":"TopicTest","e":"0","i":"KEYS\\u0001k\\u0002"},"flag":0,' +
        '"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":409}',
    );
  });

  it('falls back to JSON.stringify for extFields that are not a plain string map', () => {
    class Fields {
      constructor(readonly a: string) {}
    }
    const odd: Record<string, unknown>[] = [
      { a: 'x', b: undefined },
      { a: 1, b: true, c: null },
      { toJSON: () => ({ z: 'y' }) },
      Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' }),
      new Fields('q') as unknown as Record<string, unknown>,
    ];
    for (const fields of odd) {
      const cmd = RemotingCommand.request(11, fields as Record<string, string>);
      expect(writtenBytes(cmd).toString('utf8')).toBe(referenceBytes(cmd).toString('utf8'));
    }
  });

  it('grows its scratch for headers larger than it', () => {
    const big = 'é\u0001"'.repeat(20_000);
    const cmd = RemotingCommand.request(11, { big, other: big }, undefined);
    cmd.remark = big;
    expect(writtenBytes(cmd).equals(referenceBytes(cmd))).toBe(true);
  });
});
