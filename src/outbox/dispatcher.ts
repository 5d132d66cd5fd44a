// Drains the outbox: claims due messages (FOR UPDATE SKIP LOCKED, so two processes never take the
// same row), sends each through its platform's Messenger, records the platform's message id, and
// on failure retries with back-off until it gives up and marks the message dead. Updates and thread
// replies wait for their parent post to be sent.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../log.ts';
import type { Message } from '../messages/types.ts';
import type { Messenger, PlatformName, SentMessage } from '../ports.ts';

/** Seconds to wait after the nth failure (1-based); after the last, the message is dead. */
export const BACKOFF_SECONDS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600];
/** A claimed message is retried after this if the process dies while sending it. */
export const CLAIM_SECONDS = 120;
const BATCH = 50;
/** Waits between attempts to record a message the platform accepted (about 30 s in all). */
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
}

export interface DrainSummary {
  [key: string]: number;
  sent: number;
  failed: number;
  dead: number;
  waiting: number;
}

export class OutboxDispatcher {
  constructor(
    private readonly db: PrismaClient,
    private readonly messengers: Map<PlatformName, Messenger>,
    private readonly log: Logger,
  ) {}

  /** Send everything due at `now` (repeating until nothing due is left). */
  async drain(now: Date): Promise<DrainSummary> {
    const total: DrainSummary = { sent: 0, failed: 0, dead: 0, waiting: 0 };
    for (let round = 0; round < 100; round++) {
      const rows = await this.claim(now);
      if (!rows.length) break;
      for (const row of rows) {
        const r = await this.sendOne(row, now);
        total[r]++;
      }
      if (rows.length < BATCH) break;
    }
    if (total.sent || total.failed || total.dead) this.log.info(total, 'outbox drained');
    return total;
  }

  private async claim(now: Date): Promise<ClaimedRow[]> {
    const platforms = [...this.messengers.keys()];
    if (!platforms.length) return [];
    const until = new Date(now.getTime() + CLAIM_SECONDS * 1000);
    return this.db.$queryRaw<ClaimedRow[]>`
      UPDATE outbound_message m SET next_attempt_at = ${until}
      WHERE m.id IN (
        SELECT id FROM outbound_message
        WHERE state = 'pending' AND next_attempt_at <= ${now} AND platform::text = ANY(${platforms})
        ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.idempotency_key, m.platform::text AS platform, m.channel, m.person_id, m.purpose,
                m.action::text AS action, m.parent_id, m.payload, m.attempts`;
  }

  private async sendOne(row: ClaimedRow, now: Date): Promise<'sent' | 'failed' | 'dead' | 'waiting'> {
    const messenger = this.messengers.get(row.platform)!;
    let parent: SentMessage | null = null;
    if (row.parent_id !== null) {
      const p = await this.db.outboundMessage.findUnique({ where: { id: row.parent_id }, select: { state: true, messageId: true, postedChannel: true } });
      if (!p || p.state === 'dead') return this.fail(row, now, new Error('the message it updates or replies to could not be sent'), true);
      if (p.state !== 'sent' || !p.messageId || !p.postedChannel) {
        // Parent not out yet: look again shortly, without counting an attempt.
        await this.db.outboundMessage.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(now.getTime() + 5000) } });
        return 'waiting';
      }
      parent = { messageId: p.messageId, channel: p.postedChannel };
    }
    let sent: SentMessage;
    try {
      if (row.action === 'update') {
        await messenger.update(parent!, row.payload);
        sent = parent!;
      } else {
        const target = { kind: row.person_id !== null ? ('person' as const) : ('channel' as const), id: row.channel };
        sent = await messenger.post(target, row.payload, parent ? { threadOf: parent } : {});
      }
    } catch (e) {
      return this.fail(row, now, e, false);
    }
    await this.recordSent(row, now, sent);
    return 'sent';
  }

  /**
   * The platform has the message: recording that must not fail on a passing database fault (a
   * restart, a dropped connection), or the claim would expire and the message be posted again. Try
   * for about half a minute before giving up; the message is then sent again later (at least once).
   */
  private async recordSent(row: ClaimedRow, now: Date, sent: SentMessage): Promise<void> {
    const data = { state: 'sent' as const, attempts: { increment: 1 }, sentAt: now, messageId: sent.messageId, postedChannel: sent.channel, lastError: null };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.outboundMessage.update({ where: { id: row.id }, data });
        return;
      } catch (e) {
        const wait = RECORD_RETRY_MS[attempt];
        if (wait === undefined) {
          this.log.error({ err: e, key: row.idempotency_key }, 'outbox: sent, but could not record it; it will be sent again');
          throw e;
        }
        this.log.warn({ err: (e as Error).message, key: row.idempotency_key, retryInMs: wait }, 'outbox: sent, recording it failed; trying again');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async fail(row: ClaimedRow, now: Date, e: unknown, permanent: boolean): Promise<'failed' | 'dead'> {
    const attempts = row.attempts + 1;
    const error = describe(e);
    const dead = permanent || isPermanent(e) || attempts > BACKOFF_SECONDS.length;
    const next = new Date(now.getTime() + (BACKOFF_SECONDS[Math.min(attempts, BACKOFF_SECONDS.length) - 1] ?? 3600) * 1000);
    await this.db.outboundMessage.update({
      where: { id: row.id },
      data: { attempts, lastError: error.slice(0, 1000), state: dead ? 'dead' : 'pending', nextAttemptAt: next },
    });
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

/** Errors a retry cannot fix: Slack's answers about the channel, user or payload, or any error a messenger marks `permanent` (Teams' 403/404/413…). */
const PERMANENT = new Set(['channel_not_found', 'user_not_found', 'is_archived', 'invalid_blocks', 'msg_too_long', 'not_authed', 'invalid_auth', 'account_inactive', 'cant_update_message', 'message_not_found', 'user_disabled']);

function isPermanent(e: unknown): boolean {
  if ((e as { permanent?: unknown }).permanent === true) return true;
  const code = (e as { data?: { error?: string } }).data?.error;
  return code !== undefined && PERMANENT.has(code);
}
