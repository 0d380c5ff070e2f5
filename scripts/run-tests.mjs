#!/usr/bin/env node
// The whole test suite: install (if needed), build (integration tests run built apps), then every vitest project.
// Extra arguments go to vitest, e.g. `npm test -- packages/protocol`.
import { ensureInstalled, pnpm } from './bootstrap.mjs';

ensureInstalled();
pnpm(['run', 'build']);
pnpm(['exec', 'vitest', 'run', ...process.argv.slice(2)]);
