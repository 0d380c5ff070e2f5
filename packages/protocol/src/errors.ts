import { ResponseCode, isRetriableCode } from './codes/response-code.js';

/**
 * Base of every error this project throws on purpose. `code` is the RocketMQ response code a server answers
 * with when this error escapes a request processor (default SYSTEM_ERROR).
 */
export class RocketMQError extends Error {
  override name = 'RocketMQError';
  /** The RocketMQ response code that describes this failure. */
  readonly code: number;
  constructor(message: string, code: number = ResponseCode.SYSTEM_ERROR, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
  /** True when a producer may retry on another queue or broker (Java's `retryResponseCodes`). */
  get retriable(): boolean {
    return isRetriableCode(this.code);
  }
}

/**
 * Bytes that are not a valid RocketMQ frame, header, body or record: impossible lengths, unknown serialize types,
 * malformed JSON, truncated data. `offset` is the byte position in the input where decoding failed, when known.
 */
export class ProtocolError extends RocketMQError {
  override name = 'ProtocolError';
  readonly offset: number | undefined;
  constructor(message: string, options?: ErrorOptions & { offset?: number }) {
    super(message, ResponseCode.SYSTEM_ERROR, options);
    this.offset = options?.offset;
  }
}

/** A request header that lacks a required field or carries a value of the wrong type. */
export class HeaderFieldError extends ProtocolError {
  override name = 'HeaderFieldError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`header field ${field}: ${reason}`);
  }
}

/** A non-success answer from a broker or name server: carries the response code, remark and peer address. */
export class BrokerResponseError extends RocketMQError {
  override name = 'BrokerResponseError';
  constructor(
    code: number,
    readonly remark: string | undefined,
    readonly addr: string,
  ) {
    super(`${addr} answered code ${code}${remark ? `: ${remark}` : ''}`, code);
  }
}

/** A bad configuration value: names the key, the value and why it is refused. */
export class ConfigError extends RocketMQError {
  override name = 'ConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`config ${key}=${String(value)}: ${reason}`);
  }
}
