import { describe, expect, it } from 'vitest';
import { formatJavaFixed, formatRow, frontStringAtLeast } from './text-columns.js';

describe('text columns', () => {
  it('pads like Java %-Ns and %Ns and keeps longer text whole', () => {
    expect(formatRow('%-4s|%4s', ['ab', 'ab'])).toBe('ab  |  ab');
    expect(formatRow('%-4s|%4s', ['abcdef', 'abcdef'])).toBe('abcdef|abcdef');
  });

  it('fills %s and %d as is, %0Nd with zeros, and prints numbers and missing cells as Java would', () => {
    expect(formatRow('%s=%d', ['k', 12])).toBe('k=12');
    expect(formatRow('%04d  %03d %03d', [7, 1234, -5])).toBe('0007  1234 -05');
    expect(formatRow('[%-3s][%s]', ['x'])).toBe('[x  ][]');
  });

  it('cuts text to the column as UtilAll.frontStringAtLeast does', () => {
    expect(frontStringAtLeast('abcdef', 4)).toBe('abcd');
    expect(frontStringAtLeast('ab', 4)).toBe('ab');
  });

  // Expected values printed by Java 17's String.format.
  it.each([
    [1.005, 2, '1.01'],
    [0.125, 2, '0.13'],
    [2.675, 2, '2.68'],
    [0.00005, 4, '0.0001'],
    [486123.456, 2, '486123.46'],
    [3, 2, '3.00'],
    [1e20, 2, '100000000000000000000.00'],
    [-0.005, 2, '-0.01'],
    [0.0049999, 2, '0.00'],
    [1e-5, 2, '0.00'],
    [123456789012.345, 2, '123456789012.35'],
    [0, 2, '0.00'],
    [0.56789, 4, '0.5679'],
    [7.5, 0, '8'],
  ])('formats %d with %d decimals as Java does: %s', (value, digits, expected) => {
    expect(formatJavaFixed(value, digits)).toBe(expected);
  });

  it('prints NaN and infinities as Java does', () => {
    expect(formatJavaFixed(Number.NaN, 2)).toBe('NaN');
    expect(formatJavaFixed(Number.POSITIVE_INFINITY, 2)).toBe('Infinity');
    expect(formatJavaFixed(Number.NEGATIVE_INFINITY, 2)).toBe('-Infinity');
  });
});
