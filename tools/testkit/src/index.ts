// @rocketmq-ts/testkit: starts and stops real server processes for tests (STYLE.md §12).
export { startCluster } from './cluster.js';
export type {
  BrokerConfigValue,
  ClusterBroker,
  StartClusterOptions,
  TestCluster,
} from './cluster.js';
export { ServerAppMissingError, ServerProcessError } from './errors.js';
export type { ServerProcessErrorKind } from './errors.js';
export { readLogTail } from './log-tail.js';
export type { ReadLogTailOptions } from './log-tail.js';
export { parseReadyFile, ReadyFileError } from './ready-file.js';
export type { ReadyInfo } from './ready-file.js';
export {
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_READY_TIMEOUT_MS,
  runningServerPids,
  startServerProcess,
} from './server-process.js';
export type {
  ServerDirs,
  ServerExit,
  ServerProcess,
  StartServerProcessOptions,
} from './server-process.js';
export { makeTempDir, removeTempDir, TEMP_DIR_PREFIX } from './temp-dir.js';
export {
  DEFAULT_WAIT_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  waitFor,
  WaitForTimeoutError,
} from './wait-for.js';
export type { Falsy, WaitForOptions } from './wait-for.js';
