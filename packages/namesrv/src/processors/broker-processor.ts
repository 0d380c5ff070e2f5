import {
  RemotingCommand,
  ResponseCode,
  RocketMQError,
  decodeDataVersion,
  decodeQueryDataVersionRequestHeader,
  decodeRegisterBrokerBody,
  decodeRegisterBrokerRequestHeader,
  decodeUnRegisterBrokerRequestHeader,
  encodeDataVersion,
  encodeKVTable,
  encodeQueryDataVersionResponseHeader,
  encodeRegisterBrokerResponseHeader,
  messageBodyCrc,
} from '@rocketmq-ts/protocol';
import type { RequestContext } from '@rocketmq-ts/remoting';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../kv-config-manager.js';
import type { NamesrvProcessorDeps } from './deps.js';

/**
 * Broker-facing requests: REGISTER_BROKER (103), UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322)
 * (Java 4.9.8 `DefaultRequestProcessor`).
 */
export class BrokerProcessor {
  constructor(private readonly deps: NamesrvProcessorDeps) {}

  /**
   * REGISTER_BROKER: checks `bodyCrc32` (when non-zero), decodes the plain or compressed body and registers.
   * @throws RocketMQError SYSTEM_ERROR "crc32 not match" on a checksum mismatch; ProtocolError on a bad body.
   */
  register(request: RemotingCommand, ctx: RequestContext): Promise<RemotingCommand> {
    const h = decodeRegisterBrokerRequestHeader(request.extFields ?? {});
    const body = request.body;
    const expectedCrc = h.bodyCrc32 ?? 0;
    if (expectedCrc !== 0 && messageBodyCrc(body ?? Buffer.alloc(0)) !== expectedCrc) {
      this.deps.logger.warn('register broker body crc32 mismatch', {
        brokerAddr: h.brokerAddr,
        remoteAddr: ctx.remoteAddr,
      });
      throw new RocketMQError('crc32 not match', ResponseCode.SYSTEM_ERROR);
    }
    const decoded =
      body !== undefined && body.length > 0
        ? decodeRegisterBrokerBody(body, { compressed: h.compressed === true })
        : undefined;
    const result = this.deps.routes.registerBroker({
      clusterName: h.clusterName,
      brokerAddr: h.brokerAddr,
      brokerName: h.brokerName,
      brokerId: h.brokerId,
      haServerAddr: h.haServerAddr,
      topicConfigWrapper: decoded?.topicConfigSerializeWrapper ?? {
        dataVersion: { counter: 0, timestamp: 0 },
        topicConfigTable: new Map(),
      },
      filterServerList: decoded?.filterServerList ?? [],
      channel: ctx.channel,
    });
    let responseBody: Buffer | undefined;
    if (this.deps.config.returnOrderTopicConfigToBroker) {
      const table = this.deps.kvConfig.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG);
      if (table !== undefined) responseBody = encodeKVTable({ table });
    }
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: encodeRegisterBrokerResponseHeader(result),
        body: responseBody,
      }),
    );
  }

  /** UNREGISTER_BROKER: removes the broker and, with the last of its set, the set's routes. */
  unregister(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodeUnRegisterBrokerRequestHeader(request.extFields ?? {});
    this.deps.routes.unregisterBroker(h);
    return Promise.resolve(RemotingCommand.responseTo(request, ResponseCode.SUCCESS));
  }

  /**
   * QUERY_DATA_VERSION: `changed` tells the broker whether the NameServer holds another DataVersion; an unchanged
   * broker counts as alive. The body is the stored DataVersion when the broker is registered.
   */
  queryDataVersion(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodeQueryDataVersionRequestHeader(request.extFields ?? {});
    const dataVersion = decodeDataVersion(request.body ?? Buffer.from('{}'));
    const routes = this.deps.routes;
    const changed = routes.isBrokerTopicConfigChanged(h.brokerAddr, dataVersion);
    if (!changed) routes.updateBrokerInfoUpdateTimestamp(h.brokerAddr);
    const stored = routes.queryBrokerTopicConfig(h.brokerAddr);
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: encodeQueryDataVersionResponseHeader({ changed }),
        body: stored === undefined ? undefined : encodeDataVersion(stored),
      }),
    );
  }
}
