/**
 * Starts the built NameServer and broker apps (`apps/<app>/dist/main.js`) as real processes for a benchmark, each in
 * its own temp home dir (config, store, logs), loopback only, through the `--ready-file` contract of STYLE.md §12.
 * tools/testkit does the same for tests; check:deps keeps testkit for tests only, hence this small copy.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root: tools/bench/dist/app-process.js is three levels down. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Time a server gets to write its ready file, in ms. */
const READY_TIMEOUT_MS = 30_000;
/** Time between SIGTERM and SIGKILL, in ms. */
const KILL_GRACE_MS = 5_000;

/** A started app. */
export interface AppProcess {
  /** `namesrv` or `broker-…`, for messages. */
  readonly name: string;
  readonly pid: number;
  /** `127.0.0.1:<listenPort>` from the ready file. */
  readonly addr: string;
  /** The temp home dir (cwd, HOME, ROCKETMQ_HOME); removed by `stop()`. */
  readonly homeDir: string;
  /** Whether the process has exited (on its own or after `stop()`). */
  hasExited(): boolean;
  /** The last 4000 characters of its stderr (empty once stopped). */
  stderrTail(): string;
  /** SIGTERM, SIGKILL after 5 s, then removes the home dir. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startApp}. */
export interface StartAppOptions {
  readonly app: 'namesrv' | 'broker';
  readonly name: string;
  /** Written to `<home>/<app>.conf` as `key=value` lines and passed with `-c`. */
  readonly config: Readonly<Record<string, string | number | boolean>>;
  /** Arguments before `-c` (such as `-n <addr>`). */
  readonly args?: readonly string[];
}

// Every app still running, so that Ctrl-C or a crash of the bench leaves no orphans or temp dirs.
const running = new Set<{ child: ChildProcess; homeDir: string }>();

/** Synchronous last resort (for 'exit' and signal handlers): SIGKILL every app still running, remove their dirs. */
export function killAllAppsNow(): void {
  for (const entry of running) {
    entry.child.kill('SIGKILL');
    rmSync(entry.homeDir, { recursive: true, force: true });
  }
  running.clear();
}

/** A name server app on an ephemeral 127.0.0.1 port (see {@link startApp}). */
export function startNamesrvApp(): Promise<AppProcess> {
  return startApp({
    app: 'namesrv',
    name: 'namesrv',
    config: { listenPort: 0, bindAddress: '127.0.0.1' },
  });
}

/**
 * On Ctrl-C, `kill` (SIGTERM, what `timeout` and CI runners send) or a closed terminal, stops every app this process
 * started and exits with 128 + the signal's number, as a shell reports it.
 */
export function stopAppsOnSignals(): void {
  const exitCodes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
  for (const [signal, code] of Object.entries(exitCodes)) {
    process.once(signal, () => {
      killAllAppsNow();
      process.exit(code);
    });
  }
}

/**
 * Runs a bench's `main` with the last resort for Ctrl-C and crashes armed (no broker or name server outlives the
 * bench, no temp store stays behind), prints a failure, and exits: clients such as ali-ons keep timers that sleep up
 * to 30 s after they were closed.
 */
export async function runBenchMain(main: () => Promise<void>): Promise<never> {
  process.on('exit', killAllAppsNow);
  stopAppsOnSignals();
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
  process.exit();
}

/**
 * Spawns `node apps/<app>/dist/main.js <args> -c <conf> --ready-file <home>/ready.json` in a fresh temp home dir and
 * resolves once the ready file appears. `storePathRootDir` may name `{home}`, replaced by the home dir.
 *
 * @throws Error when the entry is missing (build first), or the app exits or writes no ready file within 30 s (the
 *   message carries its stderr tail; the process is killed and the dir removed).
 */
export async function startApp(options: StartAppOptions): Promise<AppProcess> {
  const entry = join(REPO_ROOT, 'apps', options.app, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first`);
  const homeDir = await mkdtemp(join(tmpdir(), `rmq-bench-${options.name}-`));
  const conf = join(homeDir, `${options.app}.conf`);
  const readyFile = join(homeDir, 'ready.json');
  const lines = Object.entries(options.config).map(
    ([key, value]) => `${key}=${String(value).replace('{home}', homeDir)}`,
  );
  await writeFile(conf, `${lines.join('\n')}\n`);
  await mkdir(join(homeDir, 'logs'));
  const out = openSync(join(homeDir, 'logs', 'stdout.log'), 'a');
  const err = openSync(join(homeDir, 'logs', 'stderr.log'), 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      process.execPath,
      [entry, ...(options.args ?? []), '-c', conf, '--ready-file', readyFile],
      {
        cwd: homeDir,
        env: { ...process.env, HOME: homeDir, ROCKETMQ_HOME: homeDir },
        stdio: ['ignore', out, err],
      },
    );
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const entryRecord = { child, homeDir };
  running.add(entryRecord);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    // Only a failed spawn (no pid) means no 'exit' will follow.
    child.on('error', () => {
      if (child.pid !== undefined) return;
      exited = true;
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const grace = new AbortController();
        const first = await Promise.race([
          exit.then(() => 'exited' as const),
          delay(KILL_GRACE_MS, 'grace-over' as const, { signal: grace.signal }).catch(
            () => 'exited' as const,
          ),
        ]);
        grace.abort();
        if (first === 'grace-over') child.kill('SIGKILL');
        await exit;
      }
      running.delete(entryRecord);
      await rm(homeDir, { recursive: true, force: true });
    })());

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready: { pid: number; listenPort: number } | undefined;
  try {
    while (ready === undefined && !exited && Date.now() < deadline) {
      ready = await readReadyFile(readyFile);
      if (ready === undefined) await delay(25);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const stderrTail = (): string => {
    try {
      return readFileSync(join(homeDir, 'logs', 'stderr.log'), 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  if (ready === undefined) {
    const tail = stderrTail();
    const what = exited
      ? 'exited before it was ready'
      : `wrote no ready file in ${READY_TIMEOUT_MS} ms`;
    await stop();
    throw new Error(`${options.name} ${what}; stderr:\n${tail}`);
  }
  return {
    name: options.name,
    pid: child.pid!,
    addr: `127.0.0.1:${ready.listenPort}`,
    homeDir,
    hasExited: () => exited,
    stderrTail,
    stop,
  };
}

async function readReadyFile(
  path: string,
): Promise<{ pid: number; listenPort: number } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as { pid: number; listenPort: number };
  if (!Number.isInteger(parsed.listenPort) || parsed.listenPort <= 0) {
    throw new Error(`bad ready file ${path}: ${text}`);
  }
  return parsed;
}
