#!/usr/bin/env node
// `node scripts/pnpm.mjs <args>`: runs the pinned pnpm whether or not it is on PATH.
import { pnpm } from './bootstrap.mjs';

pnpm(process.argv.slice(2));
