import { describe, expect, it } from 'vitest';
import { ClientOffsetJournal } from './client-offset-journal.js';
import {
  masterOffsetOf,
  mergeConsumerOffsets,
  sameDataVersion,
  sameOffsetTable,
} from './master-tables.js';

/** A journaled offset from `topic@group:queueId=offset` shorthand. */
function q(spec: string) {
  const [, topic, group, queueId, offset] = /^(\w+)@(\w+):(\d+)=(\d+)$/.exec(spec)!;
  return { topic: topic!, group: group!, queueId: Number(queueId), offset: Number(offset) };
}

describe('ClientOffsetJournal', () => {
  it('keeps the latest commit per queue and forgets an entry only while it is unchanged', () => {
    const journal = new ClientOffsetJournal();
    journal.record(q('T@G:0=5'));
    journal.record(q('T@G:0=7'));
    journal.record(q('T@G:1=3'));
    expect(journal.size).toBe(2);
    const listed = journal.list();
    expect(listed).toContainEqual(q('T@G:0=7'));

    journal.record(q('T@G:0=9'));
    for (const entry of listed) journal.forget(entry);
    // Queue 0 was committed again after the listing: it stays for the next round.
    expect(journal.list()).toEqual([q('T@G:0=9')]);
    journal.forget(q('T@G:0=9'));
    expect(journal.size).toBe(0);
  });
});

describe('mergeConsumerOffsets', () => {
  it("takes the master's table and keeps the larger offset of each journaled queue", () => {
    const master = new Map([
      [
        'T@G',
        new Map([
          [0, 10],
          [1, 4],
        ]),
      ],
      ['U@G', new Map([[0, 1]])],
    ]);
    const merged = mergeConsumerOffsets(master, [q('T@G:0=12'), q('T@G:1=2'), q('V@H:3=6')]);
    expect(merged).toEqual(
      new Map([
        [
          'T@G',
          new Map([
            [0, 12],
            [1, 4],
          ]),
        ],
        ['U@G', new Map([[0, 1]])],
        ['V@H', new Map([[3, 6]])],
      ]),
    );
    // The master's table itself is left alone.
    expect(master.get('T@G')?.get(0)).toBe(10);
    expect(masterOffsetOf(master, q('T@G:1=0'))).toBe(4);
    expect(masterOffsetOf(master, q('V@H:3=0'))).toBeUndefined();
  });
});

describe('table comparisons', () => {
  it('compares DataVersions by counter, timestamp and stateVersion', () => {
    expect(sameDataVersion({ counter: 1, timestamp: 5 }, { counter: 1, timestamp: 5 })).toBe(true);
    expect(sameDataVersion({ counter: 1, timestamp: 5 }, { counter: 2, timestamp: 5 })).toBe(false);
    expect(
      sameDataVersion({ counter: 1, timestamp: 5, stateVersion: 1 }, { counter: 1, timestamp: 5 }),
    ).toBe(false);
  });

  it('treats empty per-key maps as absent when comparing offset tables', () => {
    const a = new Map([['T@G', new Map([[0, 1]])]]);
    const b = new Map([
      ['T@G', new Map([[0, 1]])],
      ['U@G', new Map<number, number>()],
    ]);
    expect(sameOffsetTable(a, b)).toBe(true);
    expect(sameOffsetTable(a, new Map([['T@G', new Map([[0, 2]])]]))).toBe(false);
    expect(sameOffsetTable(a, new Map([['T@H', new Map([[0, 1]])]]))).toBe(false);
  });
});
