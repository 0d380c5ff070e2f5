import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import { CommandError } from '../../cli/command-spec.js';

/**
 * The one-line error for a topic the NameServer or a broker does not know. It carries no `cause`: mqadmin would
 * print the cause's wording of the same fact after it.
 */
export function topicMissingError(topic: string): CommandError {
  return new CommandError(
    `topic ${topic} does not exist: create it with mqadmin updateTopic -c <clusterName> -t ${topic}`,
  );
}

/**
 * Awaits a call about `topic`; a TOPIC_NOT_EXIST answer (no route on the NameServer, or a broker without the topic)
 * becomes {@link topicMissingError}.
 */
export async function unlessTopicMissing<T>(topic: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof RocketMQError && error.code === ResponseCode.TOPIC_NOT_EXIST) {
      throw topicMissingError(topic);
    }
    throw error;
  }
}
