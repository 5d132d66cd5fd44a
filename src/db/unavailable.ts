// "The database is not answering" as opposed to "the database said no": a restart, a failover, a
// dropped connection, a full pool. Work that failed this way changed nothing and can be tried
// again; everything else (a constraint, a bug) cannot. Prisma, its PostgreSQL driver adapter and pg
// each say it their own way.

/** PostgreSQL SQLSTATEs for a server going away or not accepting connections yet. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
/** Prisma's codes for an unreachable server, a timed-out connection or pool, a closed connection. */
const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNAVAILABLE_MESSAGE = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Server has closed the connection|timeout exceeded when trying to connect|Client has encountered a connection error|connection (is )?closed/i;

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const err = e as { code?: unknown; errorCode?: unknown; message?: unknown; cause?: unknown; name?: unknown; originalCode?: unknown; kind?: unknown };
  if (err.name === 'PrismaClientInitializationError') return true;
  for (const c of [err.code, err.errorCode, err.originalCode]) {
    if (typeof c === 'string' && (UNAVAILABLE_PRISMA.has(c) || UNAVAILABLE_SQLSTATES.has(c))) return true;
  }
  if (typeof err.message === 'string' && UNAVAILABLE_MESSAGE.test(err.message)) return true;
  return isDatabaseUnavailable(err.cause, depth + 1);
}

export interface RetryPolicy {
  /** How long in all to keep trying (default 30 s). */
  budgetMs: number;
}

export const DEFAULT_DATABASE_RETRY: RetryPolicy = { budgetMs: 30_000 };

/** Waits between attempts: quick at first (a dropped connection), then every few seconds (a restart). */
const WAITS_MS = [200, 500, 1000, 2000, 3000];

/**
 * Run `fn`, and again while it fails because the database is unavailable, for at most the budget.
 * `fn` must change nothing when it fails that way (one transaction, or idempotent steps). The last
 * error is thrown when the budget runs out; any other error at once.
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_DATABASE_RETRY, onRetry?: (e: unknown, attempt: number) => void): Promise<T> {
  const deadline = performance.now() + policy.budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      const wait = WAITS_MS[Math.min(attempt, WAITS_MS.length - 1)]!;
      if (performance.now() + wait > deadline) throw e;
      onRetry?.(e, attempt + 1);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
