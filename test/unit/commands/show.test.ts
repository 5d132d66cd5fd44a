// /kpi show on the memory repository: the full picture of one indicator, or help finding it.
import { describe, expect, it } from 'vitest';
import { useBot, buttons, messageOf, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { showIndicator } from '../../../commands/show.ts';

describe('/kpi show', () => {
  const b = useBot();
  const show = (q: string) => runSlashCommand(b.deps, b.as(b.council.officer), `/kpi show ${q}`);

  it('posts status, target, direction, the last periods, the owner and a chart to the channel', async () => {
    const { absence, owner } = b.council;
    const r = await show(absence.ref!);
    expect(r).toMatchObject({ kind: 'message', visibility: 'channel' });
    const text = said(r);
    expect(text).toContain('Red: 10.49 days against a target of 8.5 days (amber up to 9.35 days); declining from 8.9 days in Q2.');
    expect(text).toContain(`Owner: <@person:${owner.id}>`);
    expect(text).toContain('2017/18 Q3 | 10.49 days | 8.5 days | Red\n2017/18 Q2 | 8.9 days | 8.5 days | Amber\n2017/18 Q1 | 8.1 days | 8.5 days | Green');
    expect(messageOf(r).blocks.find((x) => x.type === 'chart')).toMatchObject({ title: `${absence.slug} trend` });
    expect(buttons(r).map((x) => x.id)).toEqual(['open-submit', 'open-exception']);
  });

  it('offers no exception report once one is approved', async () => {
    const { absence } = b.council;
    await b.repo.saveExceptionReport({ indicatorId: absence.id, periodKey: '2017/18 Q3', questions: ['Why?'], answers: ['Winter flu.'], state: 'approved', authorId: null }, { expectedVersion: null });
    const r = await showIndicator(b.deps, absence);
    expect(buttons(r).map((x) => x.id)).toEqual(['open-submit']);
    expect(said(r)).toContain('Exception report for 2017/18 Q3: approved');
  });

  it('leaves a value for a period not yet begun out of the picture', async () => {
    const { absence } = b.council;
    // Stored as an old import might have; imports and saves now refuse it.
    await b.load({ values: [{ slug: absence.slug, observations: [{ periodKey: '2018/19 Q1', value: 7.2 }] }] });
    const text = said(await showIndicator(b.deps, (await b.repo.indicator(absence.id))!));
    expect(text).toContain('Latest: 10.49 days · 2017/18 Q3');
    expect(text).not.toContain('2018/19 Q1');
  });

  it('asks which one when several match, and suggests or points to the list when none does', async () => {
    const several = await show(b.council.tag);
    expect(several).toMatchObject({ kind: 'message', visibility: 'private' });
    expect(said(several)).toContain(`Several indicators match "${b.council.tag}". Which one?`);
    expect(buttons(several).map((x) => x.id)).toEqual(['show', 'show', 'show']);
    expect(said(await show('nothingatall'))).toContain('No indicator matches "nothingatall".');
    expect(said(await show(''))).toContain('Which indicator? Give its short name, reference or part of its name.');
  });
});
