#!/usr/bin/env node
// Fails when a workspace package declares or imports an internal package outside STYLE.md §2's table,
// imports one without declaring it, deep-imports, or opens sockets where it must not.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './bootstrap.mjs';

/** STYLE.md §2: package → internal packages it may import. `*` = any package (apps, tools, tests). */
const ALLOWED = {
  protocol: [],
  remoting: ['protocol'],
  store: ['protocol'],
  ha: ['store', 'protocol'],
  namesrv: ['protocol', 'remoting'],
  client: ['protocol', 'remoting'],
  admin: ['client', 'protocol', 'remoting'],
  proxy: ['client', 'protocol', 'remoting'],
  broker: ['protocol', 'remoting', 'store', 'ha'],
};
const NO_SOCKETS = new Set(['protocol', 'store']);
const PACKAGES = new Set(Object.keys(ALLOWED));

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') continue;
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) yield path;
  }
}

/** Package names of apps/* and tests/*: nothing may depend on them. */
const APP_AND_TEST_NAMES = new Set(
  ['apps', 'tests'].flatMap((group) => {
    const dir = join(ROOT, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => join(dir, name, 'package.json'))
      .filter((path) => existsSync(path))
      .map((path) => JSON.parse(readFileSync(path, 'utf8')).name);
  }),
);

const problems = [];
for (const group of ['packages', 'apps', 'tools', 'tests']) {
  const groupDir = join(ROOT, group);
  if (!existsSync(groupDir)) continue;
  for (const dirName of readdirSync(groupDir)) {
    const dir = join(groupDir, dirName);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const self = manifest.name.replace('@rocketmq-ts/', '');
    const isLibrary = group === 'packages';
    if (isLibrary && !PACKAGES.has(self)) {
      problems.push(`${manifest.name}: not in STYLE.md §2's dependency table; add it there first`);
      continue;
    }
    const allowed = isLibrary ? new Set(ALLOWED[self]) : null;
    const declared = new Set();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (!dep.startsWith('@rocketmq-ts/')) continue;
        const target = dep.replace('@rocketmq-ts/', '');
        declared.add(target);
        if (range !== 'workspace:*')
          problems.push(`${manifest.name}: ${dep} must be "workspace:*"`);
        if (allowed && !allowed.has(target))
          problems.push(`${manifest.name}: may not depend on ${dep}`);
        if (target === 'testkit' && group !== 'tests' && self !== 'testkit')
          problems.push(`${manifest.name}: only tests import @rocketmq-ts/testkit`);
        if (APP_AND_TEST_NAMES.has(dep))
          problems.push(`${manifest.name}: nothing imports apps or tests (${dep})`);
      }
    }
    const srcDir = join(dir, 'src');
    if (!existsSync(srcDir)) continue;
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        if (spec.startsWith('@rocketmq-ts/')) {
          const [, name, ...rest] = spec.split('/');
          if (rest.length > 0)
            problems.push(`${where}: deep import ${spec}; import the package by name`);
          const isTest = /\.test\.ts$/.test(file);
          if (name === self) problems.push(`${where}: imports its own package by name`);
          else if (!declared.has(name) && !(isTest && name === 'testkit' && group === 'tests'))
            problems.push(`${where}: imports ${spec} but package.json does not declare it`);
        }
        if (isLibrary && NO_SOCKETS.has(self) && /^(node:)?(net|tls|dgram|http|https)$/.test(spec))
          problems.push(`${where}: ${self} never opens sockets (imports ${spec})`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`check:deps found ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check:deps: every internal import follows STYLE.md §2');
