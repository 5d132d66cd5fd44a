// Where the project's files are, the same from the TypeScript sources (tsx, tests) and from the
// compiled build (`npm run build`: dist/main.js, dist/kpi.js and dist/workers/, one bundle each).
// A bundle's import.meta is its own file's, so paths are found from the project root, never from a
// module's own directory.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Whether this code runs from the compiled build rather than from the TypeScript sources. */
export const BUILT = !import.meta.url.endsWith('.ts');

function rootAbove(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return path.resolve(dir, '..');
  }
}

/** The directory holding package.json, prisma/ and (in the build) dist/. */
export const PROJECT_ROOT = rootAbove(import.meta.dirname);

/** The code that runs: src/ from the sources, dist/ in the build (what a prepared demo image is keyed on). */
export const CODE_DIR = path.join(PROJECT_ROOT, BUILT ? 'dist' : 'src');

/** The compiled worker for a worker module given as its TypeScript source (`./worker.ts` → dist/workers/worker.js). */
export function builtWorker(module: URL): string {
  return path.join(PROJECT_ROOT, 'dist', 'workers', `${path.basename(module.pathname, '.ts')}.js`);
}
