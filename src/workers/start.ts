// Worker threads for the work an acknowledgement must never wait for: the embedded database
// (src/db/pglite-worker.ts) and chart drawing (src/charts/worker.ts). In the compiled build
// (`npm run build`) every worker is a plain JavaScript bundle under dist/workers/, and that is what
// runs. From the sources the app's TypeScript runs through tsx, whose loader does not reach worker
// threads and would cost each thread ~40 MB and a quarter of a second if it did. So there a worker's
// module, with the TypeScript it imports, is bundled once into plain JavaScript (esbuild, which tsx
// itself runs on; npm packages stay imports) under .cache/workers beside the code, and the thread
// loads that. Where the bundle cannot be written, the thread registers tsx itself instead. A process
// that finds the bundle's inputs as they were when it was made (each file's size and modification time,
// kept beside it in a .inputs.json) uses it without bundling again: esbuild's start and the bundle cost
// each process a few hundred milliseconds of CPU per worker module.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { BUILT, PROJECT_ROOT, builtWorker } from '../paths.ts';

const BUNDLES = path.join(PROJECT_ROOT, '.cache', 'workers');
const built = new Map<string, string>();

/** What a bundle was made from: each input file's size and modification time, and the bundle. */
interface Inputs {
  bundle: string;
  files: Record<string, string>;
}

const fingerprint = (file: string): string => {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}`;
};

/** The bundle made from these inputs, when every input is as it was and the bundle is there; else null. */
function unchanged(manifest: string): string | null {
  try {
    const known = JSON.parse(readFileSync(manifest, 'utf8')) as Inputs;
    if (!existsSync(known.bundle)) return null;
    for (const [file, print] of Object.entries(known.files)) if (fingerprint(file) !== print) return null;
    return known.bundle;
  } catch {
    return null;
  }
}

/** Write whole, by rename: a reader never sees half a file. */
function writeWhole(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Where the inputs of a module's bundle are kept. */
export function bundleManifest(module: URL): string {
  const src = fileURLToPath(module);
  return path.join(BUNDLES, `${path.basename(src, '.ts')}-${createHash('sha256').update(src).digest('hex').slice(0, 16)}.inputs.json`);
}

/**
 * The worker's module as one JavaScript file, rebuilt when its code changes; null when it cannot be written.
 * `memo`: the bundles this process has already found (tests pass their own, as a new process would start).
 */
export function workerBundle(module: URL, memo: Map<string, string> = built): string | null {
  const src = fileURLToPath(module);
  const known = memo.get(src);
  if (known) return known;
  const manifest = bundleManifest(module);
  const reused = unchanged(manifest);
  if (reused) {
    memo.set(src, reused);
    return reused;
  }
  try {
    // esbuild is a development tool: loaded only here, never by the build.
    const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const out = buildSync({ entryPoints: [src], absWorkingDir: PROJECT_ROOT, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node24', write: false, metafile: true, logLevel: 'silent' });
    const code = out.outputFiles[0]!.contents;
    const file = path.join(BUNDLES, `${path.basename(src, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    mkdirSync(BUNDLES, { recursive: true });
    // Named by its content: a file already there is this build.
    if (!existsSync(file)) writeWhole(file, code);
    // The sources it was made from, and esbuild itself (a new version may bundle differently).
    const inputs = [...Object.keys(out.metafile.inputs).map((f) => path.resolve(PROJECT_ROOT, f)), createRequire(import.meta.url).resolve('esbuild/package.json')];
    const files = Object.fromEntries(inputs.map((f) => [f, fingerprint(f)]));
    writeWhole(manifest, JSON.stringify({ bundle: file, files } satisfies Inputs));
    memo.set(src, file);
    return file;
  } catch {
    return null;
  }
}

export function startWorker(module: URL, opts: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, opts);
  if (BUILT) return new Worker(builtWorker(module), opts);
  const js = workerBundle(module);
  if (js) return new Worker(pathToFileURL(js), opts);
  const tsx = import.meta.resolve('tsx/esm/api');
  // A failure to load is thrown on the worker's own turn, so the parent gets it as an 'error' event.
  const boot = `import(${JSON.stringify(tsx)})
    .then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })
    .catch((e) => setImmediate(() => { throw e; }));`;
  return new Worker(boot, { ...opts, eval: true });
}
