import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeResetOffsetBody, encodeResetOffsetBody } from '@rocketmq-ts/protocol';
import type { Logger, MessageQueue } from '@rocketmq-ts/protocol';
import { MQClientError } from '../errors.js';
import { messageQueueKey } from '../route/topic-route-info.js';
import { OffsetTableStore } from './offset-store.js';

/** Options of {@link LocalFileOffsetStore}. */
export interface LocalFileOffsetStoreOptions {
  /** Root folder; the file is `<offsetStoreDir>/<clientId>/<group>/offsets.json`. */
  offsetStoreDir: string;
  clientId: string;
  group: string;
  logger: Logger;
}

/**
 * Broadcasting offsets, kept in a local file per client and group (Java `LocalFileOffsetStore`):
 * `<offsetStoreDir>/<clientId>/<group>/offsets.json` holding Java's `OffsetSerializeWrapper` JSON,
 * `{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:42,…}}` — the same shape as a ResetOffsetBody, whose
 * codec is used. Writes go to a temp file renamed over the old one, so a crash leaves either version whole; writes
 * are serialized.
 */
export class LocalFileOffsetStore extends OffsetTableStore {
  /** The offsets file. */
  readonly path: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalFileOffsetStoreOptions) {
    super();
    this.path = join(options.offsetStoreDir, options.clientId, options.group, 'offsets.json');
  }

  /**
   * Loads the file into memory (a missing file is an empty table).
   * @throws MQClientError naming the file when it cannot be read or parsed.
   */
  async load(): Promise<void> {
    for (const { mq, offset } of await this.readFileOffsets()) this.updateOffset(mq, offset, false);
  }

  /** The queue's offset in the file, read again. */
  protected async readStoredOffset(mq: MessageQueue): Promise<number | undefined> {
    const key = messageQueueKey(mq);
    return (await this.readFileOffsets()).find((e) => messageQueueKey(e.mq) === key)?.offset;
  }

  /** Rewrites the file with the in-memory offsets of `mqs` (Java writes nothing for an empty set). */
  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    if (mqs.length === 0) return;
    const wanted = new Set(mqs.map(messageQueueKey));
    const entries = this.entries()
      .filter((e) => wanted.has(messageQueueKey(e.mq)))
      .map((e): [MessageQueue, number] => [e.mq, e.offset]);
    await this.write(entries);
  }

  /**
   * Writes the file with every in-memory offset (Java's `persist(mq)` does nothing; here a queue's new position,
   * e.g. after OFFSET_ILLEGAL or a reset, reaches the file before the queue is read again).
   */
  async persist(mq: MessageQueue): Promise<void> {
    if (this.memoryOffset(mq) === undefined) return;
    await this.persistAll(this.entries().map((e) => e.mq));
  }

  private write(entries: [MessageQueue, number][]): Promise<void> {
    const run = async (): Promise<void> => {
      const tmp = `${this.path}.tmp`;
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(tmp, encodeResetOffsetBody({ offsetTable: entries }));
      await rename(tmp, this.path);
    };
    const next = this.writing.then(run, run);
    this.writing = next.catch((error: unknown) => {
      this.options.logger.warn('local offset file write failed', {
        path: this.path,
        error: String(error),
      });
    });
    return next;
  }

  private async readFileOffsets(): Promise<{ mq: MessageQueue; offset: number }[]> {
    let text: Buffer;
    try {
      text = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new MQClientError(
        `cannot read the offset file ${this.path}: ${String(error)}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    if (text.length === 0) return [];
    try {
      return decodeResetOffsetBody(text).offsetTable.map(([mq, offset]) => ({ mq, offset }));
    } catch (error) {
      throw new MQClientError(
        `the offset file ${this.path} is not valid offsets JSON (fix or remove it): ${String(error)}`,
        undefined,
        { cause: error },
      );
    }
  }
}
