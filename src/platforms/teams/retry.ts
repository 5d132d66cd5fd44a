// Calls to the Bot Connector service, retried the way Microsoft asks: on 429 wait for Retry-After,
// on 5xx, 408 and dropped connections back off exponentially with jitter, and give up after a few
// tries so the outbox can try again later (minutes, not seconds). Errors a retry cannot fix
// (400, 401, 403, 404, 413) are marked permanent for the outbox.
import type { Logger } from '../../log.ts';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** First back-off; doubled each time, with up to 50 % jitter. */
  baseMs: number;
  /** A Retry-After longer than this is not waited out here: the caller (the outbox) retries later. */
  maxWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseMs: 500, maxWaitMs: 30_000 };

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_NETWORK']);

/** An HTTP failure from the Bot Connector, as the SDK's HTTP client (axios) reports it. */
interface HttpFailure {
  code?: string;
  message?: string;
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
}

export function httpStatus(e: unknown): number | undefined {
  return (e as HttpFailure)?.response?.status;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(e: unknown, now = Date.now()): number | undefined {
  const headers = (e as HttpFailure)?.response?.headers ?? {};
  const raw = headers['retry-after'] ?? headers['Retry-After'];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const s = String(raw).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function retryable(e: unknown): boolean {
  const status = httpStatus(e);
  if (status === undefined) return NETWORK_CODES.has((e as HttpFailure)?.code ?? '');
  return status === 429 || status === 408 || status >= 500;
}

/** What went wrong, in one line, with the service's own error code when it gave one. */
export class TeamsApiError extends Error {
  readonly status: number | undefined;
  /** The outbox gives up at once on these: retrying cannot help. */
  readonly permanent: boolean;
  readonly data: { error: string };

  constructor(operation: string, cause: unknown) {
    const status = httpStatus(cause);
    const body = (cause as HttpFailure)?.response?.data as { error?: { code?: string; message?: string } } | undefined;
    const code = body?.error?.code ?? (status ? `http_${status}` : ((cause as HttpFailure)?.code ?? 'network_error'));
    super(`Teams ${operation} failed: ${code}${body?.error?.message ? ` (${body.error.message})` : status ? '' : `: ${(cause as Error)?.message ?? String(cause)}`}`);
    this.name = 'TeamsApiError';
    this.status = status;
    this.permanent = status !== undefined && [400, 401, 403, 404, 413].includes(status);
    this.data = { error: code };
  }
}

/** Run one Bot Connector call with retries; failures become a TeamsApiError. */
export async function withRetry<T>(operation: string, fn: () => Promise<T>, log: Logger, opts: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof TeamsApiError) throw e;
      if (!retryable(e) || attempt >= opts.retries) throw new TeamsApiError(operation, e);
      const backoff = opts.baseMs * 2 ** attempt * (1 + Math.random() * 0.5);
      const wait = httpStatus(e) === 429 ? (retryAfterMs(e) ?? backoff) : backoff;
      if (wait > opts.maxWaitMs) throw new TeamsApiError(operation, e);
      log.warn({ operation, status: httpStatus(e) ?? (e as HttpFailure).code, attempt: attempt + 1, waitMs: Math.round(wait) }, 'teams: call failed, retrying');
      await sleep(wait);
    }
  }
}
