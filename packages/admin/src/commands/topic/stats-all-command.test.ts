import { describe, expect, it } from 'vitest';
import { compute24HourSum, formatStatsAll } from './stats-all-command.js';

describe('statsAll output', () => {
  // Lines as Java 4.9.8 printf prints them.
  it('prints a consumed topic and a topic without consumers', () => {
    expect(
      formatStatsAll([
        {
          topic: 'T',
          consumerGroup: 'G',
          accumulation: 5,
          inTps: 1.005,
          outTps: 0,
          inMsg24Hour: 10,
          outMsg24Hour: 3,
        },
        {
          topic: 'T',
          consumerGroup: null,
          accumulation: 0,
          inTps: 0,
          outTps: null,
          inMsg24Hour: 0,
          outMsg24Hour: null,
        },
      ]),
    ).toEqual([
      '#Topic                                                            #Consumer Group                                                  #Accumulation      #InTPS     #OutTPS   #InMsg24Hour  #OutMsg24Hour',
      'T                                                                 G                                                                           5        1.01        0.00             10              3',
      'T                                                                                                                                             0        0.00                          0    NO_CONSUMER',
    ]);
  });

  it('cuts names longer than 64 characters', () => {
    const long = 'x'.repeat(70);
    const [, row] = formatStatsAll([
      {
        topic: long,
        consumerGroup: null,
        accumulation: 0,
        inTps: 0,
        outTps: null,
        inMsg24Hour: 0,
        outMsg24Hour: null,
      },
    ]);
    expect(row?.startsWith(`${'x'.repeat(64)}  `)).toBe(true);
  });

  it('takes the day sum, else the hour, else the minute', () => {
    const item = (sum: number) => ({ sum, tps: 0, avgpt: 0 });
    expect(compute24HourSum({ statsMinute: item(1), statsHour: item(2), statsDay: item(3) })).toBe(
      3,
    );
    expect(compute24HourSum({ statsMinute: item(1), statsHour: item(2), statsDay: item(0) })).toBe(
      2,
    );
    expect(compute24HourSum({ statsMinute: item(1), statsHour: item(0), statsDay: item(0) })).toBe(
      1,
    );
    expect(compute24HourSum({ statsMinute: item(0), statsHour: item(0), statsDay: item(0) })).toBe(
      0,
    );
  });
});
