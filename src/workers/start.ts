// Worker threads for the work an acknowledgement must never wait for: the embedded database
// (src/db/pglite-worker.ts) and chart drawing (src/charts/worker.ts). In the compiled build
// (`npm run build`) every worker is a plain JavaScript bundle under dist/workers/, and that is what
// runs. From the sources the app's TypeScript runs through tsx, whose loader does not reach worker
// threads and would cost each thread ~40 MB and a quarter of a second if it did. So there a worker's
// module, with the TypeScript it imports, is bundled once into plain JavaScript (esbuild, which tsx
// itself runs on; npm packages stay imports) under .cache/workers beside the code, and the thread
// loads that. Where the bundle cannot be written, the thread registers tsx itself instead.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { BUILT, PROJECT_ROOT, builtWorker } from '../paths.ts';

const BUNDLES = path.join(PROJECT_ROOT, '.cache', 'workers');
const built = new Map<string, string>();

/** The worker's module as one JavaScript file, rebuilt when its code changes; null when it cannot be written. */
function bundle(module: URL): string | null {
  const src = fileURLToPath(module);
  const known = built.get(src);
  if (known) return known;
  try {
    // esbuild is a development tool: loaded only here, never by the build.
    const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const out = buildSync({ entryPoints: [src], bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node24', write: false, logLevel: 'silent' });
    const code = out.outputFiles[0]!.contents;
    const file = path.join(BUNDLES, `${path.basename(src, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    // Named by its content: a file already there is this build (written whole, by rename).
    if (!existsSync(file)) {
      mkdirSync(BUNDLES, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    }
    built.set(src, file);
    return file;
  } catch {
    return null;
  }
}

export function startWorker(module: URL, opts: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, opts);
  if (BUILT) return new Worker(builtWorker(module), opts);
  const js = bundle(module);
  if (js) return new Worker(pathToFileURL(js), opts);
  const tsx = import.meta.resolve('tsx/esm/api');
  // A failure to load is thrown on the worker's own turn, so the parent gets it as an 'error' event.
  const boot = `import(${JSON.stringify(tsx)})
    .then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })
    .catch((e) => setImmediate(() => { throw e; }));`;
  return new Worker(boot, { ...opts, eval: true });
}
