// @rocketmq-ts/ha: classic RocketMQ master/slave replication (the HA port), wire-compatible with 4.9.8.

export { HAMasterService } from './master/ha-master-service.js';
export type { HASlaveConnectionStatus } from './master/ha-connection.js';
export type { ReplicaWaitResult } from './master/replica-waiters.js';
export { HAClient } from './slave/ha-client.js';
export type { HAClientStatus } from './slave/ha-client.js';
export {
  HA_MASTER_DEFAULTS,
  HA_CLIENT_DEFAULTS,
  resolveHAMasterOptions,
  resolveHAClientOptions,
  parseHostPort,
} from './config.js';
export type {
  HAMasterOptions,
  HAClientOptions,
  ResolvedHAMasterOptions,
  ResolvedHAClientOptions,
  HostPort,
} from './config.js';
export type { HAStore } from './ha-store.js';
export { HADivergenceError } from './errors.js';
export type { HADivergenceReason, HADivergenceFields } from './errors.js';
export {
  HA_REPORT_BYTES,
  HA_TRANSFER_HEADER_BYTES,
  HA_MAX_FRAME_BODY_BYTES,
  encodeReport,
  decodeReport,
  encodeTransferHeader,
  decodeTransferHeader,
  ReportReader,
  TransferFrameDecoder,
} from './ha-frame.js';
export type { TransferHeader, TransferFrame } from './ha-frame.js';
