// Alerting, stage 5 — sending: a notification's items go into the outbox (src/outbox), whose keys make
// each exactly once however many processes queue it; the outbox sender delivers them. Counts what was
// done for the job's summary: a post counts when this process queued it, an edit whenever it is due.
import type { Outbox } from '../ports.ts';
import type { Notification } from './notification.ts';

export interface Sent {
  posted: number;
  updated: number;
}

export async function send(outbox: Pick<Outbox, 'enqueue'>, n: Notification, now: Date): Promise<Sent> {
  let queued = 0;
  for (const item of n.items) if (await outbox.enqueue(item, now)) queued++;
  return { posted: n.effect === 'post' && queued ? 1 : 0, updated: n.effect === 'update' ? 1 : 0 };
}

/** Add one channel's counts to a job's summary. */
export function tally(summary: { alerts: number; updates: number }, s: Sent): void {
  summary.alerts += s.posted;
  summary.updates += s.updated;
}
