// What a refused Teams request writes to the log: one warn line, with the reason — never the SDK's
// error lines and stacks — and identical lines rate-limited, so that a flood of forged requests
// cannot flood the log: the first of a kind is written, then, a minute on, how many more came
// ("repeated": 39), for as long as they keep coming. A kind is the message and its reason (a token
// refusal's category, a refused tenant's id); at most MAX_KINDS kinds are tracked at once, the rest
// counted together.
//
// The reason a token was refused is known only inside the SDK's JWT check, which logs it as errors:
// `sdkRefusal` recognises those lines (src/platforms/teams/sdk.ts sends them here instead of the
// log), and `duringRequest` keeps the first reason for the request being checked.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../log.ts';
import type { Clock } from '../../ports.ts';

/** How often identical lines are counted rather than written. */
export const REFUSAL_WINDOW_MS = 60_000;
const MAX_KINDS = 200;

interface Kind {
  since: number;
  more: number;
  fields: Record<string, unknown>;
  msg: string;
}

export class RefusalLog {
  private readonly kinds = new Map<string, Kind>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** A refusal: written when it is the first of its kind in a minute, counted otherwise. */
  refuse(msg: string, kind: string, fields: Record<string, unknown>): void {
    const now = this.clock.now().getTime();
    this.flush(now);
    let key = `${msg}\u0000${kind}`;
    if (!this.kinds.has(key) && this.kinds.size >= MAX_KINDS) key = `${msg}\u0000(other)`;
    const k = this.kinds.get(key);
    if (k) {
      k.more++;
      k.fields = fields;
      return;
    }
    this.kinds.set(key, { since: now, more: 0, fields, msg });
    this.log.warn(fields, msg);
    // Counts are written a minute on even if nothing else comes (the timer does not keep the process up).
    this.timer ??= setInterval(() => this.flush(this.clock.now().getTime()), REFUSAL_WINDOW_MS).unref();
  }

  /** Kinds whose minute is over: how many more came (then count on), or forgotten when none did. */
  flush(now: number): void {
    for (const [key, k] of this.kinds) {
      if (now - k.since < REFUSAL_WINDOW_MS) continue;
      if (!k.more) {
        this.kinds.delete(key);
        continue;
      }
      this.log.warn({ ...k.fields, repeated: k.more, seconds: Math.round((now - k.since) / 1000) }, k.msg);
      k.more = 0;
      k.since = now;
    }
    if (!this.kinds.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * The SDK's words for why it refused a token, read into a few stable reasons (the kinds of line).
 * Only the SDK's own fixed words are read: an issuer or service URL quoted after them is the sender's.
 */
const REASONS: [RegExp, string][] = [
  [/missing Authorization header/, 'no token'],
  [/^JWT verification failed: jwt expired/, 'expired'],
  [/^JWT verification failed: jwt not active/, 'not valid yet'],
  [/^JWT verification failed: jwt audience invalid/, 'not for this bot (audience)'],
  [/^JWT verification failed: (invalid signature|jwt signature is required|invalid algorithm|secret or public key must be provided)|^Failed to get signing key/, 'signature not from Bot Framework'],
  [/^JWT verification failed: (jwt malformed|jwt must be provided|invalid token|Unexpected token)|^Decoded token is not a valid object/, 'not a token'],
  // Since SDK 2.1 a token whose issuer looks like Entra's (sts.windows.net) is checked as an Entra token.
  [/^Custom validation failed: Token (issuer|missing issuer)|^Entra inbound token is missing tid/, 'not issued by Bot Framework (issuer)'],
  [/^Custom validation failed: (Service URL mismatch|Token missing serviceurl)/, 'for another service URL'],
];

export function tokenRefusalReason(sdkText: string): string {
  return REASONS.find(([re]) => re.test(sdkText))?.[1] ?? 'invalid';
}

/** The SDK's log lines that only say a request's token was refused (its JWT check logs them as errors). */
const SDK_REFUSAL = /^(JWT verification failed|Custom validation failed|Failed to get signing key|Decoded token is not a valid object|JWT validation failed|Token validation failed|inbound activity rejected)\b/;

const request = new AsyncLocalStorage<{ reason: string | null; detail: string | null }>();

/** Run the SDK's handling of one request, noting why its token was refused, if it was. */
export function duringRequest<T>(fn: () => Promise<T>): { result: Promise<T>; refusal: () => { reason: string; detail: string | null } } {
  const store = { reason: null as string | null, detail: null as string | null };
  const result = request.run(store, fn);
  return { result, refusal: () => ({ reason: store.reason ?? 'invalid', detail: store.detail }) };
}

/**
 * A line the SDK logs: when it is about a refused token, note the reason for the request being
 * checked and say it was handled (it is not written: the transport writes one warn line per refusal).
 */
export function sdkRefusal(text: string): boolean {
  if (!SDK_REFUSAL.test(text)) return false;
  const store = request.getStore();
  // "JWT validation failed: Invalid token" follows the line that said why; the first reason stands.
  // Alone (a check that throws without logging first) it carries the SDK's words after its own.
  if (store && store.reason === null) {
    const summary = /^JWT validation failed:?\s*/.exec(text);
    const reason = tokenRefusalReason(summary ? text.slice(summary[0].length) : text);
    if (!summary || reason !== 'invalid') {
      store.reason = reason;
      store.detail = text.slice(0, 200);
    }
  }
  return true;
}
