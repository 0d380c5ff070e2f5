import { ConsumerRunningInfoProps } from '@rocketmq-ts/client';
import type { ConsumerRunningInfo, ProcessQueueInfo } from '@rocketmq-ts/client';
import { compareMessageQueue } from '@rocketmq-ts/protocol';
import { messageQueueString } from '../message/message-printer.js';
import { formatCompactTime } from '../message/time-argument.js';
import { formatJavaFixed } from '../text-columns.js';

/*
 * consumerStatus output (RocketMQ 4.9.8 `ConsumerRunningInfo.formatString`, `analyzeSubscription`,
 * `analyzeProcessQueue`). Java keeps the tables in TreeSets / TreeMaps, so they print sorted.
 */

/** A client's report as `consumerStatus -i` prints it and `consumerStatus` writes to `<time>/<clientId>`. */
export function formatRunningInfo(info: ConsumerRunningInfo): string {
  const out: string[] = ['#Consumer Properties#\n'];
  for (const [key, value] of info.properties) out.push(`${key.padEnd(40)}: ${value}\n`);

  out.push('\n\n#Consumer Subscription#\n');
  sortedSubscriptions(info).forEach((sd, i) => {
    out.push(
      `${String(i + 1).padStart(3, '0')} Topic: ${sd.topic.padEnd(40)} ClassFilter: ${String(sd.classFilterMode).padEnd(8)} SubExpression: ${sd.subString}\n`,
    );
  });

  const queues = [...info.mqTable].sort(([a], [b]) => compareMessageQueue(a, b));
  out.push('\n\n#Consumer Offset#\n');
  out.push(
    `${'#Topic'.padEnd(64)}  ${'#Broker Name'.padEnd(32)}  ${'#QID'.padEnd(4)}  ${'#Consumer Offset'.padEnd(20)}\n`,
  );
  for (const [mq, pq] of queues) {
    // 4.9.8 pads the topic to 32 here although the header says 64.
    out.push(
      `${mq.topic.padEnd(32)}  ${mq.brokerName.padEnd(32)}  ${String(mq.queueId).padEnd(4)}  ${String(pq.commitOffset).padEnd(20)}\n`,
    );
  }

  out.push('\n\n#Consumer MQ Detail#\n');
  out.push(
    `${'#Topic'.padEnd(64)}  ${'#Broker Name'.padEnd(32)}  ${'#QID'.padEnd(4)}  ${'#ProcessQueueInfo'.padEnd(20)}\n`,
  );
  for (const [mq, pq] of queues) {
    out.push(
      `${mq.topic.padEnd(64)}  ${mq.brokerName.padEnd(32)}  ${String(mq.queueId).padEnd(4)}  ${processQueueInfoString(pq)}\n`,
    );
  }

  out.push('\n\n#Consumer RT&TPS#\n');
  out.push(
    `${'#Topic'.padEnd(64)}  ${'#Pull RT'.padStart(14)} ${'#Pull TPS'.padStart(14)} ${'#Consume RT'.padStart(14)} ` +
      `${'#ConsumeOK TPS'.padStart(14)} ${'#ConsumeFailed TPS'.padStart(18)} ${'#ConsumeFailedMsgsInHour'.padStart(25)}\n`,
  );
  for (const [topic, s] of [...info.statusTable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(
      `${topic.padEnd(32)}  ${f2(s.pullRT, 14)} ${f2(s.pullTPS, 14)} ${f2(s.consumeRT, 14)} ${f2(s.consumeOKTPS, 14)} ` +
        `${f2(s.consumeFailedTPS, 18)} ${String(s.consumeFailedMsgs).padStart(25)}\n`,
    );
  }

  if (info.jstack !== undefined) out.push('\n\n#Consumer jstack#\n', info.jstack);
  return out.join('');
}

/** Java `ProcessQueueInfo.toString()`, timestamps as `yyyyMMddHHmmssSSS`. */
export function processQueueInfoString(pq: ProcessQueueInfo): string {
  return (
    `ProcessQueueInfo [commitOffset=${pq.commitOffset}, cachedMsgMinOffset=${pq.cachedMsgMinOffset}, ` +
    `cachedMsgMaxOffset=${pq.cachedMsgMaxOffset}, cachedMsgCount=${pq.cachedMsgCount}, ` +
    `cachedMsgSizeInMiB=${pq.cachedMsgSizeInMiB}, transactionMsgMinOffset=${pq.transactionMsgMinOffset}, ` +
    `transactionMsgMaxOffset=${pq.transactionMsgMaxOffset}, transactionMsgCount=${pq.transactionMsgCount}, ` +
    `locked=${pq.locked}, tryUnlockTimes=${pq.tryUnlockTimes}, ` +
    `lastLockTimestamp=${formatCompactTime(pq.lastLockTimestamp)}, droped=${pq.droped}, ` +
    `lastPullTimestamp=${formatCompactTime(pq.lastPullTimestamp)}, ` +
    `lastConsumeTimestamp=${formatCompactTime(pq.lastConsumeTimestamp)}]`
  );
}

/** Java's "started for a while" threshold of analyzeSubscription: 2 minutes. */
const STARTED_FOR_A_WHILE_MS = 120_000;

/**
 * Java `ConsumerRunningInfo.analyzeSubscription`: false when push consumers that have run for over two minutes
 * subscribe differently (compared as Java's TreeSet does: `topic@expression`), or the last one has no
 * subscription. `infos` must be sorted by client id.
 */
export function sameSubscription(infos: readonly ConsumerRunningInfo[], nowMs: number): boolean {
  const first = infos[0];
  if (first === undefined) return true;
  const push = isPush(first);
  const started = Number(
    first.properties.get(ConsumerRunningInfoProps.PROP_CONSUMER_START_TIMESTAMP),
  );
  const forAWhile = Number.isFinite(started) && nowMs - started > STARTED_FOR_A_WHILE_MS;
  if (!push || !forAWhile) return true;
  const key = (info: ConsumerRunningInfo): string =>
    sortedSubscriptions(info)
      .map((sd) => `${sd.topic}@${sd.subString}`)
      .join('\n');
  const expected = key(first);
  if (infos.some((info) => key(info) !== expected)) return false;
  return infos[infos.length - 1]!.subscriptionSet.length > 0;
}

/**
 * Java `ConsumerRunningInfo.analyzeProcessQueue`: for push consumers, orderly queues not locked (`can't lock for a
 * while`) or dropped with unlock attempts, and concurrent queues with cached messages and nothing consumed for a
 * minute (`can't consume for a while, maybe blocked`). One line per finding.
 */
export function processQueueWarnings(
  clientId: string,
  info: ConsumerRunningInfo,
  nowMs: number,
): string[] {
  if (!isPush(info)) return [];
  const orderly = info.properties.get(ConsumerRunningInfoProps.PROP_CONSUME_ORDERLY) === 'true';
  const out: string[] = [];
  for (const [mq, pq] of [...info.mqTable].sort(([a], [b]) => compareMessageQueue(a, b))) {
    const mqText = messageQueueString(mq);
    if (orderly) {
      if (!pq.locked) {
        out.push(`${clientId} ${mqText} can't lock for a while, ${nowMs - pq.lastLockTimestamp}ms`);
      } else if (pq.droped && pq.tryUnlockTimes > 0) {
        out.push(`${clientId} ${mqText} unlock ${pq.tryUnlockTimes} times, still failed`);
      }
    } else {
      const idle = nowMs - pq.lastConsumeTimestamp;
      if (idle > 60_000 && pq.cachedMsgCount > 0) {
        out.push(`${clientId} ${mqText} can't consume for a while, maybe blocked, ${idle}ms`);
      }
    }
  }
  return out;
}

function isPush(info: ConsumerRunningInfo): boolean {
  return info.properties.get(ConsumerRunningInfoProps.PROP_CONSUME_TYPE) === 'CONSUME_PASSIVELY';
}

function sortedSubscriptions(info: ConsumerRunningInfo): ConsumerRunningInfo['subscriptionSet'] {
  const key = (sd: { topic: string; subString: string }): string => `${sd.topic}@${sd.subString}`;
  return [...info.subscriptionSet].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function f2(value: number, width: number): string {
  return formatJavaFixed(value, 2).padStart(width);
}
