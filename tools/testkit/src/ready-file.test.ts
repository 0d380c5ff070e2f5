import { describe, expect, it } from 'vitest';
import { parseReadyFile, ReadyFileError } from './ready-file.js';

describe('parseReadyFile', () => {
  it('returns the ports and pid, keeping extra keys', () => {
    const ready = parseReadyFile('{"pid":42,"listenPort":10911,"haListenPort":10912,"role":"x"}');
    expect(ready).toEqual({ pid: 42, listenPort: 10911, haListenPort: 10912, role: 'x' });
  });

  it('accepts a name server ready file without haListenPort', () => {
    expect(parseReadyFile('{"pid":7,"listenPort":9876}').haListenPort).toBeUndefined();
  });

  it.each([
    ['{"pid":7,', /not valid JSON/],
    ['[7, 9876]', /not a JSON object/],
    ['{"listenPort":9876}', /pid must be an integer/],
    ['{"pid":7,"listenPort":0}', /listenPort must be an integer 1..65535, got 0/],
    ['{"pid":7,"listenPort":"9876"}', /listenPort must be an integer/],
    [
      '{"pid":7,"listenPort":9876,"haListenPort":70000}',
      /haListenPort must be an integer 0..65535/,
    ],
  ])('rejects %s', (text, message) => {
    expect(() => parseReadyFile(text)).toThrow(ReadyFileError);
    expect(() => parseReadyFile(text)).toThrow(message);
  });
});
