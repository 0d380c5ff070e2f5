import { describe, expect, it } from 'vitest';
import { clusterDumps } from './get-broker-config-command.js';

describe('getBrokerConfig -c', () => {
  it('dumps each master, then its slaves, and skips slaves whose broker set has no master', () => {
    const dumps = clusterDumps([
      { brokerName: 'broker-a', brokerId: 0, addr: 'a0:10911' },
      { brokerName: 'broker-a', brokerId: 1, addr: 'a1:10911' },
      { brokerName: 'broker-a', brokerId: 2, addr: 'a2:10911' },
      { brokerName: 'broker-b', brokerId: 1, addr: 'b1:10911' },
      { brokerName: 'broker-c', brokerId: 0, addr: 'c0:10911' },
    ]);
    expect(dumps.map((d) => d.banner)).toEqual([
      '============Master: a0:10911============',
      '============My Master: a0:10911=====Slave: a1:10911============',
      '============My Master: a0:10911=====Slave: a2:10911============',
      '============Master: c0:10911============',
    ]);
    expect(dumps.map((d) => d.addr)).toEqual(['a0:10911', 'a1:10911', 'a2:10911', 'c0:10911']);
  });
});
