// The permission matrix: every action × every role, through the same dispatcher Slack, Teams and the
// console call, on a real database. Each cell says allowed or refused, and "allowed" is proved by
// what changed in the database (or what came back), "refused" by a polite answer and no change.
// Runs on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { createServices } from '../../src/wiring.ts';
import { createDispatcher, type Dispatcher } from '../../commands/dispatch.ts';
import { silentLogger } from '../../src/log.ts';
import type { Actor, ChartRenderer, DocumentRenderer } from '../../src/ports.ts';
import type { CommandResult } from '../../src/messages/types.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const ROLES = {
  owner: 'gareth.lloyd@trafford.example', // owns street-cleanliness
  deputy: 'nadia.rahman@trafford.example', // Gareth's deputy
  director: 'helen.carter@trafford.example', // director of the theme
  'performance admin': 'priya.shah@trafford.example',
  'other member': 'emma.walsh@trafford.example', // an officer who owns other indicators
  'unknown user': null, // a chat user the register does not know
} as const;
type Role = keyof typeof ROLES;

type Outcome = 'allowed' | 'refused';
const A: Outcome = 'allowed';
const R: Outcome = 'refused';

/** Who may do what. */
const MATRIX: Record<string, Record<Role, Outcome>> = {
  show: { owner: A, deputy: A, director: A, 'performance admin': A, 'other member': A, 'unknown user': A },
  list: { owner: A, deputy: A, director: A, 'performance admin': A, 'other member': A, 'unknown user': A },
  submit: { owner: A, deputy: A, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  correct: { owner: A, deputy: A, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  'correct a signed-off quarter': { owner: R, deputy: R, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  'write an exception report': { owner: A, deputy: A, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  'approve an exception report': { owner: R, deputy: R, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  'close a quarter': { owner: R, deputy: R, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  import: { owner: R, deputy: R, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
  report: { owner: R, deputy: R, director: R, 'performance admin': A, 'other member': R, 'unknown user': R },
};

const noCharts: ChartRenderer = {
  render: async () => {
    throw new Error('no chart is drawn in the permission matrix');
  },
};
const noDocuments: DocumentRenderer = {
  pdf: async () => {
    throw new Error('no PDF is printed in the permission matrix');
  },
};

/** A one-indicator register as a performance team would upload it. */
const REGISTER_CSV = [
  'Slug,Name,Theme,Owner,Unit,Polarity,Frequency,Target 2017/18 Q4',
  'matrix-check,Permission matrix check indicator,Matrix,gareth.lloyd@trafford.example,%,higher,quarterly,90%',
].join('\n');

const textOf = (r: CommandResult) => JSON.stringify(r);
const REFUSAL = /only (the owner|performance admins)|not in the indicator register|Only a performance admin|signed off/;

describe.each(backends('both'))('permission matrix on %s', (backend) => {
  let db: TestDatabase;
  let dispatcher: Dispatcher;
  let streetId: number;
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  const actors = {} as Record<Role, Actor>;

  const observations = (periodKey: string) => db.prisma.observation.count({ where: { indicatorId: streetId, periodKey } });

  /** Each action: put the data in the state it needs, try it as the actor, say whether it happened. */
  const ACTIONS: Record<string, (actor: Actor) => Promise<Outcome>> = {
    async show(actor) {
      const r = await dispatcher.slash(actor, 'show street-cleanliness');
      return r.kind === 'message' && r.visibility === 'channel' && textOf(r).includes('83.8%') ? A : R;
    },
    async list(actor) {
      const r = await dispatcher.slash(actor, 'list red');
      return textOf(r).includes('third-sector-support') ? A : R;
    },
    async submit(actor) {
      await db.prisma.observation.deleteMany({ where: { indicatorId: streetId, periodKey: '2017/18 Q4' } });
      const r = await dispatcher.slash(actor, 'submit street-cleanliness 2017/18 Q4 84.5');
      return outcome(r, (await observations('2017/18 Q4')) === 1);
    },
    async correct(actor) {
      const before = await observations('2017/18 Q3');
      const r = await submitAndConfirm(actor, 'submit street-cleanliness 2017/18 Q3 84.2');
      return outcome(r, (await observations('2017/18 Q3')) === before + 1);
    },
    async 'correct a signed-off quarter'(actor) {
      await db.prisma.periodLock.upsert({
        where: { periodKey: '2017/18 Q2' },
        create: { periodKey: '2017/18 Q2', periodStart: new Date('2017-07-01'), periodEnd: new Date('2017-09-30'), closedAt: clock.now() },
        update: {},
      });
      const before = await observations('2017/18 Q2');
      // Inline, the note is the reason a signed-off period needs.
      const r = await submitAndConfirm(actor, 'submit street-cleanliness 2017/18 Q2 88 the contractor re-surveyed two wards');
      return outcome(r, (await observations('2017/18 Q2')) === before + 1);
    },
    async 'write an exception report'(actor) {
      await db.prisma.exceptionReport.deleteMany({ where: { indicatorId: streetId, periodKey: '2017/18 Q4' } });
      await db.prisma.observation.deleteMany({ where: { indicatorId: streetId, periodKey: '2017/18 Q4' } });
      const owner = await db.prisma.person.findFirstOrThrow({ where: { email: ROLES.owner } });
      const p = periodFromKey('2017/18 Q4');
      await db.prisma.observation.create({
        data: { indicatorId: streetId, periodKey: p.key, periodStart: new Date(p.start), periodEnd: new Date(p.end), version: 1, latest: true, value: 70, source: 'test', submittedById: owner.id, submittedAt: clock.now() },
      });
      const answers = { q0: 'Two crews were off sick through November.', q1: 'Litter stays longer in three wards.', q2: 'Agency cover from January onwards.' };
      const r = await dispatcher.submitForm(actor, 'exception', JSON.stringify({ indicatorId: streetId, periodKey: '2017/18 Q4' }), answers);
      const saved = await db.prisma.exceptionReport.count({ where: { indicatorId: streetId, periodKey: '2017/18 Q4', state: 'submitted' } });
      return outcome(r, saved === 1);
    },
    async 'approve an exception report'(actor) {
      const report = await db.prisma.exceptionReport.findFirstOrThrow({ where: { indicatorId: streetId, periodKey: '2017/18 Q3' } });
      const { version } = await db.prisma.exceptionReport.update({ where: { id: report.id }, data: { state: 'submitted', reviewerId: null, reviewedAt: null } });
      // The button of the review request: it names the version it showed.
      const r = await dispatcher.action(actor, 'approve-exception', JSON.stringify({ exceptionReportId: report.id, version }));
      const state = (await db.prisma.exceptionReport.findUniqueOrThrow({ where: { id: report.id } })).state;
      return outcome(r, state === 'approved');
    },
    async 'close a quarter'(actor) {
      await db.prisma.periodLock.deleteMany({ where: { periodKey: '2017/18 Q3' } });
      const r = await dispatcher.slash(actor, 'close-quarter 2017/18 Q3');
      const confirm = r.kind === 'message' ? r.message.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).find((a) => a.id === 'confirm-close-quarter') : undefined;
      const done = confirm ? await dispatcher.action(actor, 'confirm-close-quarter', confirm.value) : r;
      return outcome(done, (await db.prisma.periodLock.count({ where: { periodKey: '2017/18 Q3' } })) === 1);
    },
    async import(actor) {
      await db.prisma.indicator.deleteMany({ where: { slug: 'matrix-check' } });
      const bytes = new TextEncoder().encode(REGISTER_CSV);
      const r = await settled(await dispatcher.fileShared(actor, { name: 'register.csv', size: bytes.length, read: async () => bytes }, ''));
      return outcome(r, (await db.prisma.indicator.count({ where: { slug: 'matrix-check' } })) === 1);
    },
    async report(actor) {
      const r = await settled(await dispatcher.slash(actor, 'report 2017/18 Q3 md'));
      const attached = r.kind === 'message' && r.message.blocks.some((b) => b.type === 'file' && b.file.filename.endsWith('.md'));
      return outcome(r, attached);
    },
  };

  /** The deferred part of a result (a report being made, an import being checked), as the platform would run it. */
  async function settled(r: CommandResult): Promise<CommandResult> {
    return r.kind === 'deferred' ? settled(await r.result()) : r;
  }

  /** Submit inline; when asked to confirm a correction, confirm it (with a reason when a form asks for one). */
  async function submitAndConfirm(actor: Actor, text: string): Promise<CommandResult> {
    const r = await dispatcher.slash(actor, text);
    if (r.kind === 'form' && r.form.id === 'confirm-correction') {
      return dispatcher.submitForm(actor, 'confirm-correction', r.form.state, { reason: 'the contractor re-surveyed two wards' });
    }
    const blocks = r.kind === 'message' ? r.message.blocks : [];
    const confirm = blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).find((a) => a.id === 'confirm-correction');
    return confirm ? dispatcher.action(actor, 'confirm-correction', confirm.value) : r;
  }

  /** Allowed when the change happened; refused only with a polite refusal and no change. */
  function outcome(r: CommandResult, changed: boolean): Outcome {
    if (changed) return A;
    expect(textOf(r), 'a refusal says why').toMatch(REFUSAL);
    return R;
  }

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db);
    const { deps, repo } = createServices({ prisma: db.prisma, clock, log: silentLogger, platforms: [], charts: noCharts, documents: noDocuments });
    dispatcher = createDispatcher(deps);
    streetId = (await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } })).id;
    const street = await db.prisma.indicator.findUniqueOrThrow({ where: { id: streetId }, select: { deputy: { select: { email: true } }, owner: { select: { email: true } }, theme: { select: { director: { select: { email: true } } } } } });
    // The matrix's people are who the demo says they are.
    expect([street.owner?.email, street.deputy?.email, street.theme?.director?.email]).toEqual([ROLES.owner, ROLES.deputy, ROLES.director]);
    for (const [role, email] of Object.entries(ROLES) as [Role, string | null][]) {
      actors[role] = { platform: 'slack', userId: `U-${role.replace(/\s/g, '-')}`, person: email ? await repo.personByEmail(email) : null };
      if (email) expect(actors[role].person, role).not.toBeNull();
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const [action, row] of Object.entries(MATRIX)) {
    it(`${action}: ${Object.entries(row).map(([role, o]) => `${role} ${o}`).join(', ')}`, async () => {
      const got: Record<string, Outcome> = {};
      for (const role of Object.keys(ROLES) as Role[]) got[role] = await ACTIONS[action]!(actors[role]);
      expect(got).toEqual(row);
    });
  }
});
