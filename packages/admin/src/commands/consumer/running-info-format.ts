import { ConsumerRunningInfoProps } from '@rocketmq-ts/client';
import type { ConsumerRunningInfo, ProcessQueueInfo } from '@rocketmq-ts/client';
import { compareMessageQueue } from '@rocketmq-ts/protocol';
import { messageQueueString } from '../message/message-printer.js';
import { formatCompactTime } from '../human-time.js';
import { formatJavaFixed, formatRow } from '../text-columns.js';

/*
 * consumerStatus output (RocketMQ 4.9.8 `ConsumerRunningInfo.formatString`, `analyzeSubscription`,
 * `analyzeProcessQueue`). Java keeps the tables in TreeSets / TreeMaps, so they print sorted.
 */

/** A client's report as `consumerStatus -i` prints it and `consumerStatus` writes to `<time>/<clientId>`. */
export function formatRunningInfo(info: ConsumerRunningInfo): string {
  const out: string[] = ['#Consumer Properties#\n'];
  for (const entry of info.properties) out.push(line('%-40s: %s', entry));

  out.push('\n\n#Consumer Subscription#\n');
  sortedSubscriptions(info).forEach((sd, i) => {
    const cells = [i + 1, sd.topic, String(sd.classFilterMode), sd.subString];
    out.push(line('%03d Topic: %-40s ClassFilter: %-8s SubExpression: %s', cells));
  });

  const queues = [...info.mqTable].sort(([a], [b]) => compareMessageQueue(a, b));
  out.push('\n\n#Consumer Offset#\n');
  out.push(
    line('%-64s  %-32s  %-4s  %-20s', ['#Topic', '#Broker Name', '#QID', '#Consumer Offset']),
  );
  for (const [mq, pq] of queues) {
    // 4.9.8 pads the topic to 32 here although the header says 64.
    out.push(
      line('%-32s  %-32s  %-4s  %-20s', [mq.topic, mq.brokerName, mq.queueId, pq.commitOffset]),
    );
  }

  out.push('\n\n#Consumer MQ Detail#\n');
  out.push(
    line('%-64s  %-32s  %-4s  %-20s', ['#Topic', '#Broker Name', '#QID', '#ProcessQueueInfo']),
  );
  for (const [mq, pq] of queues) {
    const cells = [mq.topic, mq.brokerName, mq.queueId, processQueueInfoString(pq)];
    out.push(line('%-64s  %-32s  %-4s  %s', cells));
  }

  out.push('\n\n#Consumer RT&TPS#\n');
  out.push(
    line('%-64s  %14s %14s %14s %14s %18s %25s', [
      '#Topic',
      '#Pull RT',
      '#Pull TPS',
      '#Consume RT',
      '#ConsumeOK TPS',
      '#ConsumeFailed TPS',
      '#ConsumeFailedMsgsInHour',
    ]),
  );
  for (const [topic, s] of [...info.statusTable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(
      line('%-32s  %14s %14s %14s %14s %18s %25s', [
        topic,
        ...[s.pullRT, s.pullTPS, s.consumeRT, s.consumeOKTPS, s.consumeFailedTPS].map((v) =>
          formatJavaFixed(v, 2),
        ),
        s.consumeFailedMsgs,
      ]),
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

/** One line of the report: a row and its line break. */
function line(format: string, cells: readonly (string | number)[]): string {
  return `${formatRow(format, cells)}\n`;
}
