// A short hash of what a cached test artefact is made from (files and directories under the project
// root, and the node that runs them): the compiled build (build.ts) and the prepared databases
// (global.ts) are kept under .cache/ by it, so a run with the same sources reuses the last one.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function sourceKey(root: string, inputs: readonly string[]): string {
  // Node's own version too: a new node starts afresh.
  const h = createHash('sha256').update(`${process.version}\n`);
  const add = (rel: string): void => {
    const p = path.join(root, rel);
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) add(path.join(rel, name));
      return;
    }
    h.update(`${rel}\n`);
    h.update(readFileSync(p));
  };
  for (const i of inputs) add(i);
  return h.digest('hex').slice(0, 16);
}
