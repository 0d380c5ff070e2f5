import { RemotingCommand, ResponseCode, RocketMQError } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';
import type { ProcessorTable, RequestContext } from './processor-table.js';

/** RocketMQ's remark for SYSTEM_BUSY when a processor rejects (NettyRemotingAbstract). */
export const REJECT_REQUEST_REMARK = '[REJECTREQUEST]system busy, start flow control for a while';

/**
 * Runs one request through the processor table and produces the response to write, or null when nothing must
 * be written (oneway request, or the processor answered null). Never rejects: every failure becomes a response
 * code here, the one error → code boundary of the transport (STYLE.md §6, §9):
 * unknown code → REQUEST_CODE_NOT_SUPPORTED; overloaded → SYSTEM_BUSY; RocketMQError → its code;
 * anything else → SYSTEM_ERROR, logged once with its stack.
 */
export async function dispatchRequest(
  table: ProcessorTable,
  request: RemotingCommand,
  ctx: RequestContext & { logger: Logger },
): Promise<RemotingCommand | null> {
  const processor = table.get(request.code);
  let response: RemotingCommand | null;
  if (processor === undefined) {
    response = RemotingCommand.responseTo(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, {
      remark: ` request type ${request.code} not supported`,
    });
  } else if (processor.isOverloaded?.() === true) {
    response = RemotingCommand.responseTo(request, ResponseCode.SYSTEM_BUSY, {
      remark: REJECT_REQUEST_REMARK,
    });
  } else {
    try {
      response = await processor.process(request, ctx);
    } catch (error) {
      response = errorResponse(request, error, ctx);
    }
  }
  if (response === null || request.isOneway) return null;
  // Whatever the processor built, the wire contract holds: echo opaque, set the response bit, and answer in
  // the request's serialization (ali-ons can only read JSON).
  response.opaque = request.opaque;
  response.flag |= 0x1;
  response.serializeType = request.serializeType;
  return response;
}

function errorResponse(
  request: RemotingCommand,
  error: unknown,
  ctx: RequestContext & { logger: Logger },
): RemotingCommand {
  if (error instanceof RocketMQError) {
    ctx.logger.debug('request failed', {
      code: request.code,
      responseCode: error.code,
      remoteAddr: ctx.remoteAddr,
      error: error.message,
    });
    return RemotingCommand.responseTo(request, error.code, { remark: error.message });
  }
  ctx.logger.error('processor threw', {
    code: request.code,
    remoteAddr: ctx.remoteAddr,
    stack: error instanceof Error ? error.stack : String(error),
  });
  const remark = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, { remark });
}
