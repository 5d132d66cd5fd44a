// Writing a register in memory: the RegisterTx of src/register/write.ts over the memory store's
// tables, in the store's transaction (a refused file or a dry run leaves every table as it was).
// Indicators are compared in the same text columns the database gives the writer.
import { MemoryActionStore } from './actions.ts';
import { MemoryRiskStore } from './risks.ts';
import type { Register, WriteOptions, WriteSummary } from '../../../src/register/types.ts';
import { PLATFORM_NAMES } from '../../../src/catalogue/platforms.ts';
import { indicatorColumns, unitKey, writeRegister, type IndicatorColumns, type RegisterTx } from '../../../src/register/write.ts';
import type { PlatformName } from '../../../src/ports.ts';
import type { Aggregation, DotBasis, Frequency, Polarity } from '../../../src/domain/types.ts';
import { copy, storedAudit, type IndicatorRow, type MemoryStore } from './store.ts';
import { storedOrg, toBand } from '../../../src/repo/org.ts';

export function writeRegisterIn(store: MemoryStore, reg: Register, opts: WriteOptions): Promise<WriteSummary> {
  return writeRegister((work) => store.transaction(() => work(memoryRegisterTx(store, opts.at))), reg, opts);
}

const num = (s: string | null) => (s === null ? null : Number(s));

/** An indicator as the text columns the writer compares. */
const columnsOf = (i: IndicatorRow): IndicatorColumns & { id: number } => ({ id: i.id, ...indicatorColumns(i) });

/** The text columns as an indicator row (the database's column types and defaults). */
function rowOf(c: IndicatorColumns, id: number): IndicatorRow {
  return {
    id,
    ref: c.ref,
    slug: c.slug!,
    name: c.name!,
    definition: c.definition,
    themeId: num(c.theme_id),
    ownerId: num(c.owner_id),
    deputyId: num(c.deputy_id),
    unit: c.unit!,
    polarity: c.polarity as Polarity,
    frequency: c.frequency as Frequency,
    reportingLagDays: Number(c.reporting_lag_days),
    aggregation: c.aggregation as Aggregation,
    tolerance: c.tolerance_kind && c.tolerance_value !== null ? { kind: c.tolerance_kind as 'relative' | 'absolute', value: Number(c.tolerance_value) } : null,
    dotBasis: c.dot_basis as DotBasis | null,
    maintainedBand: toBand(c.maintained_band_kind as 'relative' | 'precision' | null, num(c.maintained_band)),
    decimals: Number(c.decimals),
    isKey: c.is_key === 'true',
    active: c.active === 'true',
    baseline: { value: num(c.baseline_value), period: c.baseline_period, text: c.baseline_text },
    formula: c.formula,
  };
}

/** `at`: the write's time, what a report's "updated at" says. */
function memoryRegisterTx(store: MemoryStore, at: Date): RegisterTx {
  const t = () => store.t;
  const person = (id: number) => {
    const p = t().people.find((x) => x.id === id);
    if (!p) throw new Error(`no person ${id}`);
    return p;
  };
  return {
    actions: new MemoryActionStore(store),
    risks: new MemoryRiskStore(store),
    async organisation() {
      return copy(t().org);
    },
    async saveOrganisation(o) {
      t().org = storedOrg(copy(o), t().org);
    },
    async peopleByEmail(emails) {
      return t()
        .people.filter((p) => p.email !== null && emails.includes(p.email))
        .map((p) => ({ id: p.id, email: p.email!, displayName: p.displayName, role: p.role, deputyId: p.deputyId, absentUntil: p.absentUntil, identities: t().identities.filter((i) => i.personId === p.id).map((i) => ({ platform: i.platform, platformUserId: i.platformUserId, confirmed: i.confirmed })) }));
    },
    async createPerson(p) {
      if (t().people.some((x) => x.email === p.email)) throw new Error(`a person with the e-mail ${p.email} exists`);
      const id = store.nextId('person');
      t().people.push({ id, displayName: p.displayName, email: p.email, role: p.role, deputyId: null, absentUntil: p.absentUntil ?? null, active: true, successorId: null });
      return id;
    },
    async updatePerson(id, p) {
      Object.assign(person(id), p);
    },
    async linkFromSheet(personId, platform, userId, at) {
      t().identities = t().identities.filter((i) => !(i.platform === platform && !i.confirmed && (i.personId === personId || i.platformUserId === userId)));
      if (t().identities.some((i) => i.platform === platform && (i.personId === personId || i.platformUserId === userId))) return false;
      t().identities.push({ platform, platformUserId: userId, personId, linkedBy: 'import', linkedAt: at, confirmed: false });
      return true;
    },
    async forgetLookups(personId) {
      t().lookups = t().lookups.filter((l) => l.personId !== personId);
    },
    async themes() {
      return copy(t().themes);
    },
    async themeSlugTaken(slug) {
      return t().themes.some((x) => x.slug === slug);
    },
    async createTheme(theme) {
      if (t().themes.some((x) => x.slug === theme.slug || x.name === theme.name)) throw new Error(`a theme ${theme.name} (${theme.slug}) exists`);
      const id = store.nextId('theme');
      t().themes.push({ id, ...theme });
      return id;
    },
    async updateTheme(id, theme) {
      Object.assign(t().themes.find((x) => x.id === id)!, theme);
    },
    async indicatorColumns(slugs, refs) {
      return t()
        .indicators.filter((i) => slugs.includes(i.slug) || (i.ref !== null && refs.includes(i.ref)))
        .map(columnsOf);
    },
    async updateIndicators(rows) {
      for (const r of rows) {
        const i = t().indicators.findIndex((x) => x.id === r.id);
        t().indicators[i] = rowOf(r, r.id);
      }
    },
    async insertIndicators(rows) {
      const out = new Map<string, number>();
      for (const r of rows) {
        if (t().indicators.some((x) => x.slug === r.slug || (r.ref !== null && x.ref === r.ref))) throw new Error(`an indicator ${r.slug} exists`);
        const id = store.nextId('indicator');
        t().indicators.push(rowOf(r, id));
        out.set(r.slug!, id);
      }
      return out;
    },
    async indicatorsBySlug(slugs) {
      return new Map(t().indicators.filter((i) => slugs.includes(i.slug)).map((i) => [i.slug, { id: i.id, slug: i.slug, unit: i.unit, aggregation: i.aggregation, decimals: i.decimals }]));
    },
    async indicatorOwner(id) {
      return t().indicators.find((i) => i.id === id)?.ownerId ?? null;
    },
    async locks() {
      return copy(t().locks);
    },
    async printedValues(ids) {
      return t()
        .signedOffValues.filter((v) => ids.includes(v.indicatorId) && v.version !== null)
        .map((v) => ({ quarterKey: v.quarterKey, indicatorId: v.indicatorId, periodKey: v.periodKey }));
    },
    async targets(ids) {
      return t()
        .targets.filter((x) => ids.includes(x.indicatorId))
        .map((x) => ({ indicatorId: x.indicatorId, periodKey: x.periodKey, value: x.value, amberFloor: x.amberFloor, text: x.text }));
    },
    async upsertTargets(rows) {
      for (const r of rows) {
        const row = { indicatorId: r.indicatorId, periodKey: r.key, periodStart: r.start, periodEnd: r.end, value: r.value, amberFloor: r.amberFloor, text: r.text };
        const i = t().targets.findIndex((x) => x.indicatorId === r.indicatorId && x.periodKey === r.key);
        if (i >= 0) t().targets[i] = { ...t().targets[i]!, value: r.value, amberFloor: r.amberFloor, text: r.text };
        else t().targets.push(row);
      }
    },
    async latestValues(ids) {
      return t()
        .observations.filter((o) => o.latest && ids.includes(o.indicatorId))
        .map((o) => ({ id: o.id, indicatorId: o.indicatorId, periodKey: o.periodKey, version: o.version, value: o.value, estimated: o.estimated, provisional: o.provisional, note: o.note, assessedStatus: o.assessedStatus }));
    },
    async sameUnitIndicators(units) {
      return t()
        .indicators.filter((i) => i.active && units.includes(unitKey(i.unit)))
        .map((i) => {
          const last = t()
            .observations.filter((o) => o.indicatorId === i.id && o.latest)
            .sort((a, b) => (a.periodStart < b.periodStart ? 1 : a.periodStart > b.periodStart ? -1 : a.periodEnd < b.periodEnd ? 1 : a.periodEnd > b.periodEnd ? -1 : 0))[0];
          return { id: i.id, slug: i.slug, unit: i.unit, themeId: i.themeId, frequency: i.frequency, aggregation: i.aggregation, latest: last ? { periodKey: last.periodKey, value: last.value } : null };
        });
    },
    async addValues(replaced, rows, by) {
      for (const o of t().observations) if (replaced.includes(o.id)) o.latest = false;
      for (const r of rows) {
        if (t().observations.some((o) => o.indicatorId === r.indicatorId && o.periodKey === r.key && o.version === r.version)) throw new Error(`${r.key} version ${r.version} exists`);
        t().observations.push({
          id: store.nextId('observation'),
          indicatorId: r.indicatorId,
          periodKey: r.key,
          periodStart: r.start,
          periodEnd: r.end,
          version: r.version,
          latest: true,
          value: r.o.value,
          estimated: r.o.estimated,
          provisional: r.o.provisional,
          note: r.o.note,
          assessedStatus: r.o.assessedStatus,
          source: by.source,
          submittedById: by.actorId,
          submittedByLabel: by.actorLabel,
          submittedAt: by.at,
          correctionReason: r.reason,
        });
      }
    },
    async exceptionReport(indicatorId, periodKey) {
      return copy(t().exceptionReports.find((r) => r.indicatorId === indicatorId && r.periodKey === periodKey) ?? null);
    },
    async updateExceptionReport(id, data) {
      const r = t().exceptionReports.find((x) => x.id === id)!;
      Object.assign(r, copy(data), { version: r.version + 1, updatedAt: at });
    },
    async createExceptionReport(d) {
      t().exceptionReports.push({
        id: store.nextId('exception_report'),
        indicatorId: d.indicatorId,
        periodKey: d.periodKey,
        questions: copy(d.questions),
        answers: copy(d.answers),
        state: d.state,
        authorId: d.authorId,
        reviewerId: null,
        reviewComment: null,
        submittedAt: d.submittedAt ?? null,
        reviewedAt: d.reviewedAt ?? null,
        chaseCount: 0,
        lastChasedAt: null,
        updatedAt: at,
        approvedValue: d.approvedValue ?? null,
        approvedStatus: null,
        version: 1,
      });
    },
    async subscribeIfAbsent(w) {
      if (!PLATFORM_NAMES.includes(w.platform)) throw new Error(`no platform ${w.platform}`);
      if (t().subscriptions.some((s) => s.platform === w.platform && s.channelId === w.channelId && s.scope === w.scope)) return false;
      t().subscriptions.push({ id: store.nextId('subscription'), platform: w.platform as PlatformName, channelId: w.channelId, themeId: w.themeId, indicatorId: w.indicatorId, events: [], channelName: null, createdById: w.createdById, scope: w.scope });
      return true;
    },
    async audit(entries) {
      t().audit.push(...entries.map(storedAudit));
    },
  };
}
