import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcessError } from './errors.js';
import {
  runningServerPids,
  startServerProcess,
  type ServerProcess,
  type StartServerProcessOptions,
} from './server-process.js';
import { removeTempDir } from './temp-dir.js';

const FAKE_SERVER = fileURLToPath(new URL('../test/fixtures/fake-server.mjs', import.meta.url));

type Mode =
  | 'normal'
  | 'exit-early'
  | 'no-ready'
  | 'ignore-sigterm'
  | 'exit-on-connect'
  | 'fail-on-sigterm'
  | 'bad-ready';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function connectOnce(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('startServerProcess', () => {
  const handles: ServerProcess[] = [];
  const keptDirs: string[] = [];

  const start = async (
    mode: Mode,
    options: Partial<StartServerProcessOptions> = {},
  ): Promise<ServerProcess> => {
    const handle = await startServerProcess({
      entry: FAKE_SERVER,
      name: `fake-${mode}`,
      env: { FAKE_SERVER_MODE: mode },
      readyTimeoutMs: 10_000,
      killGraceMs: 200,
      ...options,
    });
    handles.push(handle);
    return handle;
  };

  /** Starts a server expected to fail, and remembers its kept temp dir for cleanup. */
  const startFailing = async (
    mode: Mode,
    options: Partial<StartServerProcessOptions> = {},
  ): Promise<ServerProcessError> => {
    const error = await start(mode, options).then(
      () => new Error(`${mode} server unexpectedly became ready`),
      (e: unknown) => e,
    );
    if (error instanceof ServerProcessError) keptDirs.push(error.homeDir);
    expect(error).toBeInstanceOf(ServerProcessError);
    return error as ServerProcessError;
  };

  afterEach(async () => {
    await Promise.allSettled(handles.splice(0).map((h) => h.stop()));
    await Promise.all(keptDirs.splice(0).map((dir) => removeTempDir(dir)));
    expect(runningServerPids()).toEqual([]);
  });

  it('resolves with the parsed ready file, and the reported port accepts a TCP connection', async () => {
    const server = await start('normal', { args: ['--flag', 'value'] });

    expect(server.ready.pid).toBe(server.pid);
    expect(server.ready.listenPort).toBeGreaterThan(0);
    expect(server.ready.haListenPort).toBeGreaterThan(0);
    expect(server.addr).toBe(`127.0.0.1:${server.ready.listenPort}`);
    expect(server.ready.argv).toEqual(['--flag', 'value', '--ready-file', server.readyFile]);
    expect(runningServerPids()).toContain(server.pid);
    await connectOnce(server.ready.listenPort);
    expect(await readFile(server.stdoutLog, 'utf8')).toContain('fake-server normal listening');
  });

  it('lets an args function write into the temp home dir before the process starts', async () => {
    const server = await start('normal', {
      args: async ({ homeDir }) => {
        await mkdir(join(homeDir, 'conf'));
        await writeFile(join(homeDir, 'conf', 'broker.conf'), 'listenPort=0\n');
        return ['-c', join(homeDir, 'conf', 'broker.conf')];
      },
    });
    expect(server.ready.argv).toEqual([
      '-c',
      join(server.homeDir, 'conf', 'broker.conf'),
      '--ready-file',
      server.readyFile,
    ]);
  });

  it('rejects with the exit code and the last 40 lines of stderr when the server exits before it is ready', async () => {
    const error = await startFailing('exit-early');

    expect(error.kind).toBe('early-exit');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('exited before it was ready (exit code 3)');
    expect(error.message).toContain('fake-server: cannot start, config is broken');
    expect(error.message).toContain(error.logDir);
    const tail = error.stderrTail.split('\n');
    expect(tail).toHaveLength(40);
    expect(tail[0]).toBe('stderr line 22');
    expect(tail.at(-1)).toBe('fake-server: cannot start, config is broken');
    expect(existsSync(join(error.logDir, 'stderr.log'))).toBe(true);
  });

  it('kills a server that writes no ready file before the deadline and leaves no process behind', async () => {
    const error = await startFailing('no-ready', { readyTimeoutMs: 300 });

    expect(error.kind).toBe('ready-timeout');
    expect(error.message).toContain('wrote no ready file within 300 ms');
    expect(error.message).toContain(error.logDir);
    expect(error.pid).toBeTypeOf('number');
    expect(isAlive(error.pid ?? 0)).toBe(false);
    expect(existsSync(error.logDir)).toBe(true);
  });

  it('kills a server whose ready file breaks the contract', async () => {
    const error = await startFailing('bad-ready');

    expect(error.kind).toBe('bad-ready-file');
    expect(error.message).toContain('listenPort must be an integer 1..65535, got "not-a-port"');
    expect(isAlive(error.pid ?? 0)).toBe(false);
  });

  it('refuses an entry that does not exist, starting nothing', async () => {
    await expect(
      startServerProcess({ entry: join(FAKE_SERVER, '..', 'missing.mjs'), name: 'missing' }),
    ).rejects.toThrow(/missing\.mjs does not exist/);
  });

  it('stop() is idempotent, waits for the exit and removes the temp dir', async () => {
    const server = await start('normal');

    const first = server.stop();
    expect(server.stop()).toBe(first);
    await first;
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.homeDir)).toBe(false);
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('stop() escalates to SIGKILL when the server ignores SIGTERM', async () => {
    const server = await start('ignore-sigterm', { killGraceMs: 100 });

    await server.stop();
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.homeDir)).toBe(false);
  });

  it('stop() keeps the temp dir and its logs when keepLogs is set', async () => {
    const server = await start('normal', { keepLogs: true });
    keptDirs.push(server.homeDir);

    await server.stop();
    expect(await readFile(server.stdoutLog, 'utf8')).toContain('fake-server normal listening');
  });

  it('stop() rejects with the stderr tail and keeps the logs when the server crashed before it', async () => {
    const server = await start('exit-on-connect');
    await connectOnce(server.ready.listenPort);
    expect(await server.exited).toEqual({ code: 7, signal: null });

    const error = await server.stop().catch((e: unknown) => e);
    keptDirs.push(server.homeDir);
    expect(error).toBeInstanceOf(ServerProcessError);
    expect((error as ServerProcessError).kind).toBe('crashed');
    expect((error as ServerProcessError).stderrTail).toBe(
      'fake-server: crashed on first connection',
    );
    expect((error as Error).message).toContain(server.logDir);
    await expect(server.stop()).rejects.toBe(error);
    expect(existsSync(server.stderrLog)).toBe(true);
  });

  it('stop() reports a non-zero exit after SIGTERM as an unclean stop', async () => {
    const server = await start('fail-on-sigterm');

    const error = await server.stop().catch((e: unknown) => e);
    keptDirs.push(server.homeDir);
    expect((error as ServerProcessError).kind).toBe('unclean-stop');
    expect((error as ServerProcessError).exitCode).toBe(2);
    expect((error as Error).message).toContain('exited with code 2 after SIGTERM');
  });

  it('gives the child its temp dir as cwd, ROCKETMQ_HOME and HOME, and drops variables set to undefined', async () => {
    process.env.TESTKIT_PROBE = 'inherited';
    try {
      const server = await start('normal', {
        env: { FAKE_SERVER_MODE: 'normal', TESTKIT_PROBE: undefined, ROCKETMQ_HOME: '/elsewhere' },
        nodeArgs: ['--max-old-space-size=128'],
      });
      expect(server.ready.env).toEqual({
        ROCKETMQ_HOME: server.homeDir,
        HOME: server.homeDir,
        TESTKIT_PROBE: null,
      });
      expect(server.ready.cwd).toBe(server.homeDir);
      expect(server.ready.execArgv).toEqual(['--max-old-space-size=128']);
    } finally {
      delete process.env.TESTKIT_PROBE;
    }
  });
});
