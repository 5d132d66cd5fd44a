// Integration and system test set-up, once per run: the compiled build (`npm run build`, bin/build.ts) that every
// test starting a bot, CLI or job process of its own runs, instead of the TypeScript loader (tsx
// costs each child about a CPU-second more to start). It is a project root as a production install
// has it — package.json, prisma/ and node_modules beside dist/ — plus the test's own child scripts
// (hold-database, the replicas) bundled the same way under support/. Kept in .cache/test-build/,
// named by a hash of everything the bundles are made from, so a run with the same sources reuses the
// last one; a new one replaces it. Tests reach it through test/support/children.ts.
import { copyFileSync, existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { BUNDLE_OPTIONS, buildApp } from '../../bin/build.ts';
import { preparedDir } from '../../src/prepared-dir.ts';
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
  const cacheDir = path.join(root, '.cache', 'test-build');
  const dir = await preparedDir({
    cacheDir,
    key: sourceKey(root, INPUTS),
    // support/ is written last: a build cut short is not taken for one.
    complete: (d) => existsSync(path.join(d, 'support')),
    replaces: () => true,
    async make(d) {
      copyFileSync(path.join(root, 'package.json'), path.join(d, 'package.json'));
      symlinkSync(path.join(root, 'prisma'), path.join(d, 'prisma'));
      symlinkSync(path.join(root, 'node_modules'), path.join(d, 'node_modules'));
      await buildApp(root, path.join(d, 'dist'));
      const children = await build({ ...BUNDLE_OPTIONS, absWorkingDir: root, entryPoints: CHILD_SCRIPTS, outdir: path.join(d, 'support') });
      const unhashed = Object.keys(children.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !INPUTS.some((i) => f === i || f.startsWith(`${i}/`)));
      if (unhashed.length > 0) throw new Error(`test/setup/build.ts: the child scripts import ${unhashed.join(', ')}: add them to INPUTS`);
    },
  });
  if (!dir) throw new Error(`test set-up: cannot write the build under ${cacheDir}`);
  return dir;
}

export default async function setup(project: TestProject) {
  project.provide('buildRoot', await preparedBuild());
}
