import { describe, expect, it } from 'vitest';
import { formatAllocation } from './allocate-mq-command.js';

describe('allocateMQ output', () => {
  it('spreads queues averagely in the order the ips are given, as RebalanceResult JSON', () => {
    const queues = [0, 1, 2].map((queueId) => ({ topic: 'T', brokerName: 'b', queueId }));
    expect(formatAllocation(queues, ['10.0.0.2', '10.0.0.1'])).toBe(
      '{"result":{"10.0.0.2":[{"brokerName":"b","queueId":0,"topic":"T"},{"brokerName":"b","queueId":1,"topic":"T"}],' +
        '"10.0.0.1":[{"brokerName":"b","queueId":2,"topic":"T"}]}}',
    );
  });
});
