import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit tests run against sources: each @rocketmq-ts/<pkg> resolves to its src/index.ts (STYLE.md §12).
const roots = ['packages', 'tools', 'tests', 'apps'];
const dirs = roots.flatMap((root) =>
  existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(resolve(root, d.name, 'package.json')))
        .map((d) => `${root}/${d.name}`)
    : [],
);
const alias = Object.fromEntries(
  dirs
    .filter((dir) => existsSync(resolve(dir, 'src/index.ts')))
    .map((dir) => [`@rocketmq-ts/${dir.split('/')[1]}`, resolve(dir, 'src/index.ts')]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    projects: dirs.map((dir) => ({
      extends: true,
      test: {
        name: dir,
        include: [`${dir}/**/*.test.ts`],
        exclude: ['**/node_modules/**', '**/dist/**'],
      },
    })),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
