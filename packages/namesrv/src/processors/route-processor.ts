import {
  RemotingCommand,
  ResponseCode,
  RocketMQError,
  decodeAddWritePermOfBrokerRequestHeader,
  decodeDeleteTopicFromNamesrvRequestHeader,
  decodeGetRouteInfoRequestHeader,
  decodeGetTopicsByClusterRequestHeader,
  decodeWipeWritePermOfBrokerRequestHeader,
  encodeAddWritePermOfBrokerResponseHeader,
  encodeClusterInfo,
  encodeTopicList,
  encodeTopicRouteData,
  encodeWipeWritePermOfBrokerResponseHeader,
} from '@rocketmq-ts/protocol';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../kv-config-manager.js';
import type { NamesrvProcessorDeps } from './deps.js';

function ok(request: RemotingCommand, body?: Buffer): Promise<RemotingCommand> {
  return Promise.resolve(RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { body }));
}

/**
 * Route and topic queries and topic administration (Java 4.9.8 `DefaultRequestProcessor`): GET_ROUTEINFO_BY_TOPIC,
 * GET_BROKER_CLUSTER_INFO, topic lists, DELETE_TOPIC_IN_NAMESRV, WIPE/ADD_WRITE_PERM_OF_BROKER.
 */
export class RouteProcessor {
  constructor(private readonly deps: NamesrvProcessorDeps) {}

  /**
   * GET_ROUTEINFO_BY_TOPIC: TopicRouteData with quoted broker id keys.
   * @throws RocketMQError TOPIC_NOT_EXIST when no live broker set hosts the topic.
   */
  getRouteInfoByTopic(request: RemotingCommand): Promise<RemotingCommand> {
    const { topic } = decodeGetRouteInfoRequestHeader(request.extFields ?? {});
    const route = this.deps.routes.pickupTopicRouteData(topic);
    if (route === undefined) {
      throw new RocketMQError(
        `No topic route info in name server for the topic: ${topic}`,
        ResponseCode.TOPIC_NOT_EXIST,
      );
    }
    if (this.deps.config.orderMessageEnable) {
      const conf = this.deps.kvConfig.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic);
      if (conf !== undefined) route.orderTopicConf = conf;
    }
    return ok(request, encodeTopicRouteData(route));
  }

  /** GET_BROKER_CLUSTER_INFO: every broker set and cluster. */
  getBrokerClusterInfo(request: RemotingCommand): Promise<RemotingCommand> {
    return ok(request, encodeClusterInfo(this.deps.routes.getAllClusterInfo()));
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER: every topic with a route. */
  getAllTopicList(request: RemotingCommand): Promise<RemotingCommand> {
    return ok(request, encodeTopicList({ topicList: this.deps.routes.getAllTopicList() }));
  }

  /** GET_TOPICS_BY_CLUSTER: topics hosted by the cluster's broker sets. */
  getTopicsByCluster(request: RemotingCommand): Promise<RemotingCommand> {
    const { cluster } = decodeGetTopicsByClusterRequestHeader(request.extFields ?? {});
    return ok(
      request,
      encodeTopicList({ topicList: this.deps.routes.getTopicsByCluster(cluster) }),
    );
  }

  /** GET_SYSTEM_TOPIC_LIST_FROM_NS: cluster and broker names, plus one broker address. */
  getSystemTopicList(request: RemotingCommand): Promise<RemotingCommand> {
    return ok(request, encodeTopicList(this.deps.routes.getSystemTopicList()));
  }

  /** GET_UNIT_TOPIC_LIST: topics with the unit flag. */
  getUnitTopicList(request: RemotingCommand): Promise<RemotingCommand> {
    return ok(request, encodeTopicList({ topicList: this.deps.routes.getTopicsBySysFlag('unit') }));
  }

  /** GET_HAS_UNIT_SUB_TOPIC_LIST: topics with the unit-subscription flag. */
  getHasUnitSubTopicList(request: RemotingCommand): Promise<RemotingCommand> {
    const topicList = this.deps.routes.getTopicsBySysFlag('unit-sub');
    return ok(request, encodeTopicList({ topicList }));
  }

  /** GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST: unit-subscription topics that are not unit topics. */
  getHasUnitSubUnUnitTopicList(request: RemotingCommand): Promise<RemotingCommand> {
    const topicList = this.deps.routes.getTopicsBySysFlag('unit-sub-ununit');
    return ok(request, encodeTopicList({ topicList }));
  }

  /** DELETE_TOPIC_IN_NAMESRV: removes the topic's route (only that cluster's part when `clusterName` is given). */
  deleteTopic(request: RemotingCommand): Promise<RemotingCommand> {
    const h = decodeDeleteTopicFromNamesrvRequestHeader(request.extFields ?? {});
    this.deps.routes.deleteTopic(h.topic, h.clusterName);
    return ok(request);
  }

  /** WIPE_WRITE_PERM_OF_BROKER: clears the write bit; header `wipeTopicCount`. */
  wipeWritePermOfBroker(request: RemotingCommand): Promise<RemotingCommand> {
    const { brokerName } = decodeWipeWritePermOfBrokerRequestHeader(request.extFields ?? {});
    const wipeTopicCount = this.deps.routes.wipeWritePermOfBroker(brokerName);
    this.deps.logger.info('write permission wiped', { brokerName, wipeTopicCount });
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: encodeWipeWritePermOfBrokerResponseHeader({ wipeTopicCount }),
      }),
    );
  }

  /** ADD_WRITE_PERM_OF_BROKER: sets read+write again; header `addTopicCount`. */
  addWritePermOfBroker(request: RemotingCommand): Promise<RemotingCommand> {
    const { brokerName } = decodeAddWritePermOfBrokerRequestHeader(request.extFields ?? {});
    const addTopicCount = this.deps.routes.addWritePermOfBroker(brokerName);
    this.deps.logger.info('write permission added', { brokerName, addTopicCount });
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: encodeAddWritePermOfBrokerResponseHeader({ addTopicCount }),
      }),
    );
  }
}
