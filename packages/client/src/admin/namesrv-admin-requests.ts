import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeAddWritePermOfBrokerResponseHeader,
  decodeClusterInfo,
  decodeGetKVConfigResponseHeader,
  decodeKVTable,
  decodeTopicList,
  decodeWipeWritePermOfBrokerResponseHeader,
  encodeAddWritePermOfBrokerRequestHeader,
  encodeDeleteKVConfigRequestHeader,
  encodeDeleteTopicFromNamesrvRequestHeader,
  encodeGetKVConfigRequestHeader,
  encodeGetKVListByNamespaceRequestHeader,
  encodePutKVConfigRequestHeader,
  encodeWipeWritePermOfBrokerRequestHeader,
} from '@rocketmq-ts/protocol';
import type { ClusterInfo } from '@rocketmq-ts/protocol';
import { expectCode } from '../api/mq-client-api.js';
import type { MQClientAPI } from '../api/mq-client-api.js';

/** A namespaced NameServer KV entry. */
export interface KVEntry {
  namespace: string;
  key: string;
}

/**
 * The admin requests to NameServers (Java `MQClientAPIImpl`). Reads go to one NameServer, moving on to the next
 * after a transport failure; writes name their NameServer. Errors: MQBrokerError carrying the response code;
 * MQClientError when no NameServer is reachable; remoting errors for a named NameServer.
 */
export class NamesrvAdminRequests {
  constructor(private readonly api: MQClientAPI) {}

  /** GET_BROKER_CLUSTER_INFO (106). */
  async clusterInfo(): Promise<ClusterInfo> {
    const { response, addr } = await this.api.invokeNamesrv(
      RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO),
    );
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return decodeClusterInfo(response.body ?? '{}');
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206). */
  async topicList(): Promise<string[]> {
    const { response, addr } = await this.api.invokeNamesrv(
      RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
    );
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return response.body === undefined ? [] : decodeTopicList(response.body).topicList;
  }

  /** WIPE_WRITE_PERM_OF_BROKER (205) on one NameServer: how many topics lost the write bit. */
  async wipeWritePerm(namesrvAddr: string, brokerName: string): Promise<number> {
    const response = await this.api.invokeExpectingSuccess(
      namesrvAddr,
      RemotingCommand.request(
        RequestCode.WIPE_WRITE_PERM_OF_BROKER,
        encodeWipeWritePermOfBrokerRequestHeader({ brokerName }),
      ),
    );
    return decodeWipeWritePermOfBrokerResponseHeader(response.extFields ?? {}).wipeTopicCount;
  }

  /** ADD_WRITE_PERM_OF_BROKER (327) on one NameServer: how many topics got the write bit back. */
  async addWritePerm(namesrvAddr: string, brokerName: string): Promise<number> {
    const response = await this.api.invokeExpectingSuccess(
      namesrvAddr,
      RemotingCommand.request(
        RequestCode.ADD_WRITE_PERM_OF_BROKER,
        encodeAddWritePermOfBrokerRequestHeader({ brokerName }),
      ),
    );
    return decodeAddWritePermOfBrokerResponseHeader(response.extFields ?? {}).addTopicCount;
  }

  /** DELETE_TOPIC_IN_NAMESRV (216) on one NameServer; with `clusterName`, only that cluster's part (5.x). */
  async deleteTopic(
    namesrvAddr: string,
    query: { topic: string; clusterName?: string },
  ): Promise<void> {
    await this.api.invokeExpectingSuccess(
      namesrvAddr,
      RemotingCommand.request(
        RequestCode.DELETE_TOPIC_IN_NAMESRV,
        encodeDeleteTopicFromNamesrvRequestHeader(query),
      ),
    );
  }

  /** PUT_KV_CONFIG (100) on one NameServer. */
  async putKVConfig(namesrvAddr: string, entry: KVEntry & { value: string }): Promise<void> {
    await this.api.invokeExpectingSuccess(
      namesrvAddr,
      RemotingCommand.request(RequestCode.PUT_KV_CONFIG, encodePutKVConfigRequestHeader(entry)),
    );
  }

  /** DELETE_KV_CONFIG (102) on one NameServer. */
  async deleteKVConfig(namesrvAddr: string, entry: KVEntry): Promise<void> {
    await this.api.invokeExpectingSuccess(
      namesrvAddr,
      RemotingCommand.request(
        RequestCode.DELETE_KV_CONFIG,
        encodeDeleteKVConfigRequestHeader(entry),
      ),
    );
  }

  /** GET_KV_CONFIG (101): the value, or undefined when the NameServer has none (QUERY_NOT_FOUND). */
  async getKVConfig(entry: KVEntry): Promise<string | undefined> {
    const { response, addr } = await this.api.invokeNamesrv(
      RemotingCommand.request(RequestCode.GET_KV_CONFIG, encodeGetKVConfigRequestHeader(entry)),
    );
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return decodeGetKVConfigResponseHeader(response.extFields ?? {}).value;
  }

  /** GET_KVLIST_BY_NAMESPACE (219): the whole namespace; empty when the NameServer has none. */
  async kvList(namespace: string): Promise<Map<string, string>> {
    const { response, addr } = await this.api.invokeNamesrv(
      RemotingCommand.request(
        RequestCode.GET_KVLIST_BY_NAMESPACE,
        encodeGetKVListByNamespaceRequestHeader({ namespace }),
      ),
    );
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return new Map();
    expectCode(response, addr, [ResponseCode.SUCCESS]);
    return response.body === undefined ? new Map() : decodeKVTable(response.body).table;
  }
}
