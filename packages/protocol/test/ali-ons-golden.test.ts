import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, RequestCode, SerializeType, encodeFrame } from '../src/index.js';

// Frames captured from the real ali-ons 3.12.0 client; how: test/fixtures/ali-ons/README.md.
const FIXTURES = new URL('./fixtures/ali-ons/', import.meta.url);

interface Captured {
  code: number;
  bodyLength: number;
  header: {
    code: number;
    language: string;
    opaque: number;
    flag: number;
    version: number;
    extFields?: Record<string, string | number | boolean>;
  };
}
const captured = JSON.parse(readFileSync(new URL('captured.json', FIXTURES), 'utf8')) as {
  files: Record<string, Captured>;
};
const hexFiles = readdirSync(FIXTURES).filter((name) => name.endsWith('.hex'));

function frameOf(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(name, FIXTURES), 'utf8').trim(), 'hex');
}

function decodeOne(bytes: Buffer) {
  const commands = new FrameDecoder().push(bytes);
  expect(commands).toHaveLength(1);
  return commands[0]!;
}

describe('golden frames from ali-ons 3.12.0', () => {
  it('covers send, pull, heartbeat, route query, offset query/update and unregister', () => {
    const codes = new Set(hexFiles.map((name) => captured.files[name]!.code));
    for (const code of [
      RequestCode.SEND_MESSAGE_V2,
      RequestCode.PULL_MESSAGE,
      RequestCode.HEART_BEAT,
      RequestCode.GET_ROUTEINFO_BY_TOPIC,
      RequestCode.QUERY_CONSUMER_OFFSET,
      RequestCode.UPDATE_CONSUMER_OFFSET,
      RequestCode.UNREGISTER_CLIENT,
    ]) {
      expect(codes).toContain(code);
    }
  });

  it.each(hexFiles)('%s decodes to the values ali-ons sent', (name) => {
    const expected = captured.files[name]!;
    const command = decodeOne(frameOf(name));
    expect(command.serializeType).toBe(SerializeType.JSON);
    expect(command.code).toBe(expected.header.code);
    expect(command.opaque).toBe(expected.header.opaque);
    expect(command.flag).toBe(expected.header.flag);
    expect(command.version).toBe(121);
    expect(command.language).toBe('JAVA');
    expect(command.isOneway).toBe(false);
    const asStrings = Object.fromEntries(
      Object.entries(expected.header.extFields ?? {}).map(([k, v]) => [k, String(v)]),
    );
    expect(command.extFields ?? {}).toEqual(asStrings);
    expect(command.body?.length ?? 0).toBe(expected.bodyLength);
  });

  it.each(hexFiles)('%s re-encodes byte for byte', (name) => {
    const bytes = frameOf(name);
    expect(encodeFrame(decodeOne(bytes)).equals(bytes)).toBe(true);
  });

  it('decodes when the frames arrive one byte at a time, back to back', () => {
    const all = Buffer.concat(hexFiles.map(frameOf));
    const decoder = new FrameDecoder();
    let count = 0;
    for (let i = 0; i < all.length; i++) count += decoder.push(all.subarray(i, i + 1)).length;
    expect(count).toBe(hexFiles.length);
  });
});
