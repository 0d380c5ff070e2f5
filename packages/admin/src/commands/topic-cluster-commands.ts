import type { CommandSpec } from '../cli/command-spec.js';
import { brokerStatusCommand } from './broker/broker-status-command.js';
import { cleanExpiredCQCommand } from './broker/clean-expired-cq-command.js';
import { getBrokerConfigCommand } from './broker/get-broker-config-command.js';
import { updateBrokerConfigCommand } from './broker/update-broker-config-command.js';
import { clusterListCommand } from './cluster/cluster-list-command.js';
import { addWritePermCommand } from './namesrv/add-write-perm-command.js';
import { deleteKvConfigCommand } from './namesrv/delete-kv-config-command.js';
import { getNamesrvConfigCommand } from './namesrv/get-namesrv-config-command.js';
import { updateKvConfigCommand } from './namesrv/update-kv-config-command.js';
import { wipeWritePermCommand } from './namesrv/wipe-write-perm-command.js';
import { allocateMQCommand } from './topic/allocate-mq-command.js';
import { deleteTopicCommand } from './topic/delete-topic-command.js';
import { statsAllCommand } from './topic/stats-all-command.js';
import { topicClusterListCommand } from './topic/topic-cluster-list-command.js';
import { topicListCommand } from './topic/topic-list-command.js';
import { topicRouteCommand } from './topic/topic-route-command.js';
import { topicStatusCommand } from './topic/topic-status-command.js';
import { updateOrderConfCommand } from './topic/update-order-conf-command.js';
import { updateTopicCommand } from './topic/update-topic-command.js';
import { updateTopicPermCommand } from './topic/update-topic-perm-command.js';

/**
 * The topic, cluster, broker and NameServer commands, in RocketMQ 4.9.8's registration order
 * (`MQAdminStartup.initCommand`), for merging into the command table. updateNamesrvConfig is left out: rocketmq-ts
 * NameServers do not answer UPDATE_NAMESRV_CONFIG (318).
 */
export const TOPIC_CLUSTER_COMMANDS: readonly CommandSpec[] = [
  updateTopicCommand,
  deleteTopicCommand,
  updateBrokerConfigCommand,
  updateTopicPermCommand,
  topicRouteCommand,
  topicStatusCommand,
  topicClusterListCommand,
  brokerStatusCommand,
  clusterListCommand,
  topicListCommand,
  updateKvConfigCommand,
  deleteKvConfigCommand,
  wipeWritePermCommand,
  addWritePermCommand,
  updateOrderConfCommand,
  cleanExpiredCQCommand,
  statsAllCommand,
  allocateMQCommand,
  getNamesrvConfigCommand,
  getBrokerConfigCommand,
];
