import { describe, expect, it } from 'vitest';
import { BrokerHaState } from './broker-ha-state.js';

describe('BrokerHaState', () => {
  it('keeps the latest non-empty master addresses from registration answers', () => {
    const ha = new BrokerHaState();
    ha.updateFromRegistration([
      {
        namesrvAddr: 'ns1:9876',
        ok: true,
        masterAddr: '10.0.0.1:10911',
        haServerAddr: '10.0.0.1:10912',
      },
      { namesrvAddr: 'ns2:9876', ok: false, error: new Error('down') },
    ]);
    // A name server that lost the master answers without it: what was known stays.
    ha.updateFromRegistration([{ namesrvAddr: 'ns1:9876', ok: true, masterAddr: '' }]);
    expect(ha.masterAddr()).toBe('10.0.0.1:10911');
    expect(ha.haServerAddrOfMaster()).toBe('10.0.0.1:10912');
    ha.updateFromRegistration([
      { namesrvAddr: 'ns2:9876', ok: true, masterAddr: '10.0.0.2:10911' },
    ]);
    expect(ha.masterAddr()).toBe('10.0.0.2:10911');
  });

  it('counts a successful sync as reachable for two sync intervals', () => {
    let nowMs = 1_000_000;
    const ha = new BrokerHaState({ syncIntervalMs: 1000, now: () => nowMs });
    ha.updateFromRegistration([{ namesrvAddr: 'ns', ok: true, masterAddr: '10.0.0.1:10911' }]);
    expect(ha.masterAvailable()).toBe(false);
    ha.recordSync(true);
    nowMs += 2000;
    expect(ha.masterAvailable()).toBe(true);
    nowMs += 1;
    expect(ha.masterAvailable()).toBe(false);
    ha.recordSync(true);
    ha.recordSync(false);
    expect(ha.masterAvailable()).toBe(false);
  });

  it('ORs in the link probe and reads the HA status source, treating their failures as absent', () => {
    const ha = new BrokerHaState();
    ha.setMasterLinkProbe(() => true);
    expect(ha.masterAvailable()).toBe(true);
    ha.setMasterLinkProbe(() => {
      throw new Error('probe broke');
    });
    expect(ha.masterAvailable()).toBe(false);
    expect(ha.haStatus()).toBeUndefined();
    ha.setHaStatusSource(() => ({ behindBytes: 5, connectedSlaveCount: 2 }));
    expect(ha.haStatus()).toEqual({ behindBytes: 5, connectedSlaveCount: 2 });
    ha.setHaStatusSource(() => {
      throw new Error('source broke');
    });
    expect(ha.haStatus()).toBeUndefined();
  });
});
