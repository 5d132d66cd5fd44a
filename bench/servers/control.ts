// A benchmark server in its own process: started by `startServer`, it says its port over IPC and
// then answers the bench's calls (stop, and whatever else the server offers) by name.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

type Handlers = Record<string, (...args: never[]) => Promise<unknown>>;

/** In the server process: report the port, then serve calls until `stop`. */
export function serve(port: number, handlers: Handlers): void {
  process.on('message', (m: { id: number; call: string; args: unknown[] }) => {
    const fn = handlers[m.call] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    (fn ? fn(...m.args) : Promise.reject(new Error(`no call ${m.call}`))).then(
      (value) => process.send!({ id: m.id, ok: true, value }, () => (m.call === 'stop' ? process.exit(0) : undefined)),
      (e: Error) => process.send!({ id: m.id, ok: false, error: e.message }),
    );
  });
  process.send!({ port });
}

export interface BenchServer {
  port: number;
  pid: number;
  call<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  /** Forget the peak so far (Linux), so the next `peakRssMb` covers what follows. */
  resetPeak(): void;
  /** Peak resident memory of the process since start or the last `resetPeak`, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** Start `module` (a file in bench/servers) in a child process with `arg`; resolves once it listens. */
export function startServer(module: string, arg: unknown): Promise<BenchServer> {
  const child: ChildProcess = fork(new URL(module, import.meta.url), [JSON.stringify(arg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`${module} exited (${code}) before it listened`));
      for (const p of pending.values()) p.reject(new Error(`${module} exited (${code})`));
    });
    child.on('message', (m: { port?: number; id?: number; ok?: boolean; value?: unknown; error?: string }) => {
      if (m.port !== undefined) {
        const server: BenchServer = {
          port: m.port,
          pid: child.pid!,
          call: <T>(call: string, ...args: unknown[]) =>
            new Promise<T>((res, rej) => {
              const id = ++seq;
              pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
              child.send({ id, call, args });
            }),
          resetPeak() {
            try {
              writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
            } catch {
              /* not Linux: the peak since start */
            }
          },
          peakRssMb() {
            try {
              const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
              return hwm ? Number(hwm[1]) / 1024 : NaN;
            } catch {
              return NaN;
            }
          },
          async stop() {
            const exited = new Promise<void>((r) => child.once('exit', () => r()));
            await server.call('stop').catch(() => {});
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
          },
        };
        resolve(server);
        return;
      }
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
  });
}
