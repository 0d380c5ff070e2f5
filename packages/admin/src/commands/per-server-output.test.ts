import { describe, expect, it } from 'vitest';
import { PerServerOutput } from './per-server-output.js';

function run(json: boolean): string[] {
  const printed: string[] = [];
  const out = new PerServerOutput({ json, print: (line) => printed.push(line) });
  out.add(
    'a:1',
    new Map([
      ['z', '1'],
      ['y', '2'],
    ]),
    () => ['== a:1', 'z y'],
  );
  out.add('b:2', new Map([['x', '3']]), () => ['== b:2', 'x']);
  out.end();
  return printed;
}

describe('per-server output', () => {
  it('prints each server’s lines as they come', () => {
    expect(run(false)).toEqual(['== a:1', 'z y', '== b:2', 'x']);
  });

  it('prints one JSON object keyed by address with --json, keys in the map order', () => {
    const printed = run(true);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toBe('{"a:1":{"z":"1","y":"2"},"b:2":{"x":"3"}}');
  });
});
