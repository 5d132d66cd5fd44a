// What any transport's failure may mean, whatever the platform: a call that timed out or whose
// connection broke may have reached the platform and done its work. Each messenger reads its own
// platform's codes first (src/platforms/<name>/messenger.ts) and falls back to this.
import type { DeliveryFailure } from '../ports.ts';

const NETWORK_UNCERTAIN = /timeout|timed out|ECONNRESET|socket hang up/i;

/** The call may have done its work: it timed out or its connection broke. */
export function mayHaveReachedPlatform(e: unknown): boolean {
  const err = e as { name?: unknown; message?: unknown };
  return err.name === 'AbortError' || err.name === 'TimeoutError' || (typeof err.message === 'string' && NETWORK_UNCERTAIN.test(err.message));
}

/** A platform's "slow down" carried on the error as `retryAfter` seconds, or null. */
export function retryAfterOf(e: unknown): number | null {
  const s = (e as { retryAfter?: unknown }).retryAfter;
  return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? s : null;
}

/** The reading of an error no platform code explains: rate limited if it says so, else transient. */
export function genericFailure(e: unknown): DeliveryFailure {
  const wait = retryAfterOf(e);
  if (wait !== null) return { kind: 'rate-limited', retryAfterSeconds: wait };
  return { kind: 'transient', outcomeUnknown: mayHaveReachedPlatform(e) };
}
