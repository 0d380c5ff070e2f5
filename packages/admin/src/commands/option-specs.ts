import type { OptionSpec } from '../cli/command-spec.js';

/*
 * The options several mqadmin commands declare, with RocketMQ 4.9.8's letters and long names. Descriptions differ
 * from command to command upstream (they are what `mqadmin help <command>` prints), so each builder takes its own.
 */

/** The commons-cli OptionGroup of `-b` / `-c`: exactly one is required (both may be given; `-b` wins). */
const TARGET_GROUP = 'target';

/** `-t / --topic`, required unless `required` is false. */
export function topicOption(description = 'topic name', required = true): OptionSpec {
  return { short: 't', long: 'topic', description, ...(required ? { required } : {}) };
}

/** `-b / --brokerAddr`, optional (consumerConnection, consumerStatus, cleanExpiredCQ). */
export function brokerAddrOption(description = 'broker address'): OptionSpec {
  return { short: 'b', long: 'brokerAddr', description };
}

/**
 * `-b / --brokerAddr` and `-c / --clusterName`, one of which is required: the broker (or the cluster's brokers) a
 * command acts on; read back with `brokerTargets` / `clusterTargets`.
 */
export function targetOptions(brokerDescription: string, clusterDescription: string): OptionSpec[] {
  return [
    { ...brokerAddrOption(brokerDescription), group: TARGET_GROUP },
    { short: 'c', long: 'clusterName', description: clusterDescription, group: TARGET_GROUP },
  ];
}

/** The long names RocketMQ gives `-g`, depending on the command. */
export type GroupOptionName = 'consumerGroup' | 'groupName' | 'group' | 'producerGroup';

/** `-g` under one of its long names; optional unless `required`. */
export function groupOption(
  long: GroupOptionName,
  description = 'consumer group name',
  required = false,
): OptionSpec {
  return { short: 'g', long, description, ...(required ? { required } : {}) };
}

/** `--clientId` (`-d` with queryMsgById / queryMsgByUniqueKey, `-i` with consumerStatus), optional. */
export function clientIdOption(short: 'd' | 'i'): OptionSpec {
  return { short, long: 'clientId', description: "The consumer's client id" };
}

/** `-i / --msgId`, required (queryMsgById, queryMsgByUniqueKey). */
export const MSG_ID_OPTION: OptionSpec = {
  short: 'i',
  long: 'msgId',
  description: 'Message Id',
  required: true,
};

/** The two forms RocketMQ's tools read a time in (see `parseTimeArgument`). */
const TIME_FORMS = '[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]';

/** `--beginTimestamp` (`-b` with printMsg and queryMsgByKey, `-s` with consumeMessage); `note` ends the help. */
export function beginTimestampOption(short: 'b' | 's', note = ''): OptionSpec {
  return { short, long: 'beginTimestamp', description: `Begin timestamp${TIME_FORMS}${note}` };
}

/** `-e / --endTimestamp`; `note` ends the help. */
export function endTimestampOption(note = ''): OptionSpec {
  return { short: 'e', long: 'endTimestamp', description: `End timestamp${TIME_FORMS}${note}` };
}
