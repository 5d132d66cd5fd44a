// A database that blinks: the same database, its Prisma client wrapped so that calls fail as an
// unavailable server's do (Prisma's P1001) — the next `n` calls, or every call while it is down.
// Counted, not timed: a blink of two calls is two failed attempts, however fast the machine.
import type { TestDatabase } from './db.ts';

const unavailable = () => Object.assign(new Error("Can't reach database server at `db:5432`"), { code: 'P1001' });

export interface BlinkingDatabase {
  /** The database to start the app on. */
  db: TestDatabase;
  /** The next `calls` calls fail. */
  blink(calls: number): void;
  /** Every call fails until `up()`. */
  down(): void;
  up(): void;
  /** Calls that failed so far. */
  readonly failed: number;
}

export function blinking(db: TestDatabase): BlinkingDatabase {
  let failNext = 0;
  let isDown = false;
  let failed = 0;
  const fails = () => {
    if (!isDown && failNext === 0) return false;
    if (!isDown) failNext--;
    failed++;
    return true;
  };
  const wrap = (fn: (...args: unknown[]) => unknown, self: object) => (...args: unknown[]) => (fails() ? Promise.reject(unavailable()) : fn.apply(self, args));
  // Top-level calls ($transaction, $queryRaw…) and each model's methods (prisma.person.findUnique…).
  const prisma = new Proxy(db.prisma, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v === 'function') return wrap(v as (...args: unknown[]) => unknown, target);
      if (v && typeof v === 'object' && typeof prop === 'string' && !prop.startsWith('_') && !prop.startsWith('$')) {
        return new Proxy(v, { get: (model, method) => {
          const m = Reflect.get(model, method, model) as unknown;
          return typeof m === 'function' ? wrap(m as (...args: unknown[]) => unknown, model) : m;
        } });
      }
      return v;
    },
  });
  return {
    db: { ...db, prisma },
    blink: (calls) => void (failNext = calls),
    down: () => void (isDown = true),
    up: () => void ((isDown = false), (failNext = 0)),
    get failed() {
      return failed;
    },
  };
}
