import type { ClusterInfo, Logger, TopicRouteData } from '@rocketmq-ts/protocol';
import type { MQClientAPI } from '../api/mq-client-api.js';
import type { BrokerAdminRequests } from './broker-admin-requests.js';
import type { NamesrvAdminRequests } from './namesrv-admin-requests.js';
import { noRouteError } from './route-lookup.js';

/** What the parts of MQAdmin share while it is started: the transport-level APIs and the NameServer list. */
export class AdminContext {
  constructor(
    readonly api: MQClientAPI,
    readonly requests: {
      readonly broker: BrokerAdminRequests;
      readonly namesrv: NamesrvAdminRequests;
      readonly namesrvAddrs: readonly string[];
      readonly logger: Logger;
    },
  ) {}

  get broker(): BrokerAdminRequests {
    return this.requests.broker;
  }

  get namesrv(): NamesrvAdminRequests {
    return this.requests.namesrv;
  }

  get namesrvAddrs(): readonly string[] {
    return this.requests.namesrvAddrs;
  }

  get logger(): Logger {
    return this.requests.logger;
  }

  /** A topic's route, or undefined when the NameServer has none. */
  optionalRoute(topic: string): Promise<TopicRouteData | undefined> {
    return this.api.getTopicRouteInfo(topic);
  }

  /**
   * A topic's route.
   * @throws MQClientError TOPIC_NOT_EXIST when the NameServer has none.
   */
  async route(topic: string): Promise<TopicRouteData> {
    const route = await this.api.getTopicRouteInfo(topic);
    if (route === undefined) throw noRouteError(topic);
    return route;
  }

  /** GET_BROKER_CLUSTER_INFO. */
  clusterInfo(): Promise<ClusterInfo> {
    return this.namesrv.clusterInfo();
  }
}
