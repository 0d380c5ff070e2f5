/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logging interface every component takes in its options (STYLE.md §11). Components default to
 * {@link NOOP_LOGGER}; only apps pick an implementation and a level.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** A logger that drops everything. */
export const NOOP_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => NOOP_LOGGER,
};

/** One line recorded by {@link createMemoryLogger}. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

/**
 * A logger that appends every line (child fields merged in) to `lines`: for embedders that surface logs their own
 * way, and for tests that assert what was logged.
 */
export function createMemoryLogger(lines: LogLine[], base: LogFields = {}): Logger {
  const at =
    (level: LogLine['level']) =>
    (message: string, fields?: LogFields): void => {
      const merged = Object.keys(base).length > 0 ? { ...base, ...fields } : fields;
      lines.push(merged === undefined ? { level, message } : { level, message, fields: merged });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => createMemoryLogger(lines, { ...base, ...fields }),
  };
}

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A JSON-lines logger for apps: each line is `{"time":…,"level":…,"msg":…,...fields}` handed to `write` (the app
 * passes `process.stdout.write`, keeping this package free of I/O). Lines below `level` are dropped. Fields that
 * cannot be serialized (cycles, BigInt) are written with their string form.
 */
export function createJsonLinesLogger(options: {
  write: (line: string) => void;
  level?: LogLevel;
  fields?: LogFields;
  now?: () => number;
}): Logger {
  const min = LEVEL_RANK[options.level ?? 'info'];
  const base = options.fields ?? {};
  const now = options.now ?? Date.now;
  const at =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LEVEL_RANK[level] < min) return;
      const line = { time: new Date(now()).toISOString(), level, msg: message, ...base, ...fields };
      let text: string;
      try {
        text = JSON.stringify(line);
      } catch {
        text = JSON.stringify({ ...line, ...stringified(fields) });
      }
      options.write(`${text}\n`);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => createJsonLinesLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function stringified(fields: LogFields | undefined): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields ?? {})) out[key] = String(value);
  return out;
}
