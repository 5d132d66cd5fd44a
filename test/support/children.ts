// How a test starts a bot, CLI or job process of its own: node running the compiled build that the
// integration set-up prepares once per run (test/setup/build.ts) — what `npm start` runs, without
// the TypeScript loader's cost per process. test/system/build.test.ts proves the build, and its
// "from the sources" case that the TypeScript entry points (bin/kpi, `npm run dev`) still run.
import path from 'node:path';
import { inject } from 'vitest';
import type { CHILD_SCRIPTS } from '../setup/build.ts';

/** The build's project root (package.json, prisma/, node_modules and dist/). */
export const buildRoot = (): string => inject('buildRoot');

/** `node <file>` for the bot (`main`), the admin CLI (`kpi`) or one of the test's child scripts, from the build. */
export function nodeCommand(entry: 'main' | 'kpi' | keyof typeof CHILD_SCRIPTS): [string, string] {
  const file = entry === 'main' || entry === 'kpi' ? path.join('dist', `${entry}.js`) : path.join('support', `${entry}.js`);
  return [process.execPath, path.join(buildRoot(), file)];
}
