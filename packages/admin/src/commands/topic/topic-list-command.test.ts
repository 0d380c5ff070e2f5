import { describe, expect, it } from 'vitest';
import { formatTopicClusterRows } from './topic-list-command.js';

describe('topicList -c output', () => {
  it('prints the header with 48-wide and rows with 64-wide topic and group columns, as Java', () => {
    expect(formatTopicClusterRows([{ cluster: 'DefaultCluster', topic: 'T', group: '' }])).toEqual([
      '#Cluster Name         #Topic                                            #Consumer Group                                 ',
      `DefaultCluster        T${' '.repeat(63)}  ${' '.repeat(64)}`,
    ]);
  });
});
