import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';

/** No response arrived for a request within its timeout. */
export class RemotingTimeoutError extends RocketMQError {
  override name = 'RemotingTimeoutError';
  constructor(
    readonly addr: string,
    readonly opaque: number,
    readonly timeoutMs: number,
  ) {
    super(`no response from ${addr} within ${timeoutMs} ms (opaque ${opaque})`);
  }
}

/** A TCP connection to `addr` could not be established. */
export class RemotingConnectError extends RocketMQError {
  override name = 'RemotingConnectError';
  constructor(
    readonly addr: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot connect to ${addr}: ${reason}`, ResponseCode.SYSTEM_ERROR, options);
  }
}

/** The connection closed while a request was waiting for its response, or before it could be sent. */
export class ConnectionClosedError extends RocketMQError {
  override name = 'ConnectionClosedError';
  constructor(
    readonly addr: string,
    options?: ErrorOptions,
  ) {
    super(`connection to ${addr} closed`, ResponseCode.SYSTEM_ERROR, options);
  }
}

/** The connection already has `maxInFlight` requests waiting for responses. */
export class RemotingTooManyRequestsError extends RocketMQError {
  override name = 'RemotingTooManyRequestsError';
  constructor(
    readonly addr: string,
    readonly maxInFlight: number,
  ) {
    super(`${maxInFlight} requests already in flight to ${addr}`, ResponseCode.SYSTEM_BUSY);
  }
}

/** The caller's AbortSignal fired before the response arrived; `cause` is the signal's reason. */
export class RemotingAbortedError extends RocketMQError {
  override name = 'RemotingAbortedError';
  constructor(
    readonly addr: string,
    readonly opaque: number,
    options?: ErrorOptions,
  ) {
    super(`request to ${addr} aborted (opaque ${opaque})`, ResponseCode.SYSTEM_ERROR, options);
  }
}
