// Integration-test set-up, once per run: the compiled build (`npm run build`, bin/build.ts) that every
// test starting a bot, CLI or job process of its own runs, instead of the TypeScript loader (tsx
// costs each child about a CPU-second more to start). It is a project root as a production install
// has it — package.json, prisma/ and node_modules beside dist/ — plus the test's own child scripts
// (hold-database, the replicas) bundled the same way under support/. Kept in .cache/test-build/,
// named by a hash of everything the bundles are made from, so a run with the same sources reuses the
// last one; a new one replaces it. Tests reach it through test/support/children.ts.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { BUNDLE_OPTIONS, buildApp } from '../../bin/build.ts';
import { sourceKey } from './source-key.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    buildRoot: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The test's own child processes, bundled beside the app: support/<name>.js. */
export const CHILD_SCRIPTS = {
  'hold-database': 'test/support/hold-database.ts',
  'job-replica': 'test/support/job-replica.ts',
  'outbox-replica': 'test/support/outbox-replica.ts',
} as const;

/**
 * What the bundles are made from: the code, the child scripts, the build script and the package
 * manifests (and node, below). Of the tests' own files only the child scripts: the build fails if
 * one of them imports another (name it here), so a change elsewhere in test/ reuses the build.
 */
const INPUTS = ['src', 'commands', 'jobs', ...Object.values(CHILD_SCRIPTS), 'bin/build.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * The build root for the sources under `root`, built when .cache/test-build has none for them. Two
 * runs building at once each build their own and the first to finish wins; older builds are removed.
 */
export async function preparedBuild(root = ROOT): Promise<string> {
  const cache = path.join(root, '.cache', 'test-build');
  const key = sourceKey(root, INPUTS);
  const dir = path.join(cache, key);
  // support/ is written last: a build cut short is not taken for one.
  if (existsSync(path.join(dir, 'support'))) return dir;
  const tmp = path.join(cache, `.build-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp, { recursive: true });
  try {
    copyFileSync(path.join(root, 'package.json'), path.join(tmp, 'package.json'));
    symlinkSync(path.join(root, 'prisma'), path.join(tmp, 'prisma'));
    symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'));
    await buildApp(root, path.join(tmp, 'dist'));
    const children = await build({ ...BUNDLE_OPTIONS, absWorkingDir: root, entryPoints: CHILD_SCRIPTS, outdir: path.join(tmp, 'support') });
    const unhashed = Object.keys(children.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !INPUTS.some((i) => f === i || f.startsWith(`${i}/`)));
    if (unhashed.length > 0) throw new Error(`test/setup/build.ts: the child scripts import ${unhashed.join(', ')}: add them to INPUTS`);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another run finished the same build first.
      if (!existsSync(path.join(dir, 'support'))) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const old of readdirSync(cache)) if (old !== key && !old.startsWith('.build-')) rmSync(path.join(cache, old), { recursive: true, force: true });
  return dir;
}

export default async function setup(project: TestProject) {
  project.provide('buildRoot', await preparedBuild());
}
