// @rocketmq-ts/protocol: RocketMQ 4.x remoting codecs. No I/O.

export { RequestCode, GET_ROUTEINTO_BY_TOPIC, requestCodeName } from './codes/request-code.js';
export type { RequestCodeName, RequestCodeValue } from './codes/request-code.js';
export { ResponseCode, isRetriableCode, responseCodeName } from './codes/response-code.js';
export type { ResponseCodeName } from './codes/response-code.js';

export {
  RocketMQError,
  ProtocolError,
  HeaderFieldError,
  BrokerResponseError,
  ConfigError,
} from './errors.js';
export { NOOP_LOGGER } from './logger.js';
export type { Logger, LogFields } from './logger.js';
export type { ExtFields } from './ext-fields.js';

export {
  RemotingCommand,
  SerializeType,
  RPC_TYPE_RESPONSE,
  RPC_ONEWAY,
  DEFAULT_MQ_VERSION,
} from './command/remoting-command.js';
export type { SerializeTypeValue, JsonHeaderShape } from './command/remoting-command.js';
export { LanguageCode, languageCodeName, languageCodeNumber } from './command/language-code.js';
export type { LanguageCodeName } from './command/language-code.js';
export {
  FrameDecoder,
  encodeFrame,
  encodeFrameParts,
  decodeFrameContent,
  DEFAULT_MAX_FRAME_BYTES,
} from './command/frame-codec.js';
export type { FrameDecoderOptions } from './command/frame-codec.js';
export { decodeJsonHeader, encodeJsonHeader } from './command/json-header.js';
export {
  decodeBinaryHeader,
  writeBinaryHeader,
  binaryHeaderLength,
  BINARY_HEADER_FIXED_BYTES,
} from './command/binary-header.js';
