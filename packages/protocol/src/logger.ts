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
