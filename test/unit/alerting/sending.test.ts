// Alerting's sending stage alone: items go into the outbox once by key; a post counts when queued here.
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../../src/ports.ts';
import { send, tally } from '../../../src/alerting/sending.ts';
import { message } from '../../../src/messages/build.ts';

const to = { kind: 'channel' as const, platform: 'slack' as const, channelId: 'CPERF' };
const item = (key: string, action: OutboxItem['action'] = 'post'): OutboxItem => ({ key, purpose: 'alert', to, action, message: message(key) });

describe('sending', () => {
  it('queues each item once; a post another process queued first does not count again, an edit always does', async () => {
    const keys = new Set<string>();
    const outbox = { enqueue: async (i: OutboxItem) => !keys.has(i.key) && !!keys.add(i.key) };
    const now = new Date('2018-02-05T09:00:00Z');
    const post = { effect: 'post' as const, items: [item('alert:1')] };
    const edit = { effect: 'update' as const, items: [item('alert-update:2', 'update'), item('alert-reply:2', 'reply')] };
    const summary = { alerts: 0, updates: 0 };
    tally(summary, await send(outbox, post, now));
    tally(summary, await send(outbox, post, now));
    tally(summary, await send(outbox, edit, now));
    tally(summary, await send(outbox, { effect: 'none', items: [] }, now));
    expect(summary).toEqual({ alerts: 1, updates: 1 });
    expect([...keys]).toEqual(['alert:1', 'alert-update:2', 'alert-reply:2']);
  });
});
