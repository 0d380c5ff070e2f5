import { RocketMQError } from '@rocketmq-ts/protocol';

/**
 * A failure on the client's side: no route, no broker reachable, invalid message, client not started. `code` is a
 * RocketMQ response code when the cause has one (e.g. TOPIC_NOT_EXIST), else SYSTEM_ERROR.
 */
export class MQClientError extends RocketMQError {
  override name = 'MQClientError';
}

/** A broker (or NameServer) answered a request with an error code; `code` is that response code. */
export class MQBrokerError extends RocketMQError {
  override name = 'MQBrokerError';
  /** The server that answered, `host:port`. */
  readonly addr: string;

  constructor(options: { code: number; remark: string | undefined; addr: string }) {
    super(
      `${options.remark ?? 'no remark'} (response code ${options.code} from ${options.addr})`,
      options.code,
    );
    this.addr = options.addr;
  }
}
