import type { ExtFields } from '../ext-fields.js';

/** Header serialization of a frame: the high byte of the frame's second int32. */
export const SerializeType = {
  /** fastjson-style JSON header (RocketMQ's default; the only one ali-ons understands). */
  JSON: 0,
  /** RocketMQ's compact binary header (RocketMQSerializable). */
  ROCKETMQ: 1,
} as const;
/** 0 = JSON, 1 = ROCKETMQ. */
export type SerializeTypeValue = (typeof SerializeType)[keyof typeof SerializeType];

/** `flag` bit 0: the frame is a response. */
export const RPC_TYPE_RESPONSE = 0x1;
/** `flag` bit 1: the request is oneway; the receiver must not answer. */
export const RPC_ONEWAY = 0x2;

/**
 * `MQVersion.Version` ordinal we stamp on frames: V4_9_8 (409). Servers look at the version in a few places
 * (remoting-protocol.md §1.5): ≥ 401 gets route JSON with quoted map keys, ≥ 121 has maxReconsumeTimes honoured.
 */
export const DEFAULT_MQ_VERSION = 409;

/**
 * How a JSON header looked on the wire, kept by the decoder so a frame can be re-encoded byte for byte (golden
 * tests, relays): the top-level key order, and which extFields values were JSON numbers or booleans (ali-ons sends
 * `{"queueId":0,"k":false}`) rather than strings.
 */
export interface JsonHeaderShape {
  readonly keyOrder: readonly string[];
  readonly extFieldTypes: ReadonlyMap<string, 'number' | 'boolean'>;
  /** Whether `serializeTypeCurrentRPC` was present (Java writes it, ali-ons does not), and its value. */
  readonly serializeTypeCurrentRPC?: string;
}

/**
 * One remoting frame: a request or a response. Field names are RocketMQ's (`RemotingCommand`).
 *
 * Build with {@link RemotingCommand.request}, {@link RemotingCommand.oneway} or
 * {@link RemotingCommand.responseTo}; encode with `encodeFrame`, decode with `FrameDecoder`.
 */
export class RemotingCommand {
  /** Request code, or response code in a response. */
  code: number;
  /** Sender language name (`'JAVA'` by default). */
  language: string;
  /** Sender's MQVersion ordinal. */
  version: number;
  /** Request id chosen by the requester; a response echoes it. */
  opaque: number;
  /** Bit field: {@link RPC_TYPE_RESPONSE}, {@link RPC_ONEWAY}. */
  flag: number;
  /** Free text; the error message in a failed response. */
  remark: string | undefined;
  /** The typed header flattened to strings; `undefined` when the frame has none. */
  extFields: ExtFields | undefined;
  /** Payload bytes; `undefined` when the frame has no body. */
  body: Buffer | undefined;
  /** Header serialization used on the wire: responses reuse the request's. */
  serializeType: SerializeTypeValue;
  /** Set by the JSON decoder; lets an unmodified decoded frame re-encode byte for byte. */
  jsonShape: JsonHeaderShape | undefined;
  /**
   * Called once by the connection that sends this command, when its frame has been handed to the kernel or will
   * never be (connection closed, frame not encodable): a sender whose body is borrowed memory (a store buffer to
   * reuse) gets it back here. The body must not change before then; nothing else calls it.
   */
  onWritten: (() => void) | undefined;

  constructor(init: {
    code: number;
    opaque?: number;
    flag?: number;
    language?: string;
    version?: number;
    remark?: string;
    extFields?: ExtFields;
    body?: Buffer;
    serializeType?: SerializeTypeValue;
  }) {
    this.code = init.code;
    this.language = init.language ?? 'JAVA';
    this.version = init.version ?? DEFAULT_MQ_VERSION;
    this.opaque = init.opaque ?? 0;
    this.flag = init.flag ?? 0;
    this.remark = init.remark;
    this.extFields = init.extFields;
    this.body = init.body;
    this.serializeType = init.serializeType ?? SerializeType.JSON;
    this.jsonShape = undefined;
    this.onWritten = undefined;
  }

  /** A request with `code`; the transport assigns the opaque when it sends it. */
  static request(code: number, extFields?: ExtFields, body?: Buffer): RemotingCommand {
    return new RemotingCommand({ code, extFields, body });
  }

  /** A oneway request: the receiver must not answer. */
  static oneway(code: number, extFields?: ExtFields, body?: Buffer): RemotingCommand {
    return new RemotingCommand({ code, extFields, body, flag: RPC_ONEWAY });
  }

  /**
   * A response to `request`: echoes its opaque and serialization (a Java server answers in the request's
   * serialization, and ali-ons can only read JSON, so this matters), with the response bit set.
   */
  static responseTo(
    request: RemotingCommand,
    code: number,
    init?: { remark?: string; extFields?: ExtFields; body?: Buffer },
  ): RemotingCommand {
    return new RemotingCommand({
      code,
      opaque: request.opaque,
      flag: RPC_TYPE_RESPONSE,
      remark: init?.remark,
      extFields: init?.extFields,
      body: init?.body,
      serializeType: request.serializeType,
    });
  }

  /** True when the response bit (flag bit 0) is set. */
  get isResponse(): boolean {
    return (this.flag & RPC_TYPE_RESPONSE) !== 0;
  }

  /** True when the oneway bit (flag bit 1) is set. ali-ons never sets it, even for its "oneway" calls. */
  get isOneway(): boolean {
    return (this.flag & RPC_ONEWAY) !== 0;
  }
}
