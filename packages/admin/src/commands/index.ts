import type { CommandSpec } from '../cli/command-spec.js';
import { MESSAGE_CONSUMER_COMMANDS } from './message-consumer-commands.js';
import { TOPIC_CLUSTER_COMMANDS } from './topic-cluster-commands.js';

/** RocketMQ 4.9.8's registration order (MQAdminStartup.initCommand), which `mqadmin` lists commands in. */
const LISTING_ORDER = [
  'updateTopic',
  'deleteTopic',
  'updateSubGroup',
  'deleteSubGroup',
  'updateBrokerConfig',
  'updateTopicPerm',
  'topicRoute',
  'topicStatus',
  'topicClusterList',
  'brokerStatus',
  'queryMsgById',
  'queryMsgByKey',
  'queryMsgByUniqueKey',
  'queryMsgByOffset',
  'printMsg',
  'producerConnection',
  'consumerConnection',
  'consumerProgress',
  'consumerStatus',
  'cloneGroupOffset',
  'clusterList',
  'topicList',
  'updateKvConfig',
  'deleteKvConfig',
  'wipeWritePerm',
  'addWritePerm',
  'resetOffsetByTime',
  'updateOrderConf',
  'cleanExpiredCQ',
  'statsAll',
  'allocateMQ',
  'getNamesrvConfig',
  'getBrokerConfig',
  'sendMessage',
  'consumeMessage',
];

function inListingOrder(commands: readonly CommandSpec[]): CommandSpec[] {
  const rank = (c: CommandSpec): number => {
    const i = LISTING_ORDER.indexOf(c.name);
    return i === -1 ? LISTING_ORDER.length : i;
  };
  return [...commands].sort((a, b) => rank(a) - rank(b));
}

/** Every mqadmin command, in the order `mqadmin` lists them (RocketMQ's registration order). */
export const MQADMIN_COMMANDS: readonly CommandSpec[] = inListingOrder([
  ...TOPIC_CLUSTER_COMMANDS,
  ...MESSAGE_CONSUMER_COMMANDS,
]);
