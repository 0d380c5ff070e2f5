// @rocketmq-ts/remoting: RocketMQ remoting over node:net.

export { RemotingServer } from './remoting-server.js';
export type { RemotingServerOptions, ChannelListener } from './remoting-server.js';
export { RemotingClient, parseAddr } from './remoting-client.js';
export type { RemotingClientOptions } from './remoting-client.js';
export { ProcessorTable } from './processor-table.js';
export type {
  RequestProcessor,
  RequestContext,
  RemotingChannel,
  InvokeOptions,
} from './processor-table.js';
export { dispatchRequest, REJECT_REQUEST_REMARK } from './dispatch.js';
export {
  RemotingTimeoutError,
  RemotingConnectError,
  ConnectionClosedError,
  RemotingTooManyRequestsError,
  RemotingAbortedError,
} from './errors.js';
