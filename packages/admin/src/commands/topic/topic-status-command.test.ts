import { describe, expect, it } from 'vitest';
import { formatTopicStatus } from './topic-status-command.js';

describe('topicStatus output', () => {
  it('prints the 4.x columns, an empty time for an empty queue and a local time otherwise', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5, 67).getTime();
    const lines = formatTopicStatus([
      {
        mq: { topic: 'T', brokerName: 'broker-0', queueId: 3 },
        minOffset: 0,
        maxOffset: 5,
        lastUpdateTimestamp: 0,
      },
      {
        mq: { topic: 'T', brokerName: 'broker-0', queueId: 4 },
        minOffset: 1,
        maxOffset: 9,
        lastUpdateTimestamp: at,
      },
    ]);
    expect(lines).toEqual([
      '#Broker Name                      #QID  #Min Offset           #Max Offset             #Last Updated',
      'broker-0                          3     0                     5                       ',
      'broker-0                          4     1                     9                       2024-01-02 03:04:05,067',
    ]);
  });
});
