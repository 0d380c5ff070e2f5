import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, NOOP_LOGGER } from '@rocketmq-ts/protocol';
import type { Logger } from '@rocketmq-ts/protocol';

/** KV namespace holding `topic → brokerName:queueNum;…` for ordered topics (Java `NamesrvUtil`). */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

/** Options of {@link KVConfigManager}. */
export interface KVConfigManagerOptions {
  /** File the table is persisted to: `{"configTable":{"<namespace>":{"<key>":"<value>"}}}`. */
  kvConfigPath: string;
  /** Default: no-op. */
  logger?: Logger;
}

/**
 * The NameServer's namespaced key/value store (Java `KVConfigManager`): namespace → key → value, kept in memory and
 * written to `kvConfigPath` after every change (temp file, then rename).
 */
export class KVConfigManager {
  private readonly path: string;
  private readonly logger: Logger;
  private readonly table = new Map<string, Map<string, string>>();
  /** Persists run one after another so an older snapshot never overwrites a newer one. */
  private writing: Promise<void> = Promise.resolve();

  constructor(options: KVConfigManagerOptions) {
    this.path = options.kvConfigPath;
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Replaces the in-memory table with the file's content; a missing file means an empty table.
   * @throws ConfigError (key `kvConfigPath`) when the file is not a valid KV config; the file is left untouched.
   */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.table.clear();
        return;
      }
      throw error;
    }
    const parsed = parseKVConfigFile(text, this.path);
    this.table.clear();
    for (const [namespace, entries] of parsed) this.table.set(namespace, entries);
    this.logger.info('kv config loaded', { path: this.path, namespaces: this.table.size });
  }

  /** Sets `namespace`/`key` to `value` and persists. Rejects when the file cannot be written. */
  async putKVConfig(namespace: string, key: string, value: string): Promise<void> {
    let entries = this.table.get(namespace);
    if (entries === undefined) {
      entries = new Map();
      this.table.set(namespace, entries);
    }
    entries.set(key, value);
    await this.persist();
  }

  /** Removes `namespace`/`key` (no-op when absent) and persists. Rejects when the file cannot be written. */
  async deleteKVConfig(namespace: string, key: string): Promise<void> {
    const entries = this.table.get(namespace);
    if (entries?.delete(key) !== true) return;
    if (entries.size === 0) this.table.delete(namespace);
    await this.persist();
  }

  /** The value of `namespace`/`key`, or undefined. */
  getKVConfig(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key);
  }

  /** A copy of one namespace's entries, or undefined when it has none. */
  getKVListByNamespace(namespace: string): Map<string, string> | undefined {
    const entries = this.table.get(namespace);
    return entries === undefined || entries.size === 0 ? undefined : new Map(entries);
  }

  /** Writes the whole table to `kvConfigPath` (temp file, then rename). Rejects on an I/O failure. */
  persist(): Promise<void> {
    const snapshot = this.serialize();
    const next = this.writing.then(() => this.write(snapshot));
    // The chain must survive a failed write; the caller still sees the rejection through `next`.
    this.writing = next.catch(() => undefined);
    return next;
  }

  private serialize(): string {
    const configTable: Record<string, Record<string, string>> = {};
    for (const [namespace, entries] of this.table) {
      configTable[namespace] = Object.fromEntries(entries);
    }
    return `${JSON.stringify({ configTable }, null, 2)}\n`;
  }

  private async write(text: string): Promise<void> {
    const tmp = `${this.path}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, this.path);
    } catch (error) {
      this.logger.error('kv config persist failed', {
        path: this.path,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}

function parseKVConfigFile(text: string, path: string): Map<string, Map<string, string>> {
  const fail = (reason: string): ConfigError => new ConfigError('kvConfigPath', path, reason);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) throw fail('expected an object with a configTable property');
  const configTable = json['configTable'];
  const out = new Map<string, Map<string, string>>();
  if (configTable === undefined || configTable === null) return out;
  if (!isRecord(configTable)) throw fail('configTable is not an object');
  for (const [namespace, entries] of Object.entries(configTable)) {
    if (!isRecord(entries)) throw fail(`configTable.${namespace} is not an object`);
    const map = new Map<string, string>();
    for (const [key, value] of Object.entries(entries)) {
      if (typeof value !== 'string') throw fail(`configTable.${namespace}.${key} is not a string`);
      map.set(key, value);
    }
    if (map.size > 0) out.set(namespace, map);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
