// Worker threads on TypeScript modules: the module and the TypeScript it imports are bundled once
// into .cache/workers, named by their content, and the thread runs that plain JavaScript; a process that
// finds the bundle's inputs unchanged uses it without bundling again.
import { readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { bundleManifest, startWorker, workerBundle } from '../../../src/workers/start.ts';
import type { Shouted } from './shout.ts';

const BUNDLES = path.resolve(import.meta.dirname, '../../../.cache/workers');

function ask(w: Worker, text: string): Promise<Shouted> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage(text);
  });
}

describe('startWorker', () => {
  it('runs a TypeScript module and what it imports, from a bundle named by its content', async () => {
    const w = startWorker(new URL('./echo-worker.ts', import.meta.url));
    try {
      const reply = await ask(w, 'hello');
      expect(reply.text).toBe('HELLO!');
      const file = fileURLToPath(reply.from);
      expect(path.dirname(file)).toBe(BUNDLES);
      expect(path.basename(file)).toMatch(/^echo-worker-[0-9a-f]{16}\.mjs$/);
      expect(readdirSync(BUNDLES).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await w.terminate();
    }
  });

  it('starts a second thread on the same bundle', async () => {
    const [a, b] = [startWorker(new URL('./echo-worker.ts', import.meta.url)), startWorker(new URL('./echo-worker.ts', import.meta.url))];
    try {
      const [ra, rb] = await Promise.all([ask(a, 'a'), ask(b, 'b')]);
      expect([ra.text, rb.text]).toEqual(['A!', 'B!']);
      expect(ra.from).toBe(rb.from);
    } finally {
      await Promise.all([a.terminate(), b.terminate()]);
    }
  });

  it('a new process uses the bundle its inputs made, and bundles again when one of them changes', () => {
    const echo = new URL('./echo-worker.ts', import.meta.url);
    const first = workerBundle(echo, new Map());
    const madeAt = statSync(bundleManifest(echo)).mtimeMs;
    // As a new process: the inputs are as they were, so the same bundle, and the record of its inputs is not rewritten.
    expect(workerBundle(echo, new Map())).toBe(first);
    expect(statSync(bundleManifest(echo)).mtimeMs).toBe(madeAt);
    // An input the module imports is touched: bundled again (same content, so the same name) and its inputs recorded afresh.
    const shout = fileURLToPath(new URL('./shout.ts', import.meta.url));
    const later = new Date(Math.max(statSync(shout).mtimeMs, madeAt) + 2000);
    utimesSync(shout, later, later);
    expect(workerBundle(echo, new Map())).toBe(first);
    expect(statSync(bundleManifest(echo)).mtimeMs).toBeGreaterThan(madeAt);
  });

  it('reports a module that fails to load as an error on the worker', async () => {
    const w = startWorker(new URL('./no-such-worker.ts', import.meta.url));
    const failure = await new Promise<Error>((resolve) => w.once('error', resolve));
    expect(failure.message).toMatch(/no-such-worker/);
  });
});
