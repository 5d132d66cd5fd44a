// What the fake platform services share: a server on 127.0.0.1, and a log of the calls it got that a
// test can wait on (the bot answers after acknowledging, so its calls arrive a little later).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenOnLoopback(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * How long a fake waits for a call the test expects before failing: a deadline, not a sleep (a wait
 * returns as soon as the call arrives), generous so that a loaded machine running files side by side
 * does not fail a test that would pass.
 */
export const EXPECTED_CALL_TIMEOUT_MS = 20_000;

export class CallLog<C extends { method: string; faulted?: boolean }> {
  readonly calls: C[] = [];
  private waiters: (() => void)[] = [];

  record(call: C): void {
    this.calls.push(call);
    for (const w of this.waiters.splice(0)) w();
  }

  /** The first call to `method` (not a faulted one) matching `predicate`, waiting for it up to `timeoutMs`. */
  waitFor(method: string, predicate: (c: C) => boolean, timeoutMs: number, describe: (c: C) => string = (c) => c.method): Promise<C> {
    return this.waitForAny(method, (c) => !c.faulted && predicate(c), timeoutMs, describe);
  }

  /** The first call to `method` matching `predicate`, faulted or not. */
  async waitForAny(method: string, predicate: (c: C) => boolean, timeoutMs: number, describe: (c: C) => string = (c) => c.method): Promise<C> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && predicate(c));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${method}; calls so far: ${this.calls.map(describe).join(', ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}
