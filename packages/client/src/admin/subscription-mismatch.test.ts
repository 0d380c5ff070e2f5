import { describe, expect, it } from 'vitest';
import { decodeSubscriptionMismatches } from './subscription-mismatch.js';

describe('decodeSubscriptionMismatches', () => {
  it('reads the broker extField as topics with client ids per expression', () => {
    const value =
      '[{"topic":"TopicTest","subscriptions":{"TagA":["10.0.0.5@1"],"TagB":["10.0.0.6@1","10.0.0.7@1"]}}]';
    expect(decodeSubscriptionMismatches(value)).toEqual([
      {
        topic: 'TopicTest',
        clientIdsByExpression: new Map([
          ['TagA', ['10.0.0.5@1']],
          ['TagB', ['10.0.0.6@1', '10.0.0.7@1']],
        ]),
      },
    ]);
  });

  it('reads an absent or empty extField as no mismatch', () => {
    expect(decodeSubscriptionMismatches(undefined)).toEqual([]);
    expect(decodeSubscriptionMismatches('')).toEqual([]);
    expect(decodeSubscriptionMismatches('[]')).toEqual([]);
  });

  it('refuses values of another shape, naming the extField', () => {
    expect(() => decodeSubscriptionMismatches('{')).toThrow(/subscriptionMismatch: not JSON/);
    expect(() => decodeSubscriptionMismatches('{}')).toThrow(/not an array/);
    expect(() => decodeSubscriptionMismatches('[{"topic":1}]')).toThrow(
      /subscriptionMismatch\[0\]/,
    );
    expect(() =>
      decodeSubscriptionMismatches('[{"topic":"t","subscriptions":{"TagA":[1]}}]'),
    ).toThrow(/subscriptions.TagA: expected client ids/);
  });
});
