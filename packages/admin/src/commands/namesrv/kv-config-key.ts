import type { OptionSpec, ParsedOptions } from '../../cli/command-spec.js';
import { CommandError, requiredOption } from '../../cli/command-spec.js';

/** `-s namespace -k key` of updateKvConfig and deleteKvConfig. */
export const KV_KEY_OPTIONS: readonly OptionSpec[] = [
  { short: 's', long: 'namespace', description: 'set the namespace', required: true },
  { short: 'k', long: 'key', description: 'set the key name', required: true },
];

/** The namespace and key of {@link KV_KEY_OPTIONS}. @throws CommandError when either is empty. */
export function kvConfigKey(options: ParsedOptions): { namespace: string; key: string } {
  const namespace = requiredOption(options, 'namespace').trim();
  const key = requiredOption(options, 'key').trim();
  if (namespace === '' || key === '') {
    throw new CommandError('options --namespace and --key must not be empty');
  }
  return { namespace, key };
}
