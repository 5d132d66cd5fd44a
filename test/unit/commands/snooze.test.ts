// The "snooze" button of an alert on the memory repository: no new alerts for the indicator until then.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, said, type TestBot } from '../../support/bot.ts';
import { snoozeIndicator } from '../../../commands/snooze.ts';

describe('snoozing alerts', () => {
  let b: TestBot;
  let value: string;
  beforeEach(async () => {
    b = await aBot();
    value = JSON.stringify({ indicatorId: b.council.absence.id, days: 7 });
  });

  it('snoozes for the owner, deputy, director or an admin, audited', async () => {
    const { director, absence } = b.council;
    expect(said(await snoozeIndicator(b.deps, b.as(director), value))).toContain(`🔕 Alerts for **${absence.slug}** are snoozed until 12 Feb 2018.`);
    expect(await b.repo.snoozedIndicatorIds(new Date('2018-02-12T08:59:59Z'))).toEqual(new Set([absence.id]));
    expect(await b.repo.snoozedIndicatorIds(new Date('2018-02-12T09:00:00Z'))).toEqual(new Set());
    expect(b.repo.auditLog().at(-1)).toMatchObject({ action: 'alert.snooze', actorId: director.id, entityId: String(absence.id), details: { days: 7 } });
  });

  it('refuses anyone else, and a button that was changed', async () => {
    await expect(snoozeIndicator(b.deps, b.as(b.council.officer), value)).rejects.toThrow(`Only the owner, deputy, director or a performance admin can snooze alerts for ${b.council.absence.slug}.`);
    await expect(snoozeIndicator(b.deps, b.as(b.council.owner), JSON.stringify({ indicatorId: b.council.absence.id, days: 400 }))).rejects.toThrow('That button or form is out of date.');
    expect(await b.repo.snoozedIndicatorIds(b.clock.now())).toEqual(new Set());
  });
});
