import type { Logger } from '@rocketmq-ts/protocol';
import type { MessageStore, PutMessageResult } from '@rocketmq-ts/store';
import type { RealDelivery } from './real-destination.js';

/**
 * Put statuses after which the message is in the commit log (durability waits — disk flush, slave — may have timed
 * out; the record is in all the same).
 */
export const STORED_STATUSES: ReadonlySet<PutMessageResult['status']> = new Set([
  'PUT_OK',
  'FLUSH_DISK_TIMEOUT',
  'FLUSH_SLAVE_TIMEOUT',
  'SLAVE_NOT_AVAILABLE',
]);
/** Put statuses that will never change for the same message: retrying would block delivery for good. */
const REFUSED_FOR_GOOD: ReadonlySet<PutMessageResult['status']> = new Set([
  'MESSAGE_ILLEGAL',
  'PROPERTIES_SIZE_EXCEEDED',
]);

/** Outcome of one put of {@link putDeliveries}; undefined for a skipped delivery. */
export type DeliveryPutResult = PromiseSettledResult<PutMessageResult | undefined>;

/**
 * Puts the messages of the given deliveries all at once (they share the store's group commit); skips put nothing.
 * @returns one settled result per delivery, in order; never rejects.
 */
export function putDeliveries(
  store: Pick<MessageStore, 'putMessage'>,
  deliveries: readonly RealDelivery[],
): Promise<DeliveryPutResult[]> {
  return Promise.allSettled(
    deliveries.map((d) =>
      d.kind === 'put' ? store.putMessage(d.input) : Promise.resolve(undefined),
    ),
  );
}

/** Options of {@link settleDelivery}. */
export interface SettleDeliveryOptions {
  delivery: RealDelivery;
  /** Its entry of {@link putDeliveries}. */
  result: DeliveryPutResult;
  logger: Logger;
  /** Kind of message in log lines: `delayed`, `timer`. */
  noun: string;
  /** Where the message came from, added to every log line. */
  fields: Record<string, unknown>;
}

/**
 * What became of one delivery: done — stored (with its put result), skipped or refused for good, each logged as
 * an error except stored — or to retry (put failed or refused for now, logged as a warning).
 */
export interface SettledDelivery {
  /** Stored, skipped or dropped: move on. False: put it again later. */
  done: boolean;
  /** The put's result when the message is stored. */
  stored?: PutMessageResult;
}

/**
 * Judges and logs the outcome of one delivery. FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT and SLAVE_NOT_AVAILABLE
 * count as stored; MESSAGE_ILLEGAL and PROPERTIES_SIZE_EXCEEDED drop the message; any other status or a thrown put
 * asks for a retry.
 */
export function settleDelivery(options: SettleDeliveryOptions): SettledDelivery {
  const { delivery, result, logger, noun, fields } = options;
  if (delivery.kind === 'skip') {
    logger.error(`dropped a ${noun} message that cannot be delivered`, {
      ...fields,
      reason: delivery.reason,
    });
    return { done: true };
  }
  if (result.status === 'rejected') {
    logger.warn(`${noun} message put failed; will retry`, {
      ...fields,
      error: String(result.reason),
    });
    return { done: false };
  }
  const { status, remark } = result.value!;
  if (REFUSED_FOR_GOOD.has(status)) {
    logger.error(`dropped a ${noun} message the store refuses`, {
      ...fields,
      status,
      remark,
      topic: delivery.input.topic,
    });
    return { done: true };
  }
  if (!STORED_STATUSES.has(status)) {
    logger.warn(`${noun} message put refused; will retry`, { ...fields, status, remark });
    return { done: false };
  }
  return { done: true, stored: result.value! };
}
