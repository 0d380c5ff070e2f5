import { formatRow } from './text-columns.js';

/**
 * `key = value` lines as getBrokerConfig and getNamesrvConfig print them (Java `%-50s=  %s`): the key left-aligned
 * in 50 characters, `=`, two spaces, the value.
 */
export function formatConfigLines(config: ReadonlyMap<string, string>): string[] {
  return [...config].map((entry) => formatRow('%-50s=  %s', entry));
}
