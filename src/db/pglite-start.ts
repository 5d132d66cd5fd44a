// How the embedded database is started, wherever it runs: on its own thread in the bot
// (pglite-worker.ts), or in the test process itself (test/support/embedded-pool.ts).
import { PGlite } from '@electric-sql/pglite';

export interface OpenRequest {
  dataDir?: string;
  loadDataDir?: Blob;
}

/** PGlite's WebAssembly, compiled by the opening process, and its file bundle (pglite-thread.ts, pgliteCode). */
export interface PGliteCode {
  wasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

/**
 * PostgreSQL's buffer pool, inside PGlite's WebAssembly memory and touched whole at start: the
 * default 128 MB would be most of the bot's memory. The data files are read through the operating
 * system, whose page cache keeps them, so a small pool costs little.
 */
const SHARED_BUFFERS = '32MB';

/** Open PGlite: a data directory, `memory://` (the default), or a dump to load (into a data directory when one is named). */
export function startPGlite(open: OpenRequest, code: PGliteCode): Promise<PGlite> {
  const startParams = [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
  // In memory (tests, benchmarks, throwaway runs) nothing outlives the process: flushing the log and
  // writing whole pages to protect a crash's data only costs time.
  const inMemory = !open.dataDir || open.dataDir.startsWith('memory://');
  if (inMemory) startParams.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const shared = { pgliteWasmModule: code.wasmModule, fsBundle: code.fsBundle };
  return open.loadDataDir
    ? PGlite.create({ loadDataDir: open.loadDataDir, startParams, ...shared, ...(open.dataDir ? { dataDir: open.dataDir } : {}) })
    : PGlite.create({ dataDir: open.dataDir ?? 'memory://', startParams, ...shared });
}
