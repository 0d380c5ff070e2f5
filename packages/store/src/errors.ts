import { ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';

/** What went wrong in the store: an I/O failure, corrupt data, use after close, or a full disk. */
export type StoreErrorKind = 'io' | 'corrupt' | 'closed' | 'disk-full';

/**
 * A store fault (not an expected outcome: those are statuses). Carries the file and offset involved when known.
 */
export class StoreError extends RocketMQError {
  override name = 'StoreError';
  readonly kind: StoreErrorKind;
  readonly file: string | undefined;
  readonly phyOffset: number | undefined;
  constructor(
    kind: StoreErrorKind,
    message: string,
    options?: ErrorOptions & { file?: string; phyOffset?: number },
  ) {
    super(
      message,
      kind === 'disk-full' ? ResponseCode.SERVICE_NOT_AVAILABLE : ResponseCode.SYSTEM_ERROR,
      options,
    );
    this.kind = kind;
    this.file = options?.file;
    this.phyOffset = options?.phyOffset;
  }
}
