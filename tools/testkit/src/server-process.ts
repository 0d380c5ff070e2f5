import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ServerProcessError, type ServerProcessErrorKind } from './errors.js';
import { readLogTail } from './log-tail.js';
import { parseReadyFile, ReadyFileError, type ReadyInfo } from './ready-file.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

/** Default `readyTimeoutMs` of {@link startServerProcess}: 30 s. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** Default `killGraceMs` of {@link startServerProcess}: 5 s between SIGTERM and SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 5_000;

/** The per-process directories, known before the process is spawned. */
export interface ServerDirs {
  /** The process's own temp dir (`<tmpdir>/rmq-<name>-XXXXXX`); also its cwd, `ROCKETMQ_HOME` and `HOME`. */
  readonly homeDir: string;
  /** `<homeDir>/logs`, holding `stdout.log` and `stderr.log` (appended to by the child). */
  readonly logDir: string;
  /** `<homeDir>/ready.json`, passed to the child as `--ready-file <path>`. */
  readonly readyFile: string;
}

/** Options of {@link startServerProcess}. */
export interface StartServerProcessOptions {
  /** Path of the server's `.js` entry, run as `process.execPath <entry>`; relative paths resolve against the cwd. */
  readonly entry: string;
  /** Short label for errors and the temp dir name, such as `namesrv-0` or `broker-1`. */
  readonly name: string;
  /**
   * Arguments after the entry (`--ready-file <path>` is appended). A function receives the temp dirs first, so that
   * it can write a config file there and point at it; it may be async. Default none.
   */
  readonly args?:
    readonly string[] | ((dirs: ServerDirs) => readonly string[] | Promise<readonly string[]>);
  /**
   * Environment on top of this process's; an `undefined` value removes a variable. `ROCKETMQ_HOME` is always the
   * temp home dir; `HOME` is too unless set here, so that defaults like `~/store` stay inside the temp dir.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Node options placed before the entry, such as `--enable-source-maps`. Default none. */
  readonly nodeArgs?: readonly string[];
  /** Deadline for the ready file, in milliseconds. Default {@link DEFAULT_READY_TIMEOUT_MS}. */
  readonly readyTimeoutMs?: number;
  /** Wait between SIGTERM and SIGKILL, in milliseconds. Default {@link DEFAULT_KILL_GRACE_MS}. */
  readonly killGraceMs?: number;
  /** Keep the temp dir (logs, store) after a clean `stop()`. Default false: it is removed. */
  readonly keepLogs?: boolean;
}

/** How a server process ended: an exit code, or the signal that killed it. */
export interface ServerExit {
  /** Exit code, or null when a signal ended the process. */
  readonly code: number | null;
  /** The terminating signal, or null when the process exited with a code. */
  readonly signal: NodeJS.Signals | null;
}

/** A running server started by {@link startServerProcess}. */
export interface ServerProcess extends ServerDirs {
  /** The `name` it was started with. */
  readonly name: string;
  /** The child's process id. */
  readonly pid: number;
  /** The parsed, validated ready file. */
  readonly ready: ReadyInfo;
  /** `127.0.0.1:<ready.listenPort>`, the address clients use. */
  readonly addr: string;
  /** Path of the child's stdout log. */
  readonly stdoutLog: string;
  /** Path of the child's stderr log. */
  readonly stderrLog: string;
  /** Resolves (never rejects) when the child has exited, for whatever reason. */
  readonly exited: Promise<ServerExit>;
  /**
   * Stops the server; idempotent (every call returns the same promise). Sends SIGTERM, SIGKILL after `killGraceMs`,
   * waits for the exit, then removes the temp dir unless `keepLogs`.
   *
   * @throws {@link ServerProcessError} (kind `crashed` or `unclean-stop`) when the process had exited on its own or
   *   exited non-zero after SIGTERM; the temp dir is then kept and its path is in the message.
   */
  stop(): Promise<void>;
}

// Every child still running, so that a test run that dies without stop() leaves no orphans.
const running = new Map<number, ChildProcess>();
let exitHookInstalled = false;

/** Pids of the server processes started by this process that have not exited yet. */
export function runningServerPids(): number[] {
  return [...running.keys()];
}

function track(child: ChildProcess, pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Only synchronous work is possible in 'exit': a SIGKILL, no waiting and no cleanup of temp dirs.
    process.on('exit', () => {
      for (const survivor of running.values()) survivor.kill('SIGKILL');
    });
  }
  running.set(pid, child);
  child.once('exit', () => running.delete(pid));
}

/**
 * Spawns `process.execPath [...nodeArgs] <entry> ...args --ready-file <homeDir>/ready.json` in a fresh temp home dir
 * (stdout and stderr appended to `<homeDir>/logs/std{out,err}.log`) and resolves once the ready file appears, racing
 * the child's exit.
 *
 * The child must write the ready file atomically (temp file, then rename) once every listener is bound; see
 * {@link ReadyInfo}. Every child is also killed with SIGKILL when this process exits.
 *
 * @throws Error when `entry` does not exist (nothing is started).
 * @throws {@link ServerProcessError} kind `early-exit` (exit code and stderr tail in the message), `ready-timeout`
 *   or `bad-ready-file` (the child is killed first). The child has exited by the time it rejects, and its temp dir is
 *   kept for the logs: remove it with `removeTempDir(error.homeDir)` once looked at.
 */
export async function startServerProcess(
  options: StartServerProcessOptions,
): Promise<ServerProcess> {
  const entry = resolve(options.entry);
  if (!existsSync(entry)) throw new Error(`cannot start ${options.name}: ${entry} does not exist`);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const { name } = options;

  const homeDir = await makeTempDir(name);
  const logDir = join(homeDir, 'logs');
  const dirs: ServerDirs = { homeDir, logDir, readyFile: join(homeDir, 'ready.json') };
  const stdoutLog = join(logDir, 'stdout.log');
  const stderrLog = join(logDir, 'stderr.log');
  let child: ChildProcess;
  try {
    await mkdir(logDir);
    const args = typeof options.args === 'function' ? await options.args(dirs) : options.args;
    child = spawnChild({
      argv: [...(options.nodeArgs ?? []), entry, ...(args ?? []), '--ready-file', dirs.readyFile],
      env: childEnv(options.env, homeDir),
      files: { cwd: homeDir, stdoutLog, stderrLog },
    });
  } catch (error) {
    await removeTempDir(homeDir);
    throw error;
  }

  let exit: ServerExit | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<ServerExit>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit((exit = { code, signal })));
    // 'error' also reports a failed kill(); only a failed spawn (no pid) means there will be no 'exit'.
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      spawnError = error;
      resolveExit((exit = { code: null, signal: null }));
    });
  });
  if (child.pid !== undefined) track(child, child.pid);

  const failure = async (
    kind: ServerProcessErrorKind,
    what: string,
    cause?: unknown,
  ): Promise<ServerProcessError> => {
    const stderrTail = await readLogTail(stderrLog, { maxLines: 40 });
    const tail =
      stderrTail === '' ? ' (stderr is empty)' : `\n--- end of stderr ---\n${stderrTail}`;
    return new ServerProcessError(
      `${name} (pid ${child.pid ?? 'none'}) ${what}; logs kept in ${logDir}${tail}`,
      {
        kind,
        serverName: name,
        pid: child.pid,
        homeDir,
        logDir,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stderrTail,
      },
      cause === undefined ? undefined : { cause },
    );
  };
  const kill = (): Promise<ServerExit> =>
    terminate({ child, exited, killGraceMs, hasExited: () => exit !== undefined });

  const stopWaiting = new AbortController();
  const outcome = await Promise.race([
    waitFor(() => readIfExists(dirs.readyFile), {
      description: `${name} to write its ready file ${dirs.readyFile}`,
      timeoutMs: readyTimeoutMs,
      intervalMs: 20,
      signal: stopWaiting.signal,
    }).then(
      (text) => ({ text }),
      (error: unknown) => ({ error }),
    ),
    exited.then((result) => ({ exit: result })),
  ]);
  stopWaiting.abort();

  if ('exit' in outcome) {
    throw await failure(
      'early-exit',
      `exited before it was ready (${describeExit(outcome.exit)})`,
      spawnError,
    );
  }
  if ('error' in outcome) {
    await kill();
    throw await failure(
      'ready-timeout',
      `wrote no ready file within ${readyTimeoutMs} ms and was killed`,
      outcome.error,
    );
  }
  let ready: ReadyInfo;
  try {
    ready = parseReadyFile(outcome.text);
    if (ready.pid !== child.pid) {
      throw new ReadyFileError(
        `ready file pid ${ready.pid} is not the child's pid ${child.pid}`,
        outcome.text,
      );
    }
  } catch (error) {
    await kill();
    const reason = error instanceof Error ? error.message : String(error);
    throw await failure('bad-ready-file', `broke the ready-file contract (${reason})`, error);
  }

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    const exitedOnItsOwn = exit !== undefined;
    const result = await kill();
    if (exitedOnItsOwn) {
      throw await failure('crashed', `exited on its own (${describeExit(result)}) before stop()`);
    }
    if (result.code !== null && result.code !== 0) {
      throw await failure('unclean-stop', `exited with code ${result.code} after SIGTERM`);
    }
    if (options.keepLogs !== true) await removeTempDir(homeDir);
  };

  return {
    ...dirs,
    name,
    pid: ready.pid,
    ready,
    addr: `127.0.0.1:${ready.listenPort}`,
    stdoutLog,
    stderrLog,
    exited,
    stop: () => (stopping ??= stop()),
  };
}

function childEnv(
  overrides: Readonly<Record<string, string | undefined>> | undefined,
  homeDir: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: homeDir };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env.ROCKETMQ_HOME = homeDir;
  return env;
}

function spawnChild(options: {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  files: { cwd: string; stdoutLog: string; stderrLog: string };
}): ChildProcess {
  // The child writes straight into the log files: nothing to drain here, and no SIGPIPE if this process dies first.
  const out = openSync(options.files.stdoutLog, 'a');
  try {
    const err = openSync(options.files.stderrLog, 'a');
    try {
      return spawn(process.execPath, options.argv, {
        cwd: options.files.cwd,
        env: options.env,
        stdio: ['ignore', out, err],
      });
    } finally {
      closeSync(err);
    }
  } finally {
    closeSync(out);
  }
}

/** SIGTERM, then SIGKILL once `killGraceMs` has passed; resolves with the exit. */
async function terminate(options: {
  child: ChildProcess;
  exited: Promise<ServerExit>;
  killGraceMs: number;
  hasExited: () => boolean;
}): Promise<ServerExit> {
  const { child, exited } = options;
  if (options.hasExited()) return exited;
  child.kill('SIGTERM');
  const grace = new AbortController();
  const first = await Promise.race([
    exited,
    delay(options.killGraceMs, 'grace-over' as const, { signal: grace.signal }).catch(
      () => undefined,
    ),
  ]);
  grace.abort();
  if (first === 'grace-over') child.kill('SIGKILL');
  return exited;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function describeExit(exit: ServerExit): string {
  if (exit.signal !== null) return `signal ${exit.signal}`;
  return exit.code === null ? 'could not be spawned' : `exit code ${exit.code}`;
}
