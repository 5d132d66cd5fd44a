// The organisation row ↔ OrgSettings, for the repository and the register writer (a Settings sheet).
import { Prisma } from '../generated/prisma/client.ts';
import type { RiskBand } from '../domain/risks.ts';
import type { ActionProgressStyle, BankHolidays, OrgSettings } from '../ports.ts';
import type { MaintainedBand } from '../domain/types.ts';
import { DEFAULT_ORG } from './defaults.ts';
import { DEFAULT_COMMENTARY_SECTIONS } from '../domain/commentary.ts';

type OrganisationRow = Prisma.OrganisationGetPayload<object>;

export function toBand(kind: 'relative' | 'precision', percent: number | null): MaintainedBand;
export function toBand(kind: 'relative' | 'precision' | null, percent: number | null): MaintainedBand | null;
export function toBand(kind: 'relative' | 'precision' | null, percent: number | null): MaintainedBand | null {
  if (kind === null) return null;
  return kind === 'precision' ? { kind } : { kind, percent: percent ?? 0 };
}

export const bandPercent = (b: MaintainedBand | null): number | null => (b?.kind === 'relative' ? b.percent : null);

export function orgFromRow(o: OrganisationRow | null): OrgSettings {
  if (!o) return DEFAULT_ORG;
  return {
    name: o.name,
    fyStartMonth: o.fyStartMonth,
    tolerance: { kind: o.toleranceKind, value: o.toleranceValue.toNumber() },
    dotBasis: o.dotBasis,
    maintainedBand: toBand(o.maintainedBandKind, o.maintainedBand.toNumber()),
    exceptionQuestions: o.exceptionQuestions as string[],
    exceptionForAmber: o.exceptionForAmber,
    alertOnDeclining: o.alertOnDeclining,
    chaseCadence: o.chaseCadence as number[],
    escalateAfter: o.escalateAfter,
    timeZone: o.timeZone,
    demoToday: o.demoToday ? o.demoToday.toISOString().slice(0, 10) : null,
    collectFrom: o.collectFrom,
    collectingSince: o.collectingSince ? o.collectingSince.toISOString().slice(0, 10) : null,
    bankHolidays: o.bankHolidays as BankHolidays,
    actionProgress: o.actionProgress as ActionProgressStyle,
    actionWord: o.actionWord,
    riskScale: o.riskScale,
    riskBands: (o.riskBands as RiskBand[] | null) ?? null,
    riskAppetite: o.riskAppetite,
    latestAvailable: o.latestAvailable,
    commentarySections: o.commentarySections as string[],
    commentaryInitials: o.commentaryInitials,
    comparatorArea: o.comparatorArea,
    comparatorGroup: o.comparatorGroup,
  };
}

/**
 * Settings as they read back once stored over `before` (what orgFromRow gives after writing orgData,
 * for a store without a database): the band in its stored form, the demo's date kept unless given.
 */
export function storedOrg(o: OrgSettings, before: OrgSettings | null): OrgSettings {
  return {
    ...o,
    maintainedBand: toBand(o.maintainedBand.kind, bandPercent(o.maintainedBand) ?? 0),
    demoToday: o.demoToday !== undefined ? o.demoToday : (before?.demoToday ?? null),
    collectFrom: o.collectFrom ?? null,
    collectingSince: o.collectingSince ?? null,
    bankHolidays: o.bankHolidays ?? 'england-and-wales',
    actionProgress: o.actionProgress ?? 'plan',
    actionWord: o.actionWord ?? 'action',
    riskScale: o.riskScale ?? 5,
    riskBands: o.riskBands ?? null,
    riskAppetite: o.riskAppetite ?? null,
    latestAvailable: o.latestAvailable ?? true,
    commentarySections: o.commentarySections ?? DEFAULT_COMMENTARY_SECTIONS,
    commentaryInitials: o.commentaryInitials ?? false,
    comparatorArea: o.comparatorArea ?? null,
    comparatorGroup: o.comparatorGroup ?? null,
  };
}

export function orgData(o: OrgSettings) {
  return {
    name: o.name,
    fyStartMonth: o.fyStartMonth,
    toleranceKind: o.tolerance.kind,
    toleranceValue: o.tolerance.value,
    dotBasis: o.dotBasis,
    maintainedBandKind: o.maintainedBand.kind,
    maintainedBand: bandPercent(o.maintainedBand) ?? 0,
    exceptionQuestions: o.exceptionQuestions,
    exceptionForAmber: o.exceptionForAmber,
    alertOnDeclining: o.alertOnDeclining,
    chaseCadence: o.chaseCadence,
    escalateAfter: o.escalateAfter,
    timeZone: o.timeZone,
    ...(o.demoToday !== undefined ? { demoToday: o.demoToday ? new Date(`${o.demoToday}T00:00:00Z`) : null } : {}),
    collectFrom: o.collectFrom ?? null,
    collectingSince: o.collectingSince ? new Date(`${o.collectingSince}T00:00:00Z`) : null,
    bankHolidays: o.bankHolidays ?? 'england-and-wales',
    actionProgress: o.actionProgress ?? 'plan',
    actionWord: o.actionWord ?? 'action',
    riskScale: o.riskScale ?? 5,
    riskBands: o.riskBands ? (o.riskBands as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
    riskAppetite: o.riskAppetite ?? null,
    latestAvailable: o.latestAvailable ?? true,
    commentarySections: o.commentarySections ?? DEFAULT_COMMENTARY_SECTIONS,
    commentaryInitials: o.commentaryInitials ?? false,
    comparatorArea: o.comparatorArea ?? null,
    comparatorGroup: o.comparatorGroup ?? null,
  };
}
