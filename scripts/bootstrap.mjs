#!/usr/bin/env node
// Gets the pinned pnpm (through npx when it is not on PATH) and installs the workspace when the lockfile changed.
// Used by `npm start` and `npm test`, so a fresh machine needs only Node 20 and npm.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PINNED = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager; // "pnpm@x.y.z"
const PINNED_VERSION = PINNED.split('@')[1];

function pnpmOnPath() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  return probe.status === 0 && probe.stdout.trim() === PINNED_VERSION;
}

const usePath = pnpmOnPath();

/** Runs pnpm with the pinned version; exits the process with pnpm's status on failure. */
export function pnpm(args, options = {}) {
  const [cmd, argv] = usePath ? ['pnpm', args] : ['npx', ['--yes', PINNED, ...args]];
  const result = spawnSync(cmd, argv, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...options.env },
  });
  if (result.status !== 0) {
    console.error(`\n✗ pnpm ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Installs dependencies unless node_modules already matches pnpm-lock.yaml. */
export function ensureInstalled() {
  const lock = join(ROOT, 'pnpm-lock.yaml');
  const installed = join(ROOT, 'node_modules', '.pnpm', 'lock.yaml');
  const upToDate =
    existsSync(lock) &&
    existsSync(installed) &&
    readFileSync(lock, 'utf8') === readFileSync(installed, 'utf8');
  if (upToDate) return;
  console.log(`• installing dependencies with ${PINNED}`);
  pnpm(existsSync(lock) ? ['install', '--frozen-lockfile'] : ['install']);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureInstalled();
}
