import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntKeyTable } from './int-key-table.js';

type Step =
  { op: 'set'; key: number; value: number } | { op: 'delete'; key: number } | { op: 'clear' };

/** Applies `steps` to a table and to a Map and checks that they agree after every step. */
function checkAgainstMap(steps: readonly Step[]): void {
  const table = new IntKeyTable<{ value: number }>();
  const model = new Map<number, { value: number }>();
  for (const step of steps) {
    if (step.op === 'set') {
      const value = { value: step.value };
      table.set(step.key, value);
      model.set(step.key, value);
    } else if (step.op === 'delete') {
      expect(table.delete(step.key)).toBe(model.delete(step.key));
    } else {
      table.clear();
      model.clear();
    }
    expect(table.size).toBe(model.size);
  }
  for (const [key, value] of model) expect(table.get(key)).toBe(value);
  const sorted = (values: { value: number }[]) => values.map((v) => v.value).sort((a, b) => a - b);
  expect(sorted(table.values())).toEqual(sorted([...model.values()]));
}

describe('IntKeyTable', () => {
  it('holds, replaces and removes entries as a Map does', () => {
    const table = new IntKeyTable<string>();
    expect(table.get(7)).toBeUndefined();
    table.set(7, 'a');
    table.set(7 + 16, 'b'); // same home slot at capacity 16
    table.set(8, 'c');
    expect([table.get(7), table.get(23), table.get(8), table.size]).toEqual(['a', 'b', 'c', 3]);
    table.set(23, 'B');
    expect(table.get(23)).toBe('B');
    expect(table.delete(7)).toBe(true);
    expect(table.delete(7)).toBe(false);
    // 23 was shifted back into 7's slot; 8 must still be found behind it.
    expect([table.get(23), table.get(8), table.has(7), table.size]).toEqual(['B', 'c', false, 2]);
  });

  it('grows past any number of entries and shrinks back when emptied', () => {
    const table = new IntKeyTable<number>();
    for (let key = 1; key <= 10_000; key++) table.set(key, key * 2);
    expect(table.size).toBe(10_000);
    expect(table.get(1)).toBe(2);
    expect(table.get(10_000)).toBe(20_000);
    for (let key = 1; key <= 9_990; key++) expect(table.delete(key)).toBe(true);
    expect(table.size).toBe(10);
    expect(table.values().sort((a, b) => a - b)).toEqual([
      19_982, 19_984, 19_986, 19_988, 19_990, 19_992, 19_994, 19_996, 19_998, 20_000,
    ]);
  });

  it('takes keys beyond 32 bits (queue offsets) and negative keys', () => {
    const table = new IntKeyTable<string>();
    const big = 2 ** 40 + 5;
    table.set(big, 'big');
    table.set(5, 'small'); // same low 32 bits
    table.set(-3, 'negative');
    expect([table.get(big), table.get(5), table.get(-3), table.get(2 ** 40)]).toEqual([
      'big',
      'small',
      'negative',
      undefined,
    ]);
  });

  it('refuses undefined values and keys that are not safe integers', () => {
    const table = new IntKeyTable<string | undefined>();
    expect(() => table.set(1, undefined)).toThrow(RangeError);
    expect(() => table.set(1.5, 'x')).toThrow(RangeError);
    expect(() => table.set(2 ** 53, 'x')).toThrow(RangeError);
    expect(table.size).toBe(0);
  });

  it('agrees with a Map over random sets, deletes and clears of clustered keys', () => {
    // Keys from a narrow range collide often, so probe runs wrap and deletions shift entries back.
    const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -5, max: 2 ** 34 }));
    const step: fc.Arbitrary<Step> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer() }),
      },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
      { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
    );
    fc.assert(fc.property(fc.array(step, { maxLength: 300 }), checkAgainstMap), { numRuns: 200 });
  });

  it('agrees with a Map for a sliding window of sequential keys, as a connection uses it', () => {
    const steps: Step[] = [];
    for (let key = 1; key <= 5_000; key++) {
      steps.push({ op: 'set', key, value: key });
      if (key > 256) steps.push({ op: 'delete', key: key - 256 - (key % 7) });
    }
    checkAgainstMap(steps);
  });
});
