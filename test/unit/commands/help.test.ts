// /kpi help: what each person can do, with examples; anything unknown lands here too.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi help', () => {
  const b = useBot();

  it('shows an officer what everyone can do, and a performance admin the admin commands too', async () => {
    const officer = said(await runSlashCommand(b.deps, b.as(b.council.officer), '/kpi help'));
    expect(officer).toContain("`/kpi submit <indicator> [period] <value> [est] [prov] [note…]` — give a value (alone: a form); the note is a correction's reason");
    expect(officer).not.toContain('/kpi close-quarter');
    const admin = said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi'));
    expect(admin).toContain('`/kpi close-quarter <period>` — sign off a quarter: its report is kept as signed off and its values locked; to change one later, a performance admin submits it with the reason, and the report lists it apart (performance admins)');
    expect(admin).toContain('`/kpi subscribe [theme <name> | <indicator>] [red | declining | recovered | forecast | actions | risks | quartile | all]`');
  });

  it('answers an unknown command with the list, and tells someone not in the register they can only look', async () => {
    const r = said(await runSlashCommand(b.deps, b.as(null), '/kpi frobnicate'));
    expect(r).toContain("I don't know `frobnicate`. Here is what I can do:");
    expect(r).toContain('You are not linked to a person in the indicator register yet, so you can look but not submit.');
  });
});
