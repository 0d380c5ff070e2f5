import { MessageConst, forEachMessageProperty } from '@rocketmq-ts/protocol';
import { PROPERTY_START_DELIVER_TIME } from '../timer/to-timer-message.js';

/** A plain message's properties as the broker stores them, and whether its sender waits for the store. */
export interface PlainSendProperties {
  /** The properties string to store: `WAIT` dropped, `CLUSTER` set to the broker's cluster. */
  stored: string;
  /** Java `isWaitStoreMsgOK`: `WAIT` absent or `true` (any case). */
  waitStoreMsgOk: boolean;
}

/**
 * Properties that send a message down the full path (a Map of its properties): transactions, delay levels and timers
 * rewrite the message, and `TIMER_OUT_MS` marks a delivered timer message sent again.
 */
const SPECIAL_PROPERTIES: ReadonlySet<string> = new Set([
  MessageConst.PROPERTY_TRANSACTION_PREPARED,
  MessageConst.PROPERTY_DELAY_TIME_LEVEL,
  MessageConst.PROPERTY_TIMER_DELAY_SEC,
  MessageConst.PROPERTY_TIMER_DELAY_MS,
  MessageConst.PROPERTY_TIMER_DELIVER_MS,
  MessageConst.PROPERTY_TIMER_OUT_MS,
  PROPERTY_START_DELIVER_TIME,
]);
const SPECIAL_NAME_LENGTHS: ReadonlySet<number> = new Set(
  [...SPECIAL_PROPERTIES].map((n) => n.length),
);
const WAIT = MessageConst.PROPERTY_WAIT_STORE_MSG_OK;
const CLUSTER = MessageConst.PROPERTY_CLUSTER;

/**
 * The stored properties of a plain message (no transaction, delay or timer property) with string operations
 * only: every `WAIT` and `CLUSTER` piece is cut out and `CLUSTER` appended with `clusterName`. Decoding the result
 * gives the same properties as decoding the input, deleting `WAIT` and setting `CLUSTER` (the Map path), which the
 * broker's tests compare; malformed pieces are left in place (decoders skip them, as before).
 *
 * @returns undefined when the message has a special property and needs the full path.
 */
export function plainSendProperties(
  text: string,
  clusterName: string,
): PlainSendProperties | undefined {
  let special = false;
  let wait: string | undefined;
  /** Ranges [start, end) of `text` to keep, as flat pairs; undefined while the whole text is kept. */
  let keep: number[] | undefined;
  let keptUpTo = 0;
  forEachMessageProperty(text, (nameEnd, start, end) => {
    const nameLength = nameEnd - start;
    if (
      SPECIAL_NAME_LENGTHS.has(nameLength) &&
      SPECIAL_PROPERTIES.has(text.slice(start, nameEnd))
    ) {
      special = true;
      return;
    }
    const isWait = nameLength === WAIT.length && text.startsWith(WAIT, start);
    const isCluster = nameLength === CLUSTER.length && text.startsWith(CLUSTER, start);
    if (!isWait && !isCluster) return;
    if (isWait) wait = text.slice(nameEnd + 1, end);
    (keep ??= []).push(keptUpTo, start);
    keptUpTo = Math.min(text.length, end + 1);
  });
  if (special) return undefined;
  let stored = text;
  if (keep !== undefined) {
    stored = '';
    for (let i = 0; i < keep.length; i += 2) stored += text.slice(keep[i], keep[i + 1]);
    stored += text.slice(keptUpTo);
  }
  if (stored.length > 0 && !stored.endsWith('\u0002')) stored += '\u0002';
  return {
    stored: `${stored}${CLUSTER}\u0001${clusterName}\u0002`,
    waitStoreMsgOk: wait === undefined || wait.toLowerCase() === 'true',
  };
}
