/**
 * Which broker of a broker set to talk to (Java `MQClientInstance.findBrokerAddressIn*`). A broker set is the
 * brokers sharing a `brokerName`; `addrs` maps broker id → `ip:port` as the routes list them (id 0 = master,
 * > 0 = slaves). When a master dies the NameServer drops it from the routes and its slaves stay listed, so every
 * lookup here except {@link findBrokerAddressInPublish} still answers with a slave then.
 */

/** One answer of a broker-set lookup (Java `FindBrokerResult`). */
export interface FindBrokerResult {
  /** `ip:port`. */
  brokerAddr: string;
  /** The broker id of that address: 0 for the master. */
  brokerId: number;
  /** True when the address is a slave's (brokerId > 0). */
  slave: boolean;
}

function result(brokerId: number, brokerAddr: string): FindBrokerResult {
  return { brokerAddr, brokerId, slave: brokerId !== 0 };
}

/**
 * The lowest-numbered broker of a set: the master when it is listed. Java takes the first entry of a
 * `HashMap<Long, String>`, which for small ids is the lowest; sorting keeps that order whatever order the route had.
 */
function lowestBroker(addrs: ReadonlyMap<number, string>): FindBrokerResult | undefined {
  let best: number | undefined;
  for (const id of addrs.keys()) if (best === undefined || id < best) best = id;
  return best === undefined ? undefined : result(best, addrs.get(best)!);
}

/** The master's address, or undefined when the set has no master in the routes (Java `findBrokerAddressInPublish`). */
export function findBrokerAddressInPublish(
  addrs: ReadonlyMap<number, string> | undefined,
): string | undefined {
  return addrs?.get(0);
}

/**
 * Where to read a queue of the set (Java `findBrokerAddressInSubscribe`): broker `brokerId` when it is listed; for a
 * slave id, else the next id (`brokerId + 1`); else, unless `onlyThisBroker`, the lowest-numbered broker of the set
 * (the master when it is listed, otherwise a slave).
 * @returns undefined when the set is unknown or empty, or when `onlyThisBroker` and that broker is not listed.
 */
export function findBrokerAddressInSubscribe(
  addrs: ReadonlyMap<number, string> | undefined,
  brokerId: number,
  onlyThisBroker: boolean,
): FindBrokerResult | undefined {
  if (addrs === undefined || addrs.size === 0) return undefined;
  const exact = addrs.get(brokerId);
  if (exact !== undefined) return result(brokerId, exact);
  if (brokerId !== 0) {
    const next = addrs.get(brokerId + 1);
    if (next !== undefined) return result(brokerId + 1, next);
  }
  return onlyThisBroker ? undefined : lowestBroker(addrs);
}

/**
 * Where to send a request any broker of the set can answer, preferring the master (Java `findBrokerAddressInAdmin`
 * and `BrokerData.selectBrokerAddr`): the master when it is listed, else the lowest-numbered slave. Consumer offsets
 * are read and committed here, so they keep working on a slave while the master is gone.
 * @returns undefined when the set is unknown or empty.
 */
export function findBrokerAddressInAdmin(
  addrs: ReadonlyMap<number, string> | undefined,
): FindBrokerResult | undefined {
  return addrs === undefined ? undefined : lowestBroker(addrs);
}
