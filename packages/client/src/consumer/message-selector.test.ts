import { describe, expect, it } from 'vitest';
import { MQClientError } from '../errors.js';
import { MessageSelector } from './message-selector.js';
import { buildSubscriptionFromSelector } from './subscription.js';

describe('MessageSelector', () => {
  it('bySql and byTag build typed selectors', () => {
    expect(MessageSelector.bySql('a > 1')).toEqual({ type: 'SQL92', expression: 'a > 1' });
    expect(MessageSelector.byTag('TagA || TagB')).toEqual({
      type: 'TAG',
      expression: 'TagA || TagB',
    });
    expect(MessageSelector.byTag()).toEqual({ type: 'TAG', expression: '*' });
  });

  it('bySql refuses a blank expression', () => {
    expect(() => MessageSelector.bySql('  ')).toThrow(MQClientError);
  });
});

describe('buildSubscriptionFromSelector', () => {
  it('an SQL92 selector keeps the expression as is with expressionType SQL92', () => {
    const sub = buildSubscriptionFromSelector('T', MessageSelector.bySql("TAGS IN ('A')"), 7);
    expect(sub).toEqual({
      topic: 'T',
      subString: "TAGS IN ('A')",
      tagsSet: [],
      codeSet: [],
      subVersion: 7,
      expressionType: 'SQL92',
      classFilterMode: false,
    });
  });

  it('a string or a tag selector gives the tag subscription of today', () => {
    const fromString = buildSubscriptionFromSelector('T', 'TagA || TagB', 1);
    const fromSelector = buildSubscriptionFromSelector(
      'T',
      MessageSelector.byTag('TagA || TagB'),
      1,
    );
    expect(fromSelector).toEqual(fromString);
    expect(fromString.expressionType).toBe('TAG');
    expect(fromString.tagsSet).toEqual(['TagA', 'TagB']);
    expect(buildSubscriptionFromSelector('T', undefined, 1).subString).toBe('*');
  });

  it('refuses a blank SQL92 expression and an unknown type', () => {
    expect(() => buildSubscriptionFromSelector('T', { type: 'SQL92', expression: '' })).toThrow(
      /has no expression/,
    );
    expect(() =>
      buildSubscriptionFromSelector('T', { type: 'XPATH' as never, expression: 'x' }),
    ).toThrow(/unknown message selector type/);
  });
});
