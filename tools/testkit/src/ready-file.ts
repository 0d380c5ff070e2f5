/**
 * The content of a server's `--ready-file`, written once every listener is bound (STYLE.md §12):
 * `{"pid":…,"listenPort":…,"haListenPort":…}`. Extra keys are allowed and kept.
 */
export interface ReadyInfo {
  /** The server's process id. */
  readonly pid: number;
  /** The bound remoting port (1..65535), the real one even when configured as 0. */
  readonly listenPort: number;
  /** The bound HA port of a broker (0..65535); a name server, which has none, may leave it out. */
  readonly haListenPort?: number;
  /** Anything else the server chose to report. */
  readonly [key: string]: unknown;
}

/** The ready file exists but is not valid JSON or breaks the {@link ReadyInfo} contract. */
export class ReadyFileError extends Error {
  override name = 'ReadyFileError';

  /** `text` is the file's content as read. */
  constructor(
    message: string,
    readonly text: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Parses and validates a ready file's text.
 *
 * @throws {@link ReadyFileError} when it is not a JSON object, `pid` is not a positive integer, `listenPort` is not
 *   an integer 1..65535, or `haListenPort` is present and not an integer 0..65535.
 */
export function parseReadyFile(text: string): ReadyInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReadyFileError(`ready file is not valid JSON: ${JSON.stringify(text)}`, text, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReadyFileError(`ready file is not a JSON object: ${text}`, text);
  }
  const record = value as Record<string, unknown>;
  const check = (key: string, min: number, ok: boolean): void => {
    if (!ok) {
      throw new ReadyFileError(
        `ready file ${key} must be an integer ${min}..${key === 'pid' ? 'max' : 65535}, got ${JSON.stringify(record[key])}`,
        text,
      );
    }
  };
  check('pid', 1, isIntegerIn(record.pid, 1, Number.MAX_SAFE_INTEGER));
  check('listenPort', 1, isIntegerIn(record.listenPort, 1, 65535));
  if (record.haListenPort !== undefined) {
    check('haListenPort', 0, isIntegerIn(record.haListenPort, 0, 65535));
  }
  return record as ReadyInfo;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
