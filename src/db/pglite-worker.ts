// The embedded database's own thread (see pglite-thread.ts). PGlite runs each query synchronously
// in WebAssembly: here it does so without holding up the thread that reads and acknowledges
// requests. Requests arrive as messages; answers go back with the same id. A transaction is opened
// by `begin`, its queries carry its id, and `end` commits it (or rolls it back); the operations of
// one transaction run in the order they were sent.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, messages, type Transaction } from '@electric-sql/pglite';

export interface OpenRequest {
  dataDir?: string;
  loadDataDir?: Blob;
}

/** PGlite's WebAssembly, compiled by the opening process, and its file bundle (pglite-thread.ts, pgliteCode). */
export interface PGliteCode {
  wasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

export type DbRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; options: { rowMode?: 'array' | 'object'; rawTypes: number[]; blob?: Blob; paramTypes?: number[] }; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin'; tx: number }
  | { id: number; op: 'rollback'; tx: number }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'dump'; compression: 'none' | 'gzip' | 'auto' }
  | { id: number; op: 'close' };

/** An error as it crosses threads: PostgreSQL's fields kept, so the adapter maps it as before. */
export interface SentError {
  message: string;
  name: string;
  database: boolean;
  fields: Record<string, string | undefined>;
}

export type DbReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError } | { ready: true } | { ready: false; error: SentError };

const FIELDS = ['severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine'] as const;

function sendable(e: unknown): SentError {
  const err = e instanceof Error ? e : new Error(String(e));
  const fields: Record<string, string | undefined> = {};
  for (const f of FIELDS) {
    const v = (err as unknown as Record<string, unknown>)[f];
    if (typeof v === 'string') fields[f] = v;
  }
  return { message: err.message, name: err.name, database: err instanceof messages.DatabaseError, fields };
}

const port = parentPort!;
const { code, ...open } = workerData as OpenRequest & { code: PGliteCode };

/** Thrown inside a transaction's callback so PGlite rolls it back. */
class RollBack extends Error {}

interface OpenTx {
  tx: Transaction;
  finish(commit: boolean): void;
  done: Promise<void>;
  /** The transaction's operations, one after another. */
  chain: Promise<unknown>;
}

/**
 * PostgreSQL's buffer pool, inside PGlite's WebAssembly memory and touched whole at start: the
 * default 128 MB would be most of the bot's memory. The data files are read through the operating
 * system, whose page cache keeps them, so a small pool costs little.
 */
const SHARED_BUFFERS = '32MB';

async function main(): Promise<void> {
  let db: PGlite;
  const startParams = [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
  // In memory (tests, benchmarks, throwaway runs) nothing outlives the process: flushing the log and
  // writing whole pages to protect a crash's data only costs time.
  const inMemory = !open.dataDir || open.dataDir.startsWith('memory://');
  if (inMemory) startParams.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const shared = { pgliteWasmModule: code.wasmModule, fsBundle: code.fsBundle };
  try {
    db = open.loadDataDir
      ? await PGlite.create({ loadDataDir: open.loadDataDir, startParams, ...shared, ...(open.dataDir ? { dataDir: open.dataDir } : {}) })
      : await PGlite.create({ dataDir: open.dataDir ?? 'memory://', startParams, ...shared });
  } catch (e) {
    port.postMessage({ ready: false, error: sendable(e) } satisfies DbReply);
    return;
  }
  const txs = new Map<number, OpenTx>();
  const raw = (types: number[]) => Object.fromEntries(types.map((t) => [t, (x: string) => x]));

  function begin(txId: number): Promise<void> {
    return new Promise((begun, failed) => {
      let finish!: (commit: boolean) => void;
      const done = db
        .transaction(async (tx) => {
          await new Promise<void>((resolve, reject) => {
            finish = (commit) => (commit ? resolve() : reject(new RollBack()));
            txs.set(txId, { tx, finish, done, chain: Promise.resolve() });
            begun();
          });
        })
        .catch((e) => {
          if (!(e instanceof RollBack)) throw e;
        });
      done.catch(failed);
    });
  }

  async function run(r: DbRequest): Promise<unknown> {
    switch (r.op) {
      case 'query': {
        const on = r.tx === undefined ? db : txs.get(r.tx)?.tx;
        if (!on) throw new Error('the transaction has ended');
        const { rawTypes, ...options } = r.options;
        return on.query(r.sql, r.params, { ...options, parsers: raw(rawTypes) });
      }
      case 'exec': {
        const on = r.tx === undefined ? db : txs.get(r.tx)?.tx;
        if (!on) throw new Error('the transaction has ended');
        return on.exec(r.sql);
      }
      case 'begin':
        return begin(r.tx);
      case 'rollback':
        return txs.get(r.tx)?.tx.rollback();
      case 'end': {
        const t = txs.get(r.tx);
        if (!t) return undefined;
        txs.delete(r.tx);
        t.finish(r.commit);
        return t.done;
      }
      case 'dump':
        return db.dumpDataDir(r.compression);
      case 'close':
        await db.close();
        return undefined;
    }
  }

  port.on('message', (r: DbRequest) => {
    const t = 'tx' in r && r.tx !== undefined && r.op !== 'begin' ? txs.get(r.tx) : undefined;
    const result = t ? (t.chain = t.chain.then(() => run(r), () => run(r))) : run(r);
    result.then(
      (value) => {
        // Rows are plain values; a dump or a COPY result carries a Blob, which clones as one.
        port.postMessage({ id: r.id, ok: true, value } satisfies DbReply);
        if (r.op === 'close') port.close();
      },
      (e: unknown) => port.postMessage({ id: r.id, ok: false, error: sendable(e) } satisfies DbReply),
    );
  });
  port.postMessage({ ready: true } satisfies DbReply);
}

void main();
