import { RocketMQError } from '@rocketmq-ts/protocol';

/**
 * Why a master and a slave cannot continue as one history:
 * - `slave-ahead`: the slave reports more commit log than the master has;
 * - `history-gone`: the slave asks for an offset the master no longer stores;
 * - `not-a-boundary`: the slave's end is not a record boundary in the master's log (their records differ);
 * - `offset-mismatch`: the master sends bytes for an offset where the slave's log does not end;
 * - `not-a-record`: the master's bytes at the slave's end are not records that belong there;
 * - `store-refused`: the slave's store refused the bytes (`StoreError` kind `'corrupt'`).
 */
export type HADivergenceReason =
  | 'slave-ahead'
  | 'history-gone'
  | 'not-a-boundary'
  | 'offset-mismatch'
  | 'not-a-record'
  | 'store-refused';

/** What {@link HADivergenceError} is built from. */
export interface HADivergenceFields {
  readonly reason: HADivergenceReason;
  /** The master's side of the comparison, bytes. */
  readonly masterPhyOffset: number;
  /** The slave's side of the comparison, bytes. */
  readonly slavePhyOffset: number;
  /** What exactly was wrong, appended to the message. */
  readonly detail?: string;
}

/**
 * The master's and a slave's commit logs diverged, so replication between them stops (the connection is closed and
 * nothing is written): mixing two histories would give the slave records that exist nowhere else. An operator has
 * to decide which history wins (usually: empty the slave's store).
 */
export class HADivergenceError extends RocketMQError {
  override name = 'HADivergenceError';
  readonly reason: HADivergenceReason;
  /** The master's side of the comparison (its max, min or frame offset), bytes. */
  readonly masterPhyOffset: number;
  /** The slave's commit-log end, bytes. */
  readonly slavePhyOffset: number;
  constructor(fields: HADivergenceFields, options?: ErrorOptions) {
    super(
      fields.detail ? `${describe(fields)}: ${fields.detail}` : describe(fields),
      undefined,
      options,
    );
    this.reason = fields.reason;
    this.masterPhyOffset = fields.masterPhyOffset;
    this.slavePhyOffset = fields.slavePhyOffset;
  }
}

function describe(fields: HADivergenceFields): string {
  const { masterPhyOffset: master, slavePhyOffset: slave } = fields;
  switch (fields.reason) {
    case 'slave-ahead':
      return `slave commit log ends at ${slave}, past the master's end ${master}`;
    case 'history-gone':
      return `slave commit log ends at ${slave}, before the master's oldest offset ${master}`;
    case 'not-a-boundary':
      return `slave commit log ends at ${slave}, which is not a record boundary on the master (master end ${master})`;
    case 'offset-mismatch':
      return `master sent data at ${master} but the slave commit log ends at ${slave}`;
    case 'not-a-record':
      return `master bytes at ${master} are not records that continue the slave commit log at ${slave}`;
    case 'store-refused':
      return `slave store refused the master's bytes at ${master} (slave end ${slave})`;
  }
}
