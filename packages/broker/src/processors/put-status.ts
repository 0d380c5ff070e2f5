import { ResponseCode } from '@rocketmq-ts/protocol';
import type { PutMessageResult } from '@rocketmq-ts/store';

/** A send response's code and remark for a store outcome. */
export interface PutStatusResponse {
  code: number;
  remark: string | undefined;
  /** Whether the response carries the send header (msgId, queueId, queueOffset): the message was stored. */
  withHeader: boolean;
}

/**
 * Maps a put status to the send response (Java `SendMessageProcessor.handlePutMessageResult`, remoting-protocol.md
 * §4.2): PUT_OK 0; FLUSH_DISK_TIMEOUT 10, SLAVE_NOT_AVAILABLE 11, FLUSH_SLAVE_TIMEOUT 12 (stored, with header);
 * MESSAGE_ILLEGAL and PROPERTIES_SIZE_EXCEEDED 13; SERVICE_NOT_AVAILABLE 14; everything else SYSTEM_ERROR.
 */
export function putStatusToResponse(result: PutMessageResult, brokerIP: string): PutStatusResponse {
  switch (result.status) {
    case 'PUT_OK':
      return { code: ResponseCode.SUCCESS, remark: undefined, withHeader: true };
    case 'FLUSH_DISK_TIMEOUT':
      return { code: ResponseCode.FLUSH_DISK_TIMEOUT, remark: undefined, withHeader: true };
    case 'SLAVE_NOT_AVAILABLE':
      return { code: ResponseCode.SLAVE_NOT_AVAILABLE, remark: undefined, withHeader: true };
    case 'FLUSH_SLAVE_TIMEOUT':
      return { code: ResponseCode.FLUSH_SLAVE_TIMEOUT, remark: undefined, withHeader: true };
    case 'MESSAGE_ILLEGAL':
    case 'PROPERTIES_SIZE_EXCEEDED':
      return {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark:
          result.remark ??
          'the message is illegal, maybe msg body or properties length not matched',
        withHeader: false,
      };
    case 'SERVICE_NOT_AVAILABLE':
      return {
        code: ResponseCode.SERVICE_NOT_AVAILABLE,
        remark: `service not available now. It may be caused by one of the following reasons: the broker's disk is full, messages are put to the slave, message store has been shut down, etc.${result.remark ? ` (${result.remark})` : ''}`,
        withHeader: false,
      };
    case 'OS_PAGECACHE_BUSY':
      return {
        code: ResponseCode.SYSTEM_ERROR,
        remark: `[PC_SYNCHRONIZED]broker busy, start flow control for a while (${brokerIP})`,
        withHeader: false,
      };
    case 'CREATE_MAPEDFILE_FAILED':
      return {
        code: ResponseCode.SYSTEM_ERROR,
        remark: `create mapped file failed, server is busy or broken.${result.remark ? ` (${result.remark})` : ''}`,
        withHeader: false,
      };
    case 'UNKNOWN_ERROR':
      return {
        code: ResponseCode.SYSTEM_ERROR,
        remark: `UNKNOWN_ERROR${result.remark ? `: ${result.remark}` : ''}`,
        withHeader: false,
      };
  }
}
