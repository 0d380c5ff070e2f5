import { describe, expect, it } from 'vitest';
import { CommandError } from '../../cli/command-spec.js';
import { checkOrderConf } from './update-order-conf-command.js';

describe('orderConf values', () => {
  it('accepts brokerName:num entries separated by semicolons', () => {
    expect(() => checkOrderConf('broker-a:8;broker-b:4')).not.toThrow();
  });

  it('refuses a malformed entry, naming it', () => {
    expect(() => checkOrderConf('broker-a:8;broker-b')).toThrow(
      new CommandError(
        'option --orderConf must look like brokerName1:num;brokerName2:num, got entry "broker-b"',
      ),
    );
  });
});
