import { ResponseCode, decodeSendMessageResponseHeader, readRaw } from '@rocketmq-ts/protocol';
import type { ExtFields, MessageQueue, RemotingCommand } from '@rocketmq-ts/protocol';
import { MQBrokerError } from '../errors.js';

/**
 * How the broker stored a sent message (Java `SendStatus`). Anything but `SEND_OK` means the message is stored on
 * the master but the flush or replication the broker is configured to wait for did not finish in time.
 */
export type SendStatus =
  'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

/** The outcome of a send (Java `SendResult`). */
export interface SendResult {
  sendStatus: SendStatus;
  /**
   * The UNIQ_KEY this client gave the message: Java's `SendResult.getMsgId()`, what consumers see as `msgId` and
   * mqadmin queryMsgByUniqueKey finds. For a batch, the ids of its messages joined with `,`.
   */
  msgId: string;
  /** The broker's id of the stored record (store host + commit-log offset); for a batch, the ids joined with `,`. */
  offsetMsgId: string;
  /** The queue the message was stored in. */
  messageQueue: MessageQueue;
  /** Its position in that queue (the first message's, for a batch). */
  queueOffset: number;
  /** The broker's `regionId` (`MSG_REGION`), `DefaultRegion` when the broker sends none. */
  regionId: string;
  /** The broker's trace switch (`TRACE_ON`): false only when the broker says `false`. */
  traceOn: boolean;
  /** Set for transactional messages. */
  transactionId?: string;
}

/** Java `MixAll.DEFAULT_TRACE_REGION_ID`. */
export const DEFAULT_REGION_ID = 'DefaultRegion';

/** The status a stored-message response code means; undefined for a refusal. */
function sendStatusOf(code: number): SendStatus | undefined {
  switch (code) {
    case ResponseCode.SUCCESS:
      return 'SEND_OK';
    case ResponseCode.FLUSH_DISK_TIMEOUT:
      return 'FLUSH_DISK_TIMEOUT';
    case ResponseCode.FLUSH_SLAVE_TIMEOUT:
      return 'FLUSH_SLAVE_TIMEOUT';
    case ResponseCode.SLAVE_NOT_AVAILABLE:
      return 'SLAVE_NOT_AVAILABLE';
    default:
      return undefined;
  }
}

const NO_EXT_FIELDS: ExtFields = Object.freeze({});

/**
 * Reads a send response (Java `MQClientAPIImpl.processSendResponse`).
 *
 * @param options.response - the broker's answer.
 * @param options.addr - the broker address, for errors.
 * @param options.topic - the topic sent to.
 * @param options.brokerName - the broker set the queue belongs to.
 * @param options.msgIds - the UNIQ_KEY(s) of the message or batch.
 * @throws MQBrokerError with the response code and remark for any code but 0, 10, 11, 12.
 * @throws HeaderFieldError when a stored-status response lacks `msgId`, `queueId` or `queueOffset`.
 */
export function sendResultFromResponse(options: {
  response: RemotingCommand;
  addr: string;
  topic: string;
  brokerName: string;
  msgIds: readonly string[];
}): SendResult {
  const { response } = options;
  const sendStatus = sendStatusOf(response.code);
  if (sendStatus === undefined) {
    throw new MQBrokerError({ code: response.code, remark: response.remark, addr: options.addr });
  }
  const ext = response.extFields ?? NO_EXT_FIELDS;
  const header = decodeSendMessageResponseHeader(ext);
  const region = header.MSG_REGION;
  const result: SendResult = {
    sendStatus,
    msgId: options.msgIds.length === 1 ? (options.msgIds[0] as string) : options.msgIds.join(','),
    offsetMsgId: header.msgId,
    messageQueue: { topic: options.topic, brokerName: options.brokerName, queueId: header.queueId },
    queueOffset: header.queueOffset,
    regionId: region === undefined || region === '' ? DEFAULT_REGION_ID : region,
    traceOn: readRaw(ext, 'TRACE_ON') !== 'false',
  };
  if (header.transactionId !== undefined) result.transactionId = header.transactionId;
  return result;
}
