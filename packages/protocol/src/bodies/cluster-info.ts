import { encodeFastjson } from '../json/fastjson-write.js';
import { parseJsonObject, readStringKeyedEntries, toStringArray } from '../json/json-read.js';
import { brokerDataFromJson, brokerDataToJson } from './topic-route-data.js';
import type { BrokerData } from './topic-route-data.js';

/*
 * ClusterInfo, the GET_BROKER_CLUSTER_INFO (106) response body (remoting-protocol.md §5.4; Java
 * `common/protocol/body/ClusterInfo.java`):
 *   {"brokerAddrTable":{"broker-a":{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a",
 *     "cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}
 */

/** Every broker set the NameServer knows, and which cluster holds which broker sets. */
export interface ClusterInfo {
  /** Broker set name → its BrokerData. */
  brokerAddrTable: Map<string, BrokerData>;
  /** Cluster name → broker set names (a Java Set). */
  clusterAddrTable: Map<string, string[]>;
}

/** Encodes a ClusterInfo body (quoted broker id keys). */
export function encodeClusterInfo(value: ClusterInfo): Buffer {
  return encodeFastjson({
    brokerAddrTable: new Map([...value.brokerAddrTable].map(([k, b]) => [k, brokerDataToJson(b)])),
    clusterAddrTable: value.clusterAddrTable,
  });
}

/**
 * Decodes a ClusterInfo body; broker id keys may be quoted or unquoted.
 * @throws ProtocolError on malformed JSON or wrong property types.
 */
export function decodeClusterInfo(buf: Buffer | string): ClusterInfo {
  const path = 'clusterInfo';
  const o = parseJsonObject(buf, path);
  const brokerAddrTable = new Map<string, BrokerData>();
  for (const [name, v] of readStringKeyedEntries(o, 'brokerAddrTable', path)) {
    brokerAddrTable.set(name, brokerDataFromJson(v, `${path}.brokerAddrTable.${name}`));
  }
  const clusterAddrTable = new Map<string, string[]>();
  for (const [cluster, v] of readStringKeyedEntries(o, 'clusterAddrTable', path)) {
    clusterAddrTable.set(cluster, toStringArray(v, `${path}.clusterAddrTable.${cluster}`));
  }
  return { brokerAddrTable, clusterAddrTable };
}
