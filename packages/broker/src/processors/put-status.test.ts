import { ResponseCode } from '@rocketmq-ts/protocol';
import type { PutMessageResult, PutMessageStatus } from '@rocketmq-ts/store';
import { describe, expect, it } from 'vitest';
import { putStatusToResponse } from './put-status.js';

function result(status: PutMessageStatus, remark?: string): PutMessageResult {
  return {
    status,
    remark,
    phyOffsets: [],
    queueOffsets: [],
    msgIds: [],
    storeTimestamp: 0,
    wroteBytes: 0,
    endPhyOffset: 0,
  };
}

describe('putStatusToResponse', () => {
  it('maps every store status to the send response code Java answers', () => {
    const table: [PutMessageStatus, number, boolean][] = [
      ['PUT_OK', ResponseCode.SUCCESS, true],
      ['FLUSH_DISK_TIMEOUT', ResponseCode.FLUSH_DISK_TIMEOUT, true],
      ['FLUSH_SLAVE_TIMEOUT', ResponseCode.FLUSH_SLAVE_TIMEOUT, true],
      ['SLAVE_NOT_AVAILABLE', ResponseCode.SLAVE_NOT_AVAILABLE, true],
      ['MESSAGE_ILLEGAL', ResponseCode.MESSAGE_ILLEGAL, false],
      ['PROPERTIES_SIZE_EXCEEDED', ResponseCode.MESSAGE_ILLEGAL, false],
      ['SERVICE_NOT_AVAILABLE', ResponseCode.SERVICE_NOT_AVAILABLE, false],
      ['OS_PAGECACHE_BUSY', ResponseCode.SYSTEM_ERROR, false],
      ['CREATE_MAPEDFILE_FAILED', ResponseCode.SYSTEM_ERROR, false],
      ['UNKNOWN_ERROR', ResponseCode.SYSTEM_ERROR, false],
    ];
    for (const [status, code, withHeader] of table) {
      expect(putStatusToResponse(result(status), '10.0.0.1'), status).toMatchObject({
        code,
        withHeader,
      });
    }
  });

  it('keeps the store remark so the producer learns what was wrong', () => {
    const illegal = putStatusToResponse(result('MESSAGE_ILLEGAL', 'body 5000000 > 4194304'), 'h');
    expect(illegal.remark).toBe('body 5000000 > 4194304');
    const full = putStatusToResponse(result('SERVICE_NOT_AVAILABLE', 'disk full'), 'h');
    expect(full.remark).toContain('disk full');
  });
});
