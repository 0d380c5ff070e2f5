import type { CommandSpec } from '../cli/command-spec.js';
import { topicListCommand } from './topic/topic-list-command.js';

/** Every mqadmin command, in the order `mqadmin` lists them (RocketMQ's registration order). */
export const MQADMIN_COMMANDS: readonly CommandSpec[] = [topicListCommand];
