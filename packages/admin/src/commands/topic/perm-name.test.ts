import { describe, expect, it } from 'vitest';
import { CommandError } from '../../cli/command-spec.js';
import { permOption, permToString } from './perm-name.js';

describe('perm names', () => {
  it.each([
    [6, 'RW-'],
    [4, 'R--'],
    [2, '-W-'],
    [0, '---'],
    [7, 'RWX'],
    [1, '--X'],
  ])('prints perm %d as %s (PermName.perm2String)', (perm, text) => {
    expect(permToString(perm)).toBe(text);
  });

  it('accepts 2, 4 and 6 for -p and falls back when absent', () => {
    expect(permOption(new Map([['perm', '4']]), 'perm', 6)).toBe(4);
    expect(permOption(new Map(), 'perm', 6)).toBe(6);
  });

  it('refuses other perm values with a line naming the option', () => {
    expect(() => permOption(new Map([['perm', '7']]), 'perm', 6)).toThrow(
      new CommandError('option --perm must be 2 (W), 4 (R) or 6 (RW), got 7'),
    );
    expect(() => permOption(new Map([['perm', 'rw']]), 'perm', 6)).toThrow(CommandError);
  });
});
