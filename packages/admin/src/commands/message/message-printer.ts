import { TextDecoder } from 'node:util';
import type {
  ConsumeMessageDirectlyResult,
  MessageExt,
  MessageTrack,
  SendResult,
} from '@rocketmq-ts/client';
import { MessageConst } from '@rocketmq-ts/protocol';
import type { HostAddress, MessageQueue } from '@rocketmq-ts/protocol';
import { CommandError } from '../../cli/command-spec.js';
import { formatHumanTime } from '../human-time.js';
import { formatRow } from '../text-columns.js';

/*
 * The message output of RocketMQ 4.9.8's tools (mqadmin-and-config.md §1.10): the `Label:` detail block of
 * QueryMsgByIdSubCommand.printMsg (also queryMsgByOffset, and without `OffsetID:` queryMsgByUniqueKey), the
 * MessageTrack lines, and the `MSGID: … BODY: …` lines of printMsg / consumeMessage built on Java's toString().
 */

/** Options of {@link messageDetailLines}. */
export interface MessageDetailOptions {
  /** queryMsgById / queryMsgByOffset start with `OffsetID:`; queryMsgByUniqueKey does not. */
  withOffsetId: boolean;
  /** Where the body was written (`Message Body Path:`). */
  bodyPath: string;
  /** The body decoded with `-f <charset>`, printed as `Message Body:` (RocketMQ 5.x's `-f`); omitted when absent. */
  body?: string;
}

/**
 * The detail block of one message, one `Label:` line per field with the label left-aligned in 20 characters:
 * OffsetID, Topic, Tags (`[tag]`, `[null]` when none, as Java prints), Keys, Queue ID, Queue Offset, CommitLog
 * Offset, Reconsume Times, Born / Store Timestamp (`yyyy-MM-dd HH:mm:ss,SSS`, local), Born / Store Host (`ip:port`),
 * System Flag, Properties (a Java map), Message Body Path and, with `-f`, Message Body.
 */
export function messageDetailLines(msg: MessageExt, options: MessageDetailOptions): string[] {
  const rows: [string, string | number][] = [];
  if (options.withOffsetId) rows.push(['OffsetID:', msg.offsetMsgId]);
  rows.push(
    ['Topic:', msg.topic],
    ['Tags:', `[${msg.tags ?? 'null'}]`],
    ['Keys:', `[${msg.keys ?? 'null'}]`],
    ['Queue ID:', msg.queueId],
    ['Queue Offset:', msg.queueOffset],
    ['CommitLog Offset:', msg.commitLogOffset],
    ['Reconsume Times:', msg.reconsumeTimes],
    ['Born Timestamp:', formatHumanTime(msg.bornTimestamp)],
    ['Store Timestamp:', formatHumanTime(msg.storeTimestamp)],
    ['Born Host:', hostString(msg.bornHost)],
    ['Store Host:', hostString(msg.storeHost)],
    ['System Flag:', msg.sysFlag],
    ['Properties:', javaMapString(msg.properties)],
    ['Message Body Path:', options.bodyPath],
  );
  if (options.body !== undefined) rows.push(['Message Body:', options.body]);
  return rows.map((row) => formatRow('%-20s %s', row));
}

/**
 * What follows the detail block: two blank lines, then `WARN: No Consumer` when no group consumes the topic, else
 * one `MessageTrack [...]` line per group. (RocketMQ 4.9.8 prints the tracks back to back on one line, with no
 * separator; one per line is what the reference describes and what scripts can split.)
 */
export function messageTrackLines(tracks: readonly MessageTrack[]): string[] {
  if (tracks.length === 0) return ['', '', 'WARN: No Consumer'];
  return ['', '', ...tracks.map(formatMessageTrack)];
}

/** Java `MessageTrack.toString()`: `MessageTrack [consumerGroup=G, trackType=T, exceptionDesc=null]`. */
export function formatMessageTrack(track: MessageTrack): string {
  return `MessageTrack [consumerGroup=${track.consumerGroup}, trackType=${track.trackType}, exceptionDesc=${track.exceptionDesc ?? 'null'}]`;
}

/**
 * Java `ConsumeMessageDirectlyResult.toString()`, what `-g <group> -d <clientId>` prints:
 * `ConsumeMessageDirectlyResult [order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=null, spentTimeMills=3]`.
 */
export function formatConsumeMessageDirectlyResult(result: ConsumeMessageDirectlyResult): string {
  return (
    `ConsumeMessageDirectlyResult [order=${result.order}, autoCommit=${result.autoCommit}, ` +
    `consumeResult=${result.consumeResult ?? 'null'}, remark=${result.remark ?? 'null'}, ` +
    `spentTimeMills=${result.spentTimeMills}]`
  );
}

/**
 * Java `SendResult.toString()` (queryMsgById -s): `SendResult [sendStatus=SEND_OK, msgId=…, offsetMsgId=…,
 * messageQueue=MessageQueue [...], queueOffset=3]`.
 */
export function formatSendResult(result: SendResult): string {
  return (
    `SendResult [sendStatus=${result.sendStatus}, msgId=${result.msgId}, offsetMsgId=${result.offsetMsgId}, ` +
    `messageQueue=${messageQueueString(result.messageQueue)}, queueOffset=${result.queueOffset}]`
  );
}

/** Fields of a pulled record that {@link MessageExt} does not carry but Java's `MessageExt.toString()` prints. */
export interface StoredRecordExtras {
  /** TOTALSIZE of the stored record. */
  storeSize: number;
  preparedTransactionOffset: number;
}

/**
 * One line of printMsg / consumeMessage (PrintMessageSubCommand.printMessage):
 * `MSGID: <msgId> <MessageExt.toString()> BODY: <body or NOT PRINT BODY>`, with Java's toString of MessageExt
 * (and of Message inside it: properties as a Java map, the body as a signed byte array).
 */
export function printMsgLine(
  msg: MessageExt,
  extras: StoredRecordExtras,
  body: string | undefined,
): string {
  return `MSGID: ${msg.msgId} ${messageExtJavaString(msg, extras)} BODY: ${body ?? 'NOT PRINT BODY'}`;
}

/** Java `MessageExt.toString()` (4.9.8), `msgId` being the offset message id as in Java's MessageClientExt. */
export function messageExtJavaString(msg: MessageExt, extras: StoredRecordExtras): string {
  // Java's PullAPIWrapper sets transactionId to the UNIQ_KEY of prepared transactional messages only.
  const transactionId =
    msg.properties.get(MessageConst.PROPERTY_TRANSACTION_PREPARED) === 'true'
      ? msg.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)
      : undefined;
  const message =
    `Message{topic='${msg.topic}', flag=${msg.flag}, properties=${javaMapString(msg.properties)}, ` +
    `body=${javaByteArrayString(msg.body)}, transactionId='${transactionId ?? 'null'}'}`;
  return (
    `MessageExt [brokerName=${msg.brokerName}, queueId=${msg.queueId}, storeSize=${extras.storeSize}, ` +
    `queueOffset=${msg.queueOffset}, sysFlag=${msg.sysFlag}, bornTimestamp=${msg.bornTimestamp}, ` +
    `bornHost=/${hostString(msg.bornHost)}, storeTimestamp=${msg.storeTimestamp}, ` +
    `storeHost=/${hostString(msg.storeHost)}, msgId=${msg.offsetMsgId}, commitLogOffset=${msg.commitLogOffset}, ` +
    `bodyCRC=${msg.bodyCRC}, reconsumeTimes=${msg.reconsumeTimes}, ` +
    `preparedTransactionOffset=${extras.preparedTransactionOffset}, toString()=${message}]`
  );
}

/** Java `MessageQueue.toString()`: `MessageQueue [topic=T, brokerName=B, queueId=0]`. */
export function messageQueueString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}

/** Java `AbstractMap.toString()`: `{k1=v1, k2=v2}` (in insertion order here; Java's HashMap order differs). */
export function javaMapString(map: ReadonlyMap<string, string>): string {
  return `{${[...map].map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/** Java `Arrays.toString(byte[])`: signed bytes, `[104, 105, -1]`. */
export function javaByteArrayString(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (const b of bytes) parts.push(String(b > 127 ? b - 256 : b));
  return `[${parts.join(', ')}]`;
}

/** `ip:port` as Java's `RemotingHelper.parseSocketAddressAddr` prints a host (IPv6 without brackets, as Java 8). */
export function hostString(host: HostAddress): string {
  return `${host.host}:${host.port}`;
}

/**
 * Decodes a body with a charset name as given to `-c` / `-f` (`UTF-8`, `GBK`, `ISO-8859-1`…; the WHATWG labels
 * Node knows).
 * @throws CommandError naming the option when Node does not know the charset.
 */
export function decodeBody(
  body: Uint8Array,
  charset: string,
  option: { short: string; long: string },
): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset.trim());
  } catch {
    throw new CommandError(
      `option -${option.short}/--${option.long}: unknown charset "${charset}" (try UTF-8, GBK, ISO-8859-1)`,
    );
  }
  return decoder.decode(body);
}
