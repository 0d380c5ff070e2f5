import {
  RemotingCommand,
  ResponseCode,
  RocketMQError,
  decodeDeleteKVConfigRequestHeader,
  decodeGetKVConfigRequestHeader,
  decodeGetKVListByNamespaceRequestHeader,
  decodePutKVConfigRequestHeader,
  encodeGetKVConfigResponseHeader,
  encodeKVTable,
} from '@rocketmq-ts/protocol';
import type { NamesrvProcessorDeps } from './deps.js';

/** KV config requests: PUT_KV_CONFIG, GET_KV_CONFIG, DELETE_KV_CONFIG, GET_KVLIST_BY_NAMESPACE. */
export class KVConfigProcessor {
  constructor(private readonly deps: NamesrvProcessorDeps) {}

  /** PUT_KV_CONFIG: stores the value and persists before answering. */
  async put(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodePutKVConfigRequestHeader(request.extFields ?? {});
    await this.deps.kvConfig.putKVConfig(h.namespace, h.key, h.value);
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  /**
   * GET_KV_CONFIG: response header `value`.
   * @throws RocketMQError QUERY_NOT_FOUND when the key is absent.
   */
  get(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodeGetKVConfigRequestHeader(request.extFields ?? {});
    const value = this.deps.kvConfig.getKVConfig(h.namespace, h.key);
    if (value === undefined) {
      throw new RocketMQError(
        `No config item, Namespace: ${h.namespace} Key: ${h.key}`,
        ResponseCode.QUERY_NOT_FOUND,
      );
    }
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: encodeGetKVConfigResponseHeader({ value }),
      }),
    );
  }

  /** DELETE_KV_CONFIG: removes the key (absent is fine) and persists before answering. */
  async delete(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodeDeleteKVConfigRequestHeader(request.extFields ?? {});
    await this.deps.kvConfig.deleteKVConfig(h.namespace, h.key);
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
  }

  /**
   * GET_KVLIST_BY_NAMESPACE: body KVTable.
   * @throws RocketMQError QUERY_NOT_FOUND when the namespace is empty.
   */
  list(request: RemotingCommand): Promise<RemotingCommand> {
    const { namespace } = decodeGetKVListByNamespaceRequestHeader(request.extFields ?? {});
    const table = this.deps.kvConfig.getKVListByNamespace(namespace);
    if (table === undefined) {
      throw new RocketMQError(
        `No config item, Namespace: ${namespace}`,
        ResponseCode.QUERY_NOT_FOUND,
      );
    }
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { body: encodeKVTable({ table }) }),
    );
  }
}
