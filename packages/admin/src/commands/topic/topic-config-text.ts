import type { TopicConfig } from '@rocketmq-ts/protocol';
import { permToString } from './perm-name.js';

/** Topic system flag bit of a unit topic (Java `TopicSysFlag.FLAG_UNIT`). */
const FLAG_UNIT = 0x1;
/** Topic system flag bit of a topic with unit subscriptions (Java `TopicSysFlag.FLAG_UNIT_SUB`). */
const FLAG_UNIT_SUB = 0x2;

/** Java `TopicSysFlag.buildSysFlag(unit, hasUnitSub)`: the `-u` / `-s` flags of updateTopic as topicSysFlag. */
export function buildTopicSysFlag(unit: boolean, hasUnitSub: boolean): number {
  return (unit ? FLAG_UNIT : 0) | (hasUnitSub ? FLAG_UNIT_SUB : 0);
}

/**
 * Java 4.9.8 `TopicConfig.toString()`, the line updateTopic and updateTopicPerm print:
 * `TopicConfig [topicName=T, readQueueNums=8, writeQueueNums=8, perm=RW-, topicFilterType=SINGLE_TAG,
 * topicSysFlag=0, order=false]`. 5.x appends `, attributes={…}`; 4.x, our protocol target, has no attributes.
 */
export function formatTopicConfig(config: Omit<TopicConfig, 'attributes'>): string {
  return (
    `TopicConfig [topicName=${config.topicName}, readQueueNums=${config.readQueueNums}, ` +
    `writeQueueNums=${config.writeQueueNums}, perm=${permToString(config.perm)}, ` +
    `topicFilterType=${config.topicFilterType}, topicSysFlag=${config.topicSysFlag}, order=${config.order}]`
  );
}
