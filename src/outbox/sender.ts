// Drains the outbox: claims due messages, sends each through its platform's Messenger, records the
// platform's message id, and on failure retries with back-off until it gives up and marks the
// message dead. Updates and thread replies wait for their parent post to be sent.
//
// Exactly once across processes. A claim is a random token and a lease (`claimed_until`, by the
// database's clock, so processes with different clocks agree). While a message is being sent its
// lease is renewed every quarter of its length; before each call to the platform the sender checks
// the lease is still its own and will outlast the call, and every result is recorded only under its
// own token (a sender that lost its claim has its result discarded). This is the one place that
// retries later: a messenger's call is one attempt, or a few quick ones at most (each
// src/platforms/<name>/messenger.ts says which; SDK retries are off or short), a 429 puts the
// message back until its Retry-After, and anything else is retried with back-off. What a failure
// means (rate limited, permanent, may have been done) is the messenger's to say
// (Messenger.classify): only it knows its platform's error codes.
//
// A message goes out in parts — the text, then each chart or file — and what was delivered is
// recorded after each part, so a retry does only what is missing.
//
// A message the platform may already have and the bot cannot look for (Slack refused the look-up
// for want of a scope) is held: neither posted again (it could be a second post) nor retried on the
// back-off (waiting cannot give the bot the scope). Readiness (/readyz), the log and the performance
// admins' digest say so; at a start where the platform can look again (releaseHeld) it goes back to
// pending, is looked for, and is adopted or sent with its charts.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Message } from '../messages/types.ts';
import { NO_OBSERVER, type DeliveryFailure, type Messenger, type Observer, type PlatformName, type PostProgress, type SentMessage } from '../ports.ts';

/** Seconds to wait after the nth failure (1-based); after the last, the message is dead. */
export const BACKOFF_SECONDS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600];
/** A claimed message is retried after this if the process holding it dies (renewed while it sends). */
export const CLAIM_SECONDS = 120;
const BATCH = 20;
/** Waits between attempts to record what the platform accepted (about 30 s in all). */
const RECORD_RETRY_MS = [100, 250, 500, 1000, 2000, 4000, 8000, 15000];

interface ClaimedRow {
  id: number;
  idempotency_key: string;
  platform: PlatformName;
  channel: string;
  person_id: number | null;
  purpose: string;
  action: 'post' | 'update' | 'reply';
  parent_id: number | null;
  payload: Message;
  attempts: number;
  progress: PostProgress | null;
  /** An earlier attempt may have reached the platform: it timed out, its answer was lost, or its process died. */
  outcome_unknown: boolean;
  created_at: Date;
}

export interface DrainSummary {
  [key: string]: number;
  sent: number;
  failed: number;
  dead: number;
  waiting: number;
  /** Put back until the platform's Retry-After. */
  ratelimited: number;
  /** May have been posted and cannot be looked for: held for an admin. */
  held: number;
}

export interface OutboxSenderOptions {
  /** How long a claim lasts without renewal (default CLAIM_SECONDS). */
  claimSeconds?: number;
  /** The longest one call to a platform may take: a call is started only while the lease outlasts it. */
  callTimeoutMs?: number;
  /** Told the outcome of every attempt (the metrics' kpi_outbox_sends_total). */
  observe?: Observer;
}

/** The claim as configured, and the longest call it must outlast (the slowest configured platform's: src/platforms/index.ts slowestCallMs). */
export function outboxOptions(config: Pick<Config, 'outboxClaimSeconds'>, callTimeoutMs: number): OutboxSenderOptions {
  return { claimSeconds: config.outboxClaimSeconds, callTimeoutMs: Math.max(callTimeoutMs, 1000) };
}

/** This sender no longer holds the message: another process may have it. Nothing more is sent or recorded. */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
}

/** The claims one drain holds, renewed in the background while it sends. */
class Lease {
  readonly token = randomUUID();
  private readonly held = new Set<number>();
  private readonly lost = new Set<number>();
  /** When the last renewal (or the claim) was sent, by this process's monotonic clock. */
  private confirmedAt = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;

  constructor(
    private readonly db: PrismaClient,
    private readonly claimMs: number,
    private readonly callTimeoutMs: number,
    private readonly log: Logger,
  ) {}

  claimed(ids: number[], at: number): void {
    for (const id of ids) this.held.add(id);
    this.confirmedAt = at;
    this.timer ??= setInterval(() => void this.renew(), Math.max(250, this.claimMs / 4));
  }

  done(id: number): void {
    this.held.delete(id);
  }

  /** Before a call to the platform: the claim must be ours and outlast the call. */
  guard(id: number): void {
    if (this.lost.has(id)) throw new ClaimLostError('another process has claimed this message');
    if (performance.now() - this.confirmedAt > this.claimMs - this.callTimeoutMs) {
      throw new ClaimLostError('the claim could not be renewed in time (database unreachable?)');
    }
  }

  private renew(): Promise<void> {
    if (this.renewing || !this.held.size) return this.renewing ?? Promise.resolve();
    const ids = [...this.held];
    const at = performance.now();
    this.renewing = (async () => {
      try {
        const rows = await this.db.$queryRaw<{ id: number }[]>`
          UPDATE outbound_message SET claimed_until = (clock_timestamp() AT TIME ZONE 'UTC') + make_interval(secs => ${this.claimMs / 1000})
          WHERE id = ANY(${ids}) AND claim_token = ${this.token} RETURNING id`;
        const kept = new Set(rows.map((r) => r.id));
        for (const id of ids) if (!kept.has(id) && this.held.has(id)) this.lost.add(id);
        this.confirmedAt = at;
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'outbox: could not renew the claim; trying again');
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
    if (!this.held.size) return;
    // Claimed but not sent (a rate limit stopped this drain): free them for the next drain at once.
    const ids = [...this.held];
    this.held.clear();
    await this.db.$executeRaw`
      UPDATE outbound_message SET claim_token = NULL, claimed_until = NULL WHERE id = ANY(${ids}) AND claim_token = ${this.token}`.catch(() => {});
  }
}

export class OutboxSender {
  private readonly claimMs: number;
  private readonly callTimeoutMs: number;
  private readonly observe: Observer;
  private stopping = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly messengers: Map<PlatformName, Messenger>,
    private readonly log: Logger,
    opts: OutboxSenderOptions = {},
  ) {
    this.claimMs = (opts.claimSeconds ?? CLAIM_SECONDS) * 1000;
    this.callTimeoutMs = Math.min(opts.callTimeoutMs ?? 30_000, this.claimMs / 2);
    this.observe = opts.observe ?? NO_OBSERVER;
  }

  /**
   * The process is stopping: a drain under way finishes the message it is sending and stops there;
   * what it had claimed and not sent goes back to the outbox at once, for the next process.
   */
  stop(): void {
    this.stopping = true;
  }

  /** Send everything due at `now` (repeating until nothing due is left, or the process stops). */
  async drain(now: Date): Promise<DrainSummary> {
    const total: DrainSummary = { sent: 0, failed: 0, dead: 0, waiting: 0, ratelimited: 0, held: 0 };
    const lease = new Lease(this.db, this.claimMs, this.callTimeoutMs, this.log);
    /** Platforms that said "slow down" in this drain: their messages wait for the next one. */
    const paused = new Map<PlatformName, number>();
    try {
      for (let round = 0; round < 100 && !this.stopping; round++) {
        const platforms = [...this.messengers.keys()].filter((p) => !paused.has(p));
        const rows = await this.claim(now, lease, platforms);
        if (!rows.length) break;
        for (const row of rows) {
          if (this.stopping) break;
          const wait = paused.get(row.platform);
          const r = wait !== undefined ? await this.putBack(row, lease, now, wait) : await this.sendOne(row, lease, now);
          if (typeof r === 'object') {
            paused.set(row.platform, r.retryAfter);
            total.ratelimited++;
          } else total[r]++;
          this.observe.sent(row.platform, typeof r === 'object' ? 'ratelimited' : r);
          lease.done(row.id);
        }
        if (rows.length < BATCH) break;
      }
    } finally {
      await lease.stop();
    }
    if (total.sent || total.failed || total.dead || total.ratelimited || total.held) this.log.info(total, 'outbox drained');
    return total;
  }

  private async claim(now: Date, lease: Lease, platforms: PlatformName[]): Promise<ClaimedRow[]> {
    if (!platforms.length) return [];
    const at = performance.now();
    // A row still carrying another claim's token was being sent by a process that died: what it
    // sent is not known.
    const rows = await this.db.$queryRaw<ClaimedRow[]>`
      WITH due AS (
        SELECT id, claim_token IS NOT NULL AS abandoned FROM outbound_message
        WHERE state = 'pending' AND next_attempt_at <= ${now} AND platform::text = ANY(${platforms})
          AND (claimed_until IS NULL OR claimed_until < (clock_timestamp() AT TIME ZONE 'UTC'))
        ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      UPDATE outbound_message m SET claim_token = ${lease.token},
             claimed_until = (clock_timestamp() AT TIME ZONE 'UTC') + make_interval(secs => ${this.claimMs / 1000}),
             outcome_unknown = m.outcome_unknown OR due.abandoned
      FROM due WHERE m.id = due.id
      RETURNING m.id, m.idempotency_key, m.platform::text AS platform, m.channel, m.person_id, m.purpose,
                m.action::text AS action, m.parent_id, m.payload, m.attempts, m.progress, m.outcome_unknown, m.created_at`;
    rows.sort((a, b) => a.id - b.id);
    lease.claimed(
      rows.map((r) => r.id),
      at,
    );
    return rows;
  }

  /** Update a claimed row, only while this drain still holds it. False when the claim was lost. */
  private async fenced(row: ClaimedRow, lease: Lease, set: Parameters<PrismaClient['outboundMessage']['updateMany']>[0]['data']): Promise<boolean> {
    const r = await this.db.outboundMessage.updateMany({ where: { id: row.id, claimToken: lease.token }, data: set });
    return r.count === 1;
  }

  /**
   * Held messages of this platform go back to pending, due now (their outcome still unknown, so each
   * is looked for before it is posted): for a start at which the platform can look for posts again.
   */
  async releaseHeld(platform: PlatformName, now: Date): Promise<number> {
    const n = await this.db.outboundMessage.updateMany({ where: { state: 'held', platform }, data: { state: 'pending', nextAttemptAt: now, outcomeUnknown: true } });
    if (n.count) this.log.info({ platform, messages: n.count }, 'outbox: held messages released: each is looked for, then adopted or sent');
    return n.count;
  }

  private async sendOne(row: ClaimedRow, lease: Lease, now: Date): Promise<'sent' | 'failed' | 'dead' | 'waiting' | 'held' | { retryAfter: number }> {
    const messenger = this.messengers.get(row.platform)!;
    let parent: SentMessage | null = null;
    if (row.parent_id !== null) {
      const p = await this.db.outboundMessage.findUnique({ where: { id: row.parent_id }, select: { state: true, messageId: true, postedChannel: true } });
      if (!p || p.state === 'dead') return this.fail(row, lease, now, new Error('the message it updates or replies to could not be sent'), { kind: 'permanent' });
      if (p.state !== 'sent' || !p.messageId || !p.postedChannel) {
        // Parent not out yet: look again shortly, without counting an attempt.
        await this.fenced(row, lease, { nextAttemptAt: new Date(now.getTime() + 5000), claimToken: null, claimedUntil: null });
        return 'waiting';
      }
      parent = { messageId: p.messageId, channel: p.postedChannel };
    }
    let sent: SentMessage;
    try {
      const guard = () => lease.guard(row.id);
      if (row.action === 'update') {
        // The edit's redrawn charts go up first where a platform uploads them: what was uploaded is recorded, so a retry does not upload it twice.
        guard();
        await messenger.update(parent!, row.payload, { resume: row.progress, guard, progress: (p) => this.recordProgress(row, lease, p) });
        sent = parent!;
      } else {
        const target = { kind: row.person_id !== null ? ('person' as const) : ('channel' as const), id: row.channel };
        sent = await messenger.post(target, row.payload, {
          ...(parent ? { threadOf: parent } : {}),
          key: row.idempotency_key,
          resume: row.progress,
          outcomeUnknown: row.outcome_unknown,
          queuedAt: row.created_at,
          guard,
          progress: (p) => this.recordProgress(row, lease, p),
        });
      }
    } catch (e) {
      if (e instanceof ClaimLostError) {
        this.log.warn({ key: row.idempotency_key, reason: e.message }, 'outbox: stopped sending a message this process no longer holds');
        return 'waiting';
      }
      const failure = messenger.classify(e);
      // A platform's "slow down": the message waits that long and no attempt is counted.
      if (failure.kind === 'rate-limited') return this.putBack(row, lease, now, failure.retryAfterSeconds);
      if (failure.kind === 'unconfirmable') return this.hold(row, lease, failure.reason);
      return this.fail(row, lease, now, e, failure);
    }
    await this.recordSent(row, lease, now, sent);
    return 'sent';
  }

  /** Rate limited: the message waits for the platform's Retry-After; that is not a failed attempt. */
  private async putBack(row: ClaimedRow, lease: Lease, now: Date, seconds: number): Promise<{ retryAfter: number }> {
    await this.fenced(row, lease, { nextAttemptAt: new Date(now.getTime() + Math.max(1, seconds) * 1000), claimToken: null, claimedUntil: null });
    return { retryAfter: seconds };
  }

  /**
   * The platform has (part of) the message: recording that must not fail on a passing database
   * fault (a restart, a dropped connection), or it would be sent again. Try for about half a minute.
   */
  private async recordWithRetry(row: ClaimedRow, what: string, write: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let kept: boolean;
      try {
        kept = await write();
      } catch (e) {
        const wait = RECORD_RETRY_MS[attempt];
        if (wait === undefined) {
          this.log.error({ err: e, key: row.idempotency_key }, `outbox: ${what}, but could not record it; it will be sent again`);
          throw e;
        }
        this.log.warn({ err: (e as Error).message, key: row.idempotency_key, retryInMs: wait }, `outbox: ${what}, recording it failed; trying again`);
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (!kept) throw new ClaimLostError(`${what}, but another process has claimed the message since`);
      return;
    }
  }

  private recordProgress(row: ClaimedRow, lease: Lease, p: PostProgress): Promise<void> {
    return this.recordWithRetry(row, 'part sent', () => this.fenced(row, lease, { progress: p as object }));
  }

  private async recordSent(row: ClaimedRow, lease: Lease, now: Date, sent: SentMessage): Promise<void> {
    const data = { state: 'sent' as const, attempts: { increment: 1 }, sentAt: now, messageId: sent.messageId, postedChannel: sent.channel, lastError: null, claimToken: null, claimedUntil: null, outcomeUnknown: false };
    try {
      await this.recordWithRetry(row, 'sent', () => this.fenced(row, lease, data));
    } catch (e) {
      if (!(e instanceof ClaimLostError)) throw e;
      this.log.error({ key: row.idempotency_key }, 'outbox: sent after its claim was lost; not recorded twice');
    }
  }

  /** It may have been posted and cannot be looked for: held for an admin, with the reason; not retried. */
  private async hold(row: ClaimedRow, lease: Lease, reason: string): Promise<'held'> {
    await this.fenced(row, lease, { state: 'held', attempts: row.attempts + 1, lastError: reason.slice(0, 1000), outcomeUnknown: true, claimToken: null, claimedUntil: null });
    this.log.error({ key: row.idempotency_key, platform: row.platform, channel: row.channel, purpose: row.purpose, reason }, 'outbox: message held for an admin: it may already have been posted, and the bot cannot look');
    return 'held';
  }

  private async fail(row: ClaimedRow, lease: Lease, now: Date, e: unknown, failure: DeliveryFailure): Promise<'failed' | 'dead'> {
    const attempts = row.attempts + 1;
    const error = describe(e);
    const dead = failure.kind === 'permanent' || attempts > BACKOFF_SECONDS.length;
    const next = new Date(now.getTime() + (BACKOFF_SECONDS[Math.min(attempts, BACKOFF_SECONDS.length) - 1] ?? 3600) * 1000);
    await this.fenced(row, lease, { attempts, lastError: error.slice(0, 1000), state: dead ? 'dead' : 'pending', nextAttemptAt: next, claimToken: null, claimedUntil: null, ...(failure.kind === 'transient' && failure.outcomeUnknown ? { outcomeUnknown: true } : {}) });
    const ctx = { key: row.idempotency_key, platform: row.platform, attempts, error };
    if (dead) this.log.error(ctx, 'outbox: message given up');
    else this.log.warn({ ...ctx, retryAt: next.toISOString() }, 'outbox: send failed, will retry');
    return dead ? 'dead' : 'failed';
  }
}

function describe(e: unknown): string {
  const code = (e as { data?: { error?: string } }).data?.error;
  return code ? `${code}: ${(e as Error).message}` : e instanceof Error ? e.message : String(e);
}

