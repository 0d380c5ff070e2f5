import type { MessageExt } from '@rocketmq-ts/client';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../cli/command-spec.js';
import {
  decodeBody,
  formatConsumeMessageDirectlyResult,
  formatMessageTrack,
  javaByteArrayString,
  javaMapString,
  messageDetailLines,
  messageTrackLines,
  printMsgLine,
} from './message-printer.js';
import { formatHumanTime } from '../human-time.js';

const BORN = new Date(2024, 4, 6, 7, 8, 9, 10).getTime();
const STORED = BORN + 5;

function message(overrides: Partial<MessageExt> = {}): MessageExt {
  return {
    topic: 'TopicTest',
    body: Buffer.from('hi'),
    tags: 'TagA',
    keys: 'k1 k2',
    properties: new Map([
      ['KEYS', 'k1 k2'],
      ['TAGS', 'TagA'],
      ['UNIQ_KEY', '7F00000100002A9F0000000000000001'],
    ]),
    msgId: '7F00000100002A9F0000000000000001',
    offsetMsgId: '7F00000100002A9F00000000000000C8',
    brokerName: 'broker-a',
    queueId: 3,
    queueOffset: 41,
    commitLogOffset: 200,
    bornTimestamp: BORN,
    storeTimestamp: STORED,
    bornHost: { host: '10.0.0.5', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    sysFlag: 0,
    flag: 0,
    bodyCRC: 12345,
    ...overrides,
  };
}

describe('messageDetailLines', () => {
  it('prints one Label: line per field in RocketMQ order, labels left-aligned in 20 characters', () => {
    expect(messageDetailLines(message(), { withOffsetId: true, bodyPath: '/tmp/b' })).toEqual([
      'OffsetID:            7F00000100002A9F00000000000000C8',
      'Topic:               TopicTest',
      'Tags:                [TagA]',
      'Keys:                [k1 k2]',
      'Queue ID:            3',
      'Queue Offset:        41',
      'CommitLog Offset:    200',
      'Reconsume Times:     0',
      `Born Timestamp:      ${formatHumanTime(BORN)}`,
      `Store Timestamp:     ${formatHumanTime(STORED)}`,
      'Born Host:           10.0.0.5:50000',
      'Store Host:          127.0.0.1:10911',
      'System Flag:         0',
      'Properties:          {KEYS=k1 k2, TAGS=TagA, UNIQ_KEY=7F00000100002A9F0000000000000001}',
      'Message Body Path:   /tmp/b',
    ]);
  });

  it('leaves OffsetID out for queryMsgByUniqueKey, prints null tags as Java does, and the body with -f', () => {
    const lines = messageDetailLines(message({ tags: undefined, keys: undefined }), {
      withOffsetId: false,
      bodyPath: '/tmp/b',
      body: 'hi',
    });
    expect(lines[0]).toBe('Topic:               TopicTest');
    expect(lines).toContain('Tags:                [null]');
    expect(lines).toContain('Keys:                [null]');
    expect(lines.at(-1)).toBe('Message Body:        hi');
  });
});

describe('message tracks', () => {
  it('prints MessageTrack as Java toString, exceptionDesc null when absent', () => {
    expect(formatMessageTrack({ consumerGroup: 'G', trackType: 'CONSUMED' })).toBe(
      'MessageTrack [consumerGroup=G, trackType=CONSUMED, exceptionDesc=null]',
    );
    expect(
      formatMessageTrack({
        consumerGroup: 'H',
        trackType: 'NOT_ONLINE',
        exceptionDesc: 'CODE:206 DESC:x',
      }),
    ).toBe('MessageTrack [consumerGroup=H, trackType=NOT_ONLINE, exceptionDesc=CODE:206 DESC:x]');
  });

  it('puts two blank lines before the tracks, one per line, or WARN: No Consumer', () => {
    expect(messageTrackLines([])).toEqual(['', '', 'WARN: No Consumer']);
    expect(
      messageTrackLines([
        { consumerGroup: 'A', trackType: 'CONSUMED' },
        { consumerGroup: 'B', trackType: 'NOT_CONSUME_YET' },
      ]),
    ).toEqual([
      '',
      '',
      'MessageTrack [consumerGroup=A, trackType=CONSUMED, exceptionDesc=null]',
      'MessageTrack [consumerGroup=B, trackType=NOT_CONSUME_YET, exceptionDesc=null]',
    ]);
  });
});

describe('printMsgLine', () => {
  it("prints MSGID, Java's MessageExt.toString() and the body", () => {
    const line = printMsgLine(message(), { storeSize: 180, preparedTransactionOffset: 0 }, 'hi');
    expect(line).toBe(
      'MSGID: 7F00000100002A9F0000000000000001 MessageExt [brokerName=broker-a, queueId=3, storeSize=180, ' +
        `queueOffset=41, sysFlag=0, bornTimestamp=${BORN}, bornHost=/10.0.0.5:50000, storeTimestamp=${STORED}, ` +
        'storeHost=/127.0.0.1:10911, msgId=7F00000100002A9F00000000000000C8, commitLogOffset=200, bodyCRC=12345, ' +
        "reconsumeTimes=0, preparedTransactionOffset=0, toString()=Message{topic='TopicTest', flag=0, " +
        'properties={KEYS=k1 k2, TAGS=TagA, UNIQ_KEY=7F00000100002A9F0000000000000001}, body=[104, 105], ' +
        "transactionId='null'}] BODY: hi",
    );
  });

  it('prints NOT PRINT BODY without a body', () => {
    expect(
      printMsgLine(message(), { storeSize: 1, preparedTransactionOffset: 0 }, undefined),
    ).toMatch(/ BODY: NOT PRINT BODY$/);
  });
});

describe('Java value formats', () => {
  it('prints byte arrays signed and maps as {k=v}', () => {
    expect(javaByteArrayString(Uint8Array.of(0, 127, 128, 255))).toBe('[0, 127, -128, -1]');
    expect(javaMapString(new Map())).toBe('{}');
  });

  it('prints a ConsumeMessageDirectlyResult as Java toString', () => {
    expect(
      formatConsumeMessageDirectlyResult({
        order: false,
        autoCommit: true,
        consumeResult: 'CR_SUCCESS',
        spentTimeMills: 3,
      }),
    ).toBe(
      'ConsumeMessageDirectlyResult [order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=null, spentTimeMills=3]',
    );
  });

  it('decodes bodies with a charset and names the option for an unknown one', () => {
    expect(
      decodeBody(Buffer.from('é', 'latin1'), 'ISO-8859-1', { short: 'c', long: 'charsetName' }),
    ).toBe('é');
    expect(() =>
      decodeBody(Buffer.alloc(0), 'NOPE-1', { short: 'c', long: 'charsetName' }),
    ).toThrow(CommandError);
    expect(() =>
      decodeBody(Buffer.alloc(0), 'NOPE-1', { short: 'c', long: 'charsetName' }),
    ).toThrow(/^option -c\/--charsetName: unknown charset "NOPE-1"/);
  });
});
