// Fixture builders for records the ports carry: sensible defaults, override what a test is about.
import type { IndicatorRecord, ObservationRecord, OrgSettings, PersonRecord, Repository, TargetRecord } from '../../src/ports.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { DEFAULT_ORG } from '../../src/repo/defaults.ts';
import { dueState, evaluateIndicator, type IndicatorHistory } from '../../src/services/evaluation.ts';
import type { IndicatorState } from '../../src/services/portfolio.ts';

let seq = 1000;

export function org(over: Partial<OrgSettings> = {}): OrgSettings {
  return { ...DEFAULT_ORG, ...over };
}

export function person(over: Partial<PersonRecord> = {}): PersonRecord {
  const id = over.id ?? ++seq;
  return { id, displayName: `Person ${id}`, email: `p${id}@council.example`, identities: {}, role: 'officer', deputyId: null, absentUntil: null, active: true, ...over };
}

export function indicator(over: Partial<IndicatorRecord> = {}): IndicatorRecord {
  const id = over.id ?? ++seq;
  return {
    id, ref: null, slug: `indicator-${id}`, name: `Indicator ${id}`, definition: null, themeId: 1, themeName: 'Theme', ownerId: null, deputyId: null, directorId: null,
    unit: '%', polarity: 'higher', frequency: 'quarterly', reportingLagDays: 30, aggregation: 'snapshot', tolerance: null, dotBasis: null, maintainedBand: null, decimals: 1,
    isKey: false, active: true, baseline: { value: null, period: null, text: null }, formula: null, ...over,
  };
}

export function history(indicatorId: number, values: [periodKey: string, value: number][], targets: [periodKey: string, value: number][] = []): IndicatorHistory {
  const observations: ObservationRecord[] = values.map(([periodKey, value], i) => ({
    id: ++seq, indicatorId, periodKey, version: 1, value, estimated: false, provisional: false, note: null, assessedStatus: null, source: 'test',
    submittedById: null, submittedByLabel: null, submittedAt: new Date(Date.UTC(2018, 0, 1 + i)), correctionReason: null,
  }));
  const t: TargetRecord[] = targets.map(([periodKey, value]) => ({ indicatorId, periodKey, value, amberFloor: null, text: null }));
  return { observations, targets: t };
}

/** An indicator evaluated as the portfolio would: for digests and lists. */
export function indicatorState(ind: IndicatorRecord, h: IndicatorHistory, o: OrgSettings = org(), today = '2018-02-05'): IndicatorState {
  const evaluation = evaluateIndicator(ind, h, o);
  const owed = evaluation.status === 'red';
  return { indicator: ind, history: h, evaluation, due: dueState(ind, h, today, o), exceptionFor: owed && evaluation.period ? { period: evaluation.period, evaluation } : null, exception: null, exceptionOwed: owed };
}

/** Save a value through the repository as a job would see it (a new version, with a reason, when the period has one). */
export async function saveValue(
  repo: Repository,
  at: Date,
  slug: string,
  periodKey: string,
  value: number,
  by: { id: number | null; label: string } = { id: null, label: 'test' },
): Promise<void> {
  const ind = await repo.indicatorBySlug(slug);
  if (!ind) throw new Error(`no indicator ${slug}`);
  const current = (await repo.observationVersions(ind.id, periodKey))[0];
  const p = periodFromKey(periodKey);
  await repo.saveObservation({
    indicatorId: ind.id, periodKey, periodStart: p.start, periodEnd: p.end, value, estimated: false, provisional: false, note: null,
    source: 'test', submittedById: by.id, submittedByLabel: by.label, submittedAt: at, replacesVersion: current?.version ?? null,
    ...(current ? { correctionReason: 'test correction' } : {}),
  });
}
