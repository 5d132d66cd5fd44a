// The embedded database on a thread of its own. PGlite runs each query synchronously in
// WebAssembly and resolves it in a microtask: on the main thread, a digest's queries or a 10,000-row
// evaluation would hold up every request waiting to be acknowledged. Here PGlite lives in a worker
// (pglite-worker.ts) and this class stands in for it with the calls the Prisma adapter and the bulk
// loads make — query (with the adapter's parsers applied here), exec, transaction, dumpDataDir,
// close — so the main thread only sends SQL and receives rows.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { messages, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { startWorker } from '../workers/start.ts';
import { within } from '../within.ts';
import type { DbReply, DbRequest, OpenRequest, PGliteCode, SentError } from './pglite-worker.ts';

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = Distribute<DbRequest>;
type ParserMap = NonNullable<QueryOptions['parsers']>;

/** The calls made on the embedded database: what the Prisma adapter, migrations, bulk loads and tests use. */
export type EmbeddedDatabase = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'dumpDataDir' | 'close' | 'closed'>;

function received(e: SentError): Error {
  if (!e.database) return Object.assign(new Error(e.message), { name: e.name });
  const err = new messages.DatabaseError(e.message, 0, 'error');
  Object.assign(err, e.fields);
  return err;
}

/** Apply the caller's parsers to the columns the worker left as text. */
function parse<T>(r: Results<T>, parsers: ParserMap | undefined, rowMode: 'array' | 'object' | undefined): Results<T> {
  if (!parsers) return r;
  const cols = r.fields.map((f, i) => ({ i, name: f.name, parser: parsers[f.dataTypeID], type: f.dataTypeID })).filter((c) => c.parser);
  if (!cols.length) return r;
  for (const row of r.rows as unknown[]) {
    const cells = row as Record<string | number, unknown>;
    for (const c of cols) {
      const k = rowMode === 'array' ? c.i : c.name;
      const v = cells[k];
      if (v !== null && v !== undefined) cells[k] = (c.parser as (x: string, typeId: number) => unknown)(v as string, c.type);
    }
  }
  return r;
}

let code: Promise<PGliteCode> | null = null;

/** The WebAssembly global's compile (its types live in TypeScript's DOM library, which this project does not load). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<PGliteCode['wasmModule']> } }).WebAssembly;

/**
 * PGlite's WebAssembly (9 MB) compiled once per process, and its file bundle read once, for every thread
 * this process opens. A thread left to load them itself compiles the module again — about half a CPU-second
 * per database opened, in compilation threads of its own — where a compiled module handed over is shared.
 */
export function pgliteCode(): Promise<PGliteCode> {
  code ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [bytes, data] = await Promise.all([readFile(path.join(dist, 'pglite.wasm')), readFile(path.join(dist, 'pglite.data'))]);
    return { wasmModule: await wasm.compile(bytes), fsBundle: new Blob([data]) };
  })().catch((e: unknown) => {
    code = null;
    throw e;
  });
  return code;
}

export class PGliteThread implements EmbeddedDatabase {
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private seq = 0;
  private txSeq = 0;
  private stopped: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: DbReply) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(received(m.error));
    });
    const lost = (why: string) => {
      this.stopped ??= new Error(`the embedded database stopped (${why})`);
      for (const p of this.pending.values()) p.reject(this.stopped);
      this.pending.clear();
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
  }

  /** Start the thread and open the database there (a data directory, `memory://`, or a dump to load). */
  static async open(o: OpenRequest): Promise<PGliteThread> {
    const worker = startWorker(new URL('./pglite-worker.ts', import.meta.url), { workerData: { ...o, code: await pgliteCode() } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: DbReply) => {
        if (!('ready' in m)) return;
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (m.ready) resolve();
        else void worker.terminate().finally(() => reject(received(m.error)));
      };
      const onError = (e: Error) => {
        worker.off('message', onMessage);
        reject(e);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
    return new PGliteThread(worker);
  }

  get closed(): boolean {
    return this.stopped !== null || this.closing !== null;
  }

  private call<T>(r: Request): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...r, id });
    });
  }

  private async queryOn<T>(tx: number | undefined, sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    const { parsers, rowMode, blob, paramTypes } = options ?? {};
    const r = await this.call<Results<T>>({
      op: 'query',
      sql,
      ...(params ? { params } : {}),
      options: { rowMode, rawTypes: parsers ? Object.keys(parsers).map(Number) : [], ...(blob ? { blob } : {}), ...(paramTypes ? { paramTypes } : {}) },
      ...(tx === undefined ? {} : { tx }),
    });
    return parse(r, parsers, rowMode);
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.queryOn<T>(undefined, sql, params, options);
  }

  exec(sql: string): Promise<Results[]> {
    return this.call<Results[]>({ op: 'exec', sql });
  }

  /** As PGlite's: the callback's queries run in one transaction, committed when it returns, rolled back when it throws. */
  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = ++this.txSeq;
    await this.call({ op: 'begin', tx: id });
    let closed = false;
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => this.queryOn<R>(id, sql, params, options),
      exec: (sql: string) => this.call<Results[]>({ op: 'exec', sql, tx: id }),
      rollback: async () => {
        closed = true;
        await this.call({ op: 'rollback', tx: id });
      },
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    let result: T;
    try {
      result = await callback(tx);
    } catch (e) {
      await this.call({ op: 'end', tx: id, commit: false }).catch(() => {});
      throw e;
    }
    await this.call({ op: 'end', tx: id, commit: true });
    return result;
  }

  dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'gzip'): Promise<File | Blob> {
    return this.call<File | Blob>({ op: 'dump', compression });
  }

  /**
   * Close the database (its last writes flushed), then stop the thread. The close waits its turn behind
   * what is running there for at most `deadlineMs`: a transaction that never ends must not hold up a
   * shutdown, so after that the thread is stopped as it is (PostgreSQL recovers from its log at the next open).
   */
  close(deadlineMs = 30_000): Promise<void> {
    this.closing ??= (async () => {
      if (!this.stopped) await within(this.call({ op: 'close' }).catch(() => {}), deadlineMs, undefined);
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
