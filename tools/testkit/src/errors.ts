/**
 * What went wrong with a server process:
 * - `early-exit`: it exited before writing its ready file;
 * - `ready-timeout`: no ready file within `readyTimeoutMs` (the process was killed);
 * - `bad-ready-file`: the ready file is not valid JSON or breaks the contract (the process was killed);
 * - `crashed`: it exited on its own after becoming ready, before `stop()`;
 * - `unclean-stop`: after SIGTERM it exited with a non-zero code.
 */
export type ServerProcessErrorKind =
  'early-exit' | 'ready-timeout' | 'bad-ready-file' | 'crashed' | 'unclean-stop';

/**
 * A server process started by `startServerProcess` failed. Its temp dir is kept: `logDir` holds `stdout.log` and
 * `stderr.log`, and the message names that path and quotes the end of stderr.
 */
export class ServerProcessError extends Error {
  override name = 'ServerProcessError';
  /** What went wrong; branch on this, not on the message. */
  readonly kind: ServerProcessErrorKind;
  /** The `name` given to `startServerProcess`. */
  readonly serverName: string;
  /** The child's pid; undefined only when it could not be spawned at all. */
  readonly pid: number | undefined;
  /** The kept temp home dir of the process. */
  readonly homeDir: string;
  /** Where the child's stdout.log and stderr.log are (inside `homeDir`). */
  readonly logDir: string;
  /** The child's exit code, when it exited with one. */
  readonly exitCode: number | null;
  /** The signal that ended the child, when one did. */
  readonly signal: NodeJS.Signals | null;
  /** Up to the last 40 lines of the child's stderr. */
  readonly stderrTail: string;

  /** `message` should already name the server, what happened and `logDir`; `cause` is chained. */
  constructor(
    message: string,
    fields: {
      kind: ServerProcessErrorKind;
      serverName: string;
      pid: number | undefined;
      homeDir: string;
      logDir: string;
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      stderrTail: string;
    },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.kind = fields.kind;
    this.serverName = fields.serverName;
    this.pid = fields.pid;
    this.homeDir = fields.homeDir;
    this.logDir = fields.logDir;
    this.exitCode = fields.exitCode;
    this.signal = fields.signal;
    this.stderrTail = fields.stderrTail;
  }
}

/** `startCluster` needs an app (`apps/<app>/dist/main.js`) that is not there: not written yet, or not built. */
export class ServerAppMissingError extends Error {
  override name = 'ServerAppMissingError';

  /**
   * @param app - `namesrv` or `broker`.
   * @param entry - the absolute path that does not exist.
   */
  constructor(
    readonly app: string,
    readonly entry: string,
  ) {
    super(
      `the ${app} app is missing: ${entry} does not exist; apps/${app} arrives with milestone M1-3 ` +
        `(once it exists, build it with \`pnpm build\`)`,
    );
  }
}
