import { RequestCode } from '@rocketmq-ts/protocol';
import type { RemotingCommand } from '@rocketmq-ts/protocol';
import { ProcessorTable } from '@rocketmq-ts/remoting';
import type { RequestContext, RequestProcessor } from '@rocketmq-ts/remoting';
import { BrokerProcessor } from './broker-processor.js';
import { ConfigProcessor } from './config-processor.js';
import type { NamesrvProcessorDeps } from './deps.js';
import { KVConfigProcessor } from './kv-config-processor.js';
import { RouteProcessor } from './route-processor.js';

function handler(
  process: (request: RemotingCommand, ctx: RequestContext) => Promise<RemotingCommand>,
): RequestProcessor {
  return { process };
}

/**
 * The NameServer's processor table: the only place where its request codes meet their handlers (STYLE.md §6).
 * Codes not listed here are answered REQUEST_CODE_NOT_SUPPORTED by the transport.
 */
export function namesrvProcessors(deps: NamesrvProcessorDeps): ProcessorTable {
  const broker = new BrokerProcessor(deps);
  const route = new RouteProcessor(deps);
  const kv = new KVConfigProcessor(deps);
  const config = new ConfigProcessor(deps);
  return new ProcessorTable()
    .on(
      RequestCode.REGISTER_BROKER,
      handler((r, ctx) => broker.register(r, ctx)),
    )
    .on(
      RequestCode.UNREGISTER_BROKER,
      handler((r) => broker.unregister(r)),
    )
    .on(
      RequestCode.QUERY_DATA_VERSION,
      handler((r) => broker.queryDataVersion(r)),
    )
    .on(
      RequestCode.GET_ROUTEINFO_BY_TOPIC,
      handler((r) => route.getRouteInfoByTopic(r)),
    )
    .on(
      RequestCode.GET_BROKER_CLUSTER_INFO,
      handler((r) => route.getBrokerClusterInfo(r)),
    )
    .on(
      RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
      handler((r) => route.getAllTopicList(r)),
    )
    .on(
      RequestCode.GET_TOPICS_BY_CLUSTER,
      handler((r) => route.getTopicsByCluster(r)),
    )
    .on(
      RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS,
      handler((r) => route.getSystemTopicList(r)),
    )
    .on(
      RequestCode.GET_UNIT_TOPIC_LIST,
      handler((r) => route.getUnitTopicList(r)),
    )
    .on(
      RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST,
      handler((r) => route.getHasUnitSubTopicList(r)),
    )
    .on(
      RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST,
      handler((r) => route.getHasUnitSubUnUnitTopicList(r)),
    )
    .on(
      RequestCode.DELETE_TOPIC_IN_NAMESRV,
      handler((r) => route.deleteTopic(r)),
    )
    .on(
      RequestCode.WIPE_WRITE_PERM_OF_BROKER,
      handler((r) => route.wipeWritePermOfBroker(r)),
    )
    .on(
      RequestCode.ADD_WRITE_PERM_OF_BROKER,
      handler((r) => route.addWritePermOfBroker(r)),
    )
    .on(
      RequestCode.PUT_KV_CONFIG,
      handler((r) => kv.put(r)),
    )
    .on(
      RequestCode.GET_KV_CONFIG,
      handler((r) => kv.get(r)),
    )
    .on(
      RequestCode.DELETE_KV_CONFIG,
      handler((r) => kv.delete(r)),
    )
    .on(
      RequestCode.GET_KVLIST_BY_NAMESPACE,
      handler((r) => kv.list(r)),
    )
    .on(
      RequestCode.GET_NAMESRV_CONFIG,
      handler((r) => config.get(r)),
    );
}
