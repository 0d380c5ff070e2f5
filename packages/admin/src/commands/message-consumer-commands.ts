import type { CommandSpec } from '../cli/command-spec.js';
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

/**
 * The message, consumer-group and offset commands, in RocketMQ 4.9.8's registration order among themselves
 * (MQAdminStartup.initCommand): updateSubGroup, deleteSubGroup, queryMsgById, queryMsgByKey, queryMsgByUniqueKey,
 * queryMsgByOffset, printMsg, producerConnection, consumerConnection, consumerProgress, consumerStatus,
 * cloneGroupOffset, resetOffsetByTime, sendMessage, consumeMessage. To be merged into MQADMIN_COMMANDS at those
 * positions.
 */
export const MESSAGE_CONSUMER_COMMANDS: readonly CommandSpec[] = [
  updateSubGroupCommand,
  deleteSubGroupCommand,
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
  resetOffsetByTimeCommand,
  sendMessageCommand,
  consumeMessageCommand,
];
