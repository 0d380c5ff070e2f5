import type { CommandSpec } from '../cli/command-spec.js';
import { brokerStatusCommand } from './broker/broker-status-command.js';
import { cleanExpiredCQCommand } from './broker/clean-expired-cq-command.js';
import { getBrokerConfigCommand } from './broker/get-broker-config-command.js';
import { updateBrokerConfigCommand } from './broker/update-broker-config-command.js';
import { clusterListCommand } from './cluster/cluster-list-command.js';
import { consumerConnectionCommand } from './consumer/consumer-connection-command.js';
import { consumerProgressCommand } from './consumer/consumer-progress-command.js';
import { consumerStatusCommand } from './consumer/consumer-status-command.js';
import { producerConnectionCommand } from './consumer/producer-connection-command.js';
import { cloneGroupOffsetCommand } from './group/clone-group-offset-command.js';
import { deleteSubGroupCommand } from './group/delete-sub-group-command.js';
import { resetOffsetByTimeCommand } from './group/reset-offset-by-time-command.js';
import { updateSubGroupCommand } from './group/update-sub-group-command.js';
import { consumeMessageCommand } from './message/consume-message-command.js';
import { printMsgCommand } from './message/print-msg-command.js';
import { queryMsgByIdCommand } from './message/query-msg-by-id-command.js';
import { queryMsgByKeyCommand } from './message/query-msg-by-key-command.js';
import { queryMsgByOffsetCommand } from './message/query-msg-by-offset-command.js';
import { queryMsgByUniqueKeyCommand } from './message/query-msg-by-unique-key-command.js';
import { sendMessageCommand } from './message/send-message-command.js';
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
 * Every mqadmin command, in the order `mqadmin` lists them: RocketMQ 4.9.8's registration order
 * (`MQAdminStartup.initCommand`). updateNamesrvConfig is left out: rocketmq-ts NameServers do not answer
 * UPDATE_NAMESRV_CONFIG (318).
 */
export const MQADMIN_COMMANDS: readonly CommandSpec[] = [
  updateTopicCommand,
  deleteTopicCommand,
  updateSubGroupCommand,
  deleteSubGroupCommand,
  updateBrokerConfigCommand,
  updateTopicPermCommand,
  topicRouteCommand,
  topicStatusCommand,
  topicClusterListCommand,
  brokerStatusCommand,
  queryMsgByIdCommand,
  queryMsgByKeyCommand,
  queryMsgByUniqueKeyCommand,
  queryMsgByOffsetCommand,
  printMsgCommand,
  producerConnectionCommand,
  consumerConnectionCommand,
  consumerProgressCommand,
  consumerStatusCommand,
  cloneGroupOffsetCommand,
  clusterListCommand,
  topicListCommand,
  updateKvConfigCommand,
  deleteKvConfigCommand,
  wipeWritePermCommand,
  addWritePermCommand,
  resetOffsetByTimeCommand,
  updateOrderConfCommand,
  cleanExpiredCQCommand,
  statsAllCommand,
  allocateMQCommand,
  getNamesrvConfigCommand,
  getBrokerConfigCommand,
  sendMessageCommand,
  consumeMessageCommand,
];
