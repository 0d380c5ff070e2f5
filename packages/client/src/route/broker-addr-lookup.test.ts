import { decodeTopicRouteData, encodeTopicRouteData } from '@rocketmq-ts/protocol';
import type { TopicRouteData } from '@rocketmq-ts/protocol';
import { describe, expect, it } from 'vitest';
import {
  findBrokerAddressInAdmin,
  findBrokerAddressInPublish,
  findBrokerAddressInSubscribe,
} from './broker-addr-lookup.js';

const MASTER = '10.0.0.1:10911';
const SLAVE1 = '10.0.0.2:10911';
const SLAVE2 = '10.0.0.3:10911';

/**
 * A route as a NameServer sends it, through the real codec: `broker-a` with its master and two slaves, `broker-b`
 * whose master has expired (only its slave is listed). The slave ids come first on the wire, so nothing depends on
 * the order the route lists them in.
 */
const route: TopicRouteData = decodeTopicRouteData(
  encodeTopicRouteData({
    queueDatas: [],
    brokerDatas: [
      {
        cluster: 'c',
        brokerName: 'broker-a',
        brokerAddrs: new Map([
          [2, SLAVE2],
          [1, SLAVE1],
          [0, MASTER],
        ]),
      },
      { cluster: 'c', brokerName: 'broker-b', brokerAddrs: new Map([[1, '10.0.1.2:10911']]) },
    ],
    filterServerTable: new Map(),
  }),
);

function addrsOf(brokerName: string): ReadonlyMap<number, string> | undefined {
  return route.brokerDatas.find((b) => b.brokerName === brokerName)?.brokerAddrs;
}

describe('findBrokerAddressInSubscribe (pull target)', () => {
  it('reads from the master by default, and from the suggested slave when it is listed', () => {
    expect(findBrokerAddressInSubscribe(addrsOf('broker-a'), 0, false)).toEqual({
      brokerAddr: MASTER,
      brokerId: 0,
      slave: false,
    });
    expect(findBrokerAddressInSubscribe(addrsOf('broker-a'), 2, false)).toEqual({
      brokerAddr: SLAVE2,
      brokerId: 2,
      slave: true,
    });
  });

  it('tries the next id for a suggested slave that is not listed, then falls back to the master', () => {
    const addrs = new Map([
      [0, MASTER],
      [2, SLAVE2],
    ]);
    expect(findBrokerAddressInSubscribe(addrs, 1, false)).toMatchObject({ brokerId: 2 });
    expect(findBrokerAddressInSubscribe(addrs, 5, false)).toMatchObject({ brokerId: 0 });
    expect(findBrokerAddressInSubscribe(addrs, 5, true)).toBeUndefined();
  });

  it('falls back to a slave when the master is out of the route, as a pull after a master failure does', () => {
    expect(findBrokerAddressInSubscribe(addrsOf('broker-b'), 0, false)).toEqual({
      brokerAddr: '10.0.1.2:10911',
      brokerId: 1,
      slave: true,
    });
    // onlyThisBroker (Java's orderly locks): the master or nothing.
    expect(findBrokerAddressInSubscribe(addrsOf('broker-b'), 0, true)).toBeUndefined();
  });

  it('finds nothing for an unknown or empty broker set', () => {
    expect(findBrokerAddressInSubscribe(undefined, 0, false)).toBeUndefined();
    expect(findBrokerAddressInSubscribe(new Map(), 0, false)).toBeUndefined();
  });
});

describe('findBrokerAddressInAdmin (offsets) and findBrokerAddressInPublish (sends)', () => {
  it('prefers the master, else the lowest slave, whatever order the route lists them in', () => {
    expect(findBrokerAddressInAdmin(addrsOf('broker-a'))).toMatchObject({ brokerAddr: MASTER });
    expect(
      findBrokerAddressInAdmin(
        new Map([
          [2, SLAVE2],
          [1, SLAVE1],
        ]),
      ),
    ).toEqual({ brokerAddr: SLAVE1, brokerId: 1, slave: true });
    expect(findBrokerAddressInAdmin(undefined)).toBeUndefined();
  });

  it('sends only to a master: a set whose master expired has no send address', () => {
    expect(findBrokerAddressInPublish(addrsOf('broker-a'))).toBe(MASTER);
    expect(findBrokerAddressInPublish(addrsOf('broker-b'))).toBeUndefined();
  });
});
