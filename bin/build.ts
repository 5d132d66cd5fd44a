// `npm run build`: the app as plain JavaScript in dist/, what `npm start` and a production install
// run (no TypeScript loader, no bundling at run time). One ES module bundle per entry point, the
// project's own code inside it and npm packages left as imports:
//   dist/main.js              the bot (src/main.ts)
//   dist/kpi.js               the admin CLI (src/cli/kpi.ts), jobs included
//   dist/workers/<name>.js    every worker thread the code starts (src/workers/start.ts finds them there)
//   dist/chunk-*.js           code shared by them, and what they load only when needed
// The build fails when a bundle imports a package that is not a production dependency, so
// `npm ci --omit=dev` is always enough to run it.
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Every worker module the code starts — `startWorker(new URL('./<name>.ts', import.meta.url))` — by its bundle's name. */
export function workerEntries(srcDir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'generated') walk(p);
      } else if (e.name.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/startWorker\(\s*new URL\('\.\/([\w-]+)\.ts', import\.meta\.url\)/g)) {
          const file = path.join(dir, `${m[1]}.ts`);
          const name = `workers/${m[1]}`;
          if (found[name] && found[name] !== file) throw new Error(`two workers would both be dist/${name}.js: ${found[name]} and ${file}`);
          found[name] = file;
        }
      }
    }
  };
  walk(srcDir);
  return found;
}

/** The npm package an import names (`@scope/name/sub` → `@scope/name`), or null for Node's own modules. */
export function packageOf(spec: string): string | null {
  if (spec.startsWith('node:') || builtinModules.includes(spec)) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** How every bundle is made (the app's here; the tests' child scripts in test/setup/build.ts). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  packages: 'external',
  format: 'esm',
  // What the code loads only when needed (`await import(…)`: a platform that is not configured, the
  // embedded database on PostgreSQL, import and report code) stays out of the start: shared chunks
  // (dist/chunk-*.js) loaded on demand. Without splitting, every package those import would be
  // loaded at start.
  splitting: true,
  chunkNames: '[name]-[hash]',
  platform: 'node',
  target: 'node24',
  metafile: true,
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Bundle the app under `root` into `outDir` (default dist/); returns the files written, relative to `root`, and their size. */
export async function buildApp(root = ROOT, outDir = path.join(root, 'dist')): Promise<{ files: string[]; kb: number }> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: { main: 'src/main.ts', kpi: 'src/cli/kpi.ts', ...workerEntries(path.join(root, 'src')) },
    outdir: outDir,
  });
  const unlisted = new Set<string>();
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    for (const i of out.imports) {
      const name = i.external ? packageOf(i.path) : null;
      if (name && !(name in pkg.dependencies)) unlisted.add(`${name} (imported by ${file})`);
    }
  }
  if (unlisted.size > 0) throw new Error(`the build imports packages that are not production dependencies: ${[...unlisted].join(', ')}`);
  // The CLI runs as a program of its own: node, not the TypeScript loader its source names.
  const kpi = path.join(outDir, 'kpi.js');
  writeFileSync(kpi, readFileSync(kpi, 'utf8').replace(/^#!.*\n/, '#!/usr/bin/env node\n'));
  chmodSync(kpi, 0o755);
  const kb = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) / 1024;
  return { files: Object.keys(result.metafile.outputs), kb };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now();
  buildApp().then(
    ({ files, kb }) => process.stdout.write(`build: ${files.join(', ')} (${kb.toFixed(0)} KB) in ${Math.round(performance.now() - t0)} ms\n`),
    (e: unknown) => {
      process.stderr.write(`build failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
