import { padRight } from './text-columns.js';

/**
 * `key = value` lines as getBrokerConfig and getNamesrvConfig print them (Java `%-50s=  %s`): the key left-aligned
 * in 50 characters, `=`, two spaces, the value.
 */
export function formatConfigLines(config: ReadonlyMap<string, string>): string[] {
  return [...config].map(([key, value]) => `${padRight(key, 50)}=  ${value}`);
}

/** A config map as a JSON object, in the same order. */
export function configToJson(config: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(config);
}
