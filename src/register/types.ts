// The indicator register in a normalised, validated form: what an import (CSV, XLSX, fixture JSON)
// or the demo organisation turns into before anything is written. One write path for all of them.
import { z } from 'zod';
import { ValidationError } from '../errors.ts';

const periodKey = z.string().trim().min(1);
/** Values are stored as DECIMAL(20, 6): round here so that re-importing a value compares equal. */
const MAX_ABS = 1e14;
export const round6 = (v: number): number => Number(v.toFixed(6));
const stored = (n: z.ZodNumber) => n.refine((v) => Math.abs(v) < MAX_ABS, 'a number below 100,000,000,000,000').transform(round6);
const num = stored(z.number().finite());
const nonNegative = stored(z.number().finite().min(0));

export const registerPersonSchema = z.object({
  displayName: z.string().trim().min(1),
  email: z.email().transform((e) => e.toLowerCase()),
  /** The address the register has for this person now, when the file changes it (a People sheet's Previous email, or the reader's match). */
  previousEmail: z.email().transform((e) => e.toLowerCase()).optional(),
  role: z.enum(['officer', 'director', 'admin']).default('officer'),
  /** Known platform user ids (a People sheet's user id column for each platform): platform → user id. */
  identities: z.record(z.string(), z.string().trim().min(1)).default({}),
  deputyEmail: z.email().transform((e) => e.toLowerCase()).optional(),
  /** Away until this day (inclusive); null: back; absent: unchanged. */
  absentUntil: z.iso.date().nullable().optional(),
});

/** A channel that gets alerts: a platform and the channel's id there. */
export const registerChannelSchema = z.object({ platform: z.string().min(1), channelId: z.string().min(1) });

export const registerThemeSchema = z.object({
  name: z.string().trim().min(1),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  kind: z.string().default('theme'),
  directorEmail: z.email().transform((e) => e.toLowerCase()).optional(),
  /** Channels subscribed to the theme's alerts (a Themes sheet's Alert channel column). */
  alertChannels: z.array(registerChannelSchema).default([]),
});

export const registerTargetSchema = z.object({
  periodKey,
  value: num.nullable().default(null),
  amberFloor: num.nullable().default(null),
  text: z.string().trim().min(1).nullable().default(null),
});

export const registerObservationSchema = z.object({
  periodKey,
  value: num,
  estimated: z.boolean().default(false),
  provisional: z.boolean().default(false),
  note: z.string().nullable().default(null),
  assessedStatus: z.enum(['green', 'amber', 'red']).nullable().default(null),
});

/** The indicator fields a sheet may leave out (name, polarity and frequency are always given). */
export const OPTIONAL_INDICATOR_FIELDS = ['ref', 'definition', 'theme', 'ownerEmail', 'deputyEmail', 'unit', 'reportingLagDays', 'aggregation', 'tolerance', 'dotBasis', 'maintainedBand', 'decimals', 'isKey', 'active', 'baseline', 'formula'] as const;
export type OptionalIndicatorField = (typeof OPTIONAL_INDICATOR_FIELDS)[number];

export const registerIndicatorSchema = z.object({
  ref: z.string().trim().min(1).nullable().default(null),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and hyphens, e.g. sickness-absence'),
  name: z.string().trim().min(1),
  definition: z.string().trim().nullable().default(null),
  theme: z.string().trim().min(1).nullable().default(null),
  ownerEmail: z.email().transform((e) => e.toLowerCase()).nullable().default(null),
  deputyEmail: z.email().transform((e) => e.toLowerCase()).nullable().default(null),
  unit: z.string().trim().min(1).default('number'),
  polarity: z.enum(['higher', 'lower', 'none']),
  frequency: z.enum(['monthly', 'quarterly', 'annual', 'academic_year', 'calendar_year']),
  reportingLagDays: z.number().int().min(0).max(730).default(0),
  aggregation: z.enum(['snapshot', 'cumulative', 'ytd', 'ytd_percent', 'average']).default('snapshot'),
  tolerance: z.object({ kind: z.enum(['relative', 'absolute']), value: nonNegative }).nullable().default(null),
  dotBasis: z.enum(['previous', 'same_last_year', 'baseline']).nullable().default(null),
  /** Null: the organisation's band. */
  maintainedBand: z
    .discriminatedUnion('kind', [z.object({ kind: z.literal('relative'), percent: stored(z.number().finite().min(0).max(100)) }), z.object({ kind: z.literal('precision') })])
    .nullable()
    .default(null),
  decimals: z.number().int().min(0).max(6).default(1),
  isKey: z.boolean().default(false),
  active: z.boolean().default(true),
  baseline: z
    .object({ value: num.nullable(), period: z.string().nullable(), text: z.string().nullable() })
    .nullable()
    .default(null),
  /** A calculated indicator's formula over other indicators' slugs (src/domain/formula.ts); null: values are given by people. */
  formula: z.string().trim().min(1).max(500).nullable().default(null),
  targets: z.array(registerTargetSchema).default([]),
  observations: z.array(registerObservationSchema).default([]),
  /** Channels subscribed to this indicator's alerts (the Indicators sheet's Alert channel column). */
  alertChannels: z.array(registerChannelSchema).default([]),
  /**
   * The fields the file gave (its sheet had their columns); absent: all of them. A field not given
   * keeps the register's value on an existing indicator — a sheet without a Tolerance column says
   * nothing about tolerances — and takes its default on a new one.
   */
  given: z.array(z.enum(OPTIONAL_INDICATOR_FIELDS)).optional(),
});

/** The action fields a sheet may leave out: an existing action keeps what its sheet has no column for. */
export const OPTIONAL_ACTION_FIELDS = ['kind', 'description', 'theme', 'ownerEmail', 'deputyEmail', 'start', 'originalDue', 'rephaseReason', 'isKey', 'active', 'indicators'] as const;
export type OptionalActionField = (typeof OPTIONAL_ACTION_FIELDS)[number];

/** An action or milestone (an Actions sheet's row), with its progress updates by quarter. */
export const registerActionSchema = z.object({
  ref: z.string().trim().min(1).max(40),
  kind: z.enum(['action', 'milestone']).default('action'),
  title: z.string().trim().min(1),
  description: z.string().trim().nullable().default(null),
  theme: z.string().trim().min(1).nullable().default(null),
  ownerEmail: z.email().transform((e) => e.toLowerCase()).nullable().default(null),
  deputyEmail: z.email().transform((e) => e.toLowerCase()).nullable().default(null),
  start: z.iso.date().nullable().default(null),
  due: z.iso.date(),
  /** The due date first agreed; null: the due date (a new action) or as stored (an existing one). */
  originalDue: z.iso.date().nullable().default(null),
  rephaseReason: z.string().trim().min(1).nullable().default(null),
  isKey: z.boolean().default(false),
  active: z.boolean().default(true),
  /** The indicators it addresses, by slug. */
  indicators: z.array(z.string().trim().toLowerCase().min(1)).default([]),
  updates: z
    .array(
      z.object({
        periodKey,
        progress: z.enum(['not_started', 'on_target', 'at_risk', 'off_track', 'delivered', 'no_longer_viable']),
        percentComplete: z.number().int().min(0).max(100).nullable().default(null),
        commentary: z.string().default(''),
      }),
    )
    .default([]),
  /** The fields the file gave; absent: all of them. */
  given: z.array(z.enum(OPTIONAL_ACTION_FIELDS)).optional(),
});
export type RegisterAction = z.output<typeof registerActionSchema>;

const level = z.number().int().min(1).max(10);

/** The fields of a risk a sheet may leave out (its columns absent): the register keeps what it has. */
export const OPTIONAL_RISK_FIELDS = ['description', 'theme', 'ownerEmail', 'deputyEmail', 'controls', 'inherent', 'target', 'reviewMonths', 'active', 'actions', 'indicators'] as const;
export type OptionalRiskField = (typeof OPTIONAL_RISK_FIELDS)[number];

/** A risk (a Risks sheet's row), with the reviews the file gives (each dated). */
export const registerRiskSchema = z.object({
  ref: z.string().trim().min(1).max(24),
  title: z.string().trim().min(1),
  description: z.string().trim().nullable().default(null),
  theme: z.string().trim().min(1).nullable().default(null),
  ownerEmail: z.email().transform((e) => e.toLowerCase()).nullable().default(null),
  deputyEmail: z.email().transform((e) => e.toLowerCase()).nullable().default(null),
  controls: z.string().trim().nullable().default(null),
  inherent: z.object({ likelihood: level, impact: level }).nullable().default(null),
  target: z.object({ likelihood: level, impact: level }).nullable().default(null),
  /** How often it is reviewed, in months. */
  reviewMonths: z.number().int().min(1).max(12).default(3),
  active: z.boolean().default(true),
  /** The mitigating actions, by ref. */
  actions: z.array(z.string().trim().min(1)).default([]),
  /** The indicators watching it, by slug. */
  indicators: z.array(z.string().trim().toLowerCase().min(1)).default([]),
  reviews: z.array(z.object({ reviewedOn: z.iso.date(), likelihood: level, impact: level, commentary: z.string().default('') })).default([]),
  /** The fields the file gave; absent: all of them. */
  given: z.array(z.enum(OPTIONAL_RISK_FIELDS)).optional(),
});
export type RegisterRisk = z.output<typeof registerRiskSchema>;

export const registerExceptionReportSchema = z.object({
  slug: z.string().trim().toLowerCase().min(1),
  periodKey,
  questions: z.array(z.string().min(1)).min(1),
  answers: z.array(z.string()),
  state: z.enum(['draft', 'submitted', 'returned', 'approved']).default('approved'),
});

export const registerSchema = z.object({
  organisation: z
    .object({
      name: z.string().min(1),
      toleranceKind: z.enum(['relative', 'absolute']).optional(),
      toleranceValue: nonNegative.optional(),
      exceptionQuestions: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /** Organisation settings by name, as a Settings sheet gives them ("tolerance" → "5%"); read with src/services/settings.ts. */
  settings: z.record(z.string(), z.string()).default({}),
  people: z.array(registerPersonSchema).default([]),
  themes: z.array(registerThemeSchema).default([]),
  indicators: z.array(registerIndicatorSchema).default([]),
  /** Values (and targets) for indicators already in the register, by slug: a values-only file. */
  values: z
    .array(
      z.object({
        slug: z.string().trim().toLowerCase().min(1),
        targets: z.array(registerTargetSchema).default([]),
        observations: z.array(registerObservationSchema).default([]),
      }),
    )
    .default([]),
  exceptionReports: z.array(registerExceptionReportSchema).default([]),
  actions: z.array(registerActionSchema).default([]),
  risks: z.array(registerRiskSchema).default([]),
});

export type RegisterChannel = z.output<typeof registerChannelSchema>;
export type RegisterPerson = z.output<typeof registerPersonSchema>;
export type RegisterTheme = z.output<typeof registerThemeSchema>;
export type RegisterIndicator = z.output<typeof registerIndicatorSchema>;
export type RegisterTarget = z.output<typeof registerTargetSchema>;
export type RegisterObservation = z.output<typeof registerObservationSchema>;
export type RegisterExceptionReport = z.output<typeof registerExceptionReportSchema>;
export type Register = z.output<typeof registerSchema>;
export type RegisterInput = z.input<typeof registerSchema>;

/** Values the plausibility check asks about, refused because acceptOutliers was not given. */
export class UnusualValuesError extends ValidationError {
  constructor(readonly items: UnusualValue[]) {
    super(`${items.length} value(s) look unusual for their indicators: ${items.slice(0, 5).map((i) => `${i.slug} ${i.periodKey}: ${i.note}`).join('; ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''}. Nothing was written.`);
  }
}

// ---- writing a register (src/register/write.ts; the Repository port's writeRegister) ----

export interface WriteOptions {
  /** Recorded on each observation: import:<file>, demo. */
  source: string;
  at: Date;
  actorId: number | null;
  actorLabel: string;
  fyStartMonth?: number;
  /** Allow values inside signed-off periods (an admin, with a reason): each such value is audited. */
  lockedPeriodReason?: string;
  /**
   * Write values the plausibility check asks about (src/domain/plausibility.ts: a slipped decimal
   * point, a sign flip, a percentage over 100, a value far outside the indicator's history). Without
   * it such values are listed (UnusualValuesError) and nothing is written.
   */
  acceptOutliers?: boolean;
  /** Called as register rows are written (progress bars): rows done of rows in all. */
  onProgress?: (done: number, total: number) => void;
  /** Work out and return what would change, then roll everything back. */
  dryRun?: boolean;
}

export interface WriteSummary {
  /** The organisation's name and rules (a fixture names its council). */
  organisation: { created: number; updated: number };
  people: { created: number; updated: number };
  themes: { created: number; updated: number };
  indicators: { created: number; updated: number; unchanged: number };
  targets: { created: number; updated: number; unchanged: number };
  observations: { created: number; corrected: number; unchanged: number };
  exceptionReports: { created: number; updated: number; unchanged: number };
  actions: { created: number; updated: number; unchanged: number };
  /** Progress updates of actions: new (or new versions), unchanged. */
  actionUpdates: { created: number; unchanged: number };
  risks: { created: number; updated: number; unchanged: number };
  /** Risk reviews: new, unchanged (the same review already kept). */
  riskReviews: { created: number; unchanged: number };
  /** Channel subscriptions from Alert channel columns. */
  subscriptions: { created: number; unchanged: number };
  /** Values written into signed-off periods (by a performance admin, with a reason). */
  lockedPeriodValues: number;
  /** Values written although the plausibility check asked about them (acceptOutliers), with what it found. */
  unusualValues: UnusualValue[];
  /** New or changed values the plausibility check could not judge: too little history and no target, earlier version or similar indicators to compare with. */
  uncheckedValues: { slug: string; periodKey: string }[];
  /** People whose e-mail address the file changed (each also counted in people.updated). */
  emailChanges: { name: string; from: string; to: string }[];
}

/** A value the plausibility check asks about, as an import lists it. */
export interface UnusualValue {
  slug: string;
  periodKey: string;
  value: number;
  /** "84 days is 8× anything sickness-absence has had (7.84–10.49 days); did you mean 8.4 days?" */
  note: string;
}

export function emptySummary(): WriteSummary {
  return {
    organisation: { created: 0, updated: 0 },
    people: { created: 0, updated: 0 },
    themes: { created: 0, updated: 0 },
    indicators: { created: 0, updated: 0, unchanged: 0 },
    targets: { created: 0, updated: 0, unchanged: 0 },
    observations: { created: 0, corrected: 0, unchanged: 0 },
    exceptionReports: { created: 0, updated: 0, unchanged: 0 },
    actions: { created: 0, updated: 0, unchanged: 0 },
    actionUpdates: { created: 0, unchanged: 0 },
    risks: { created: 0, updated: 0, unchanged: 0 },
    riskReviews: { created: 0, unchanged: 0 },
    subscriptions: { created: 0, unchanged: 0 },
    lockedPeriodValues: 0,
    unusualValues: [],
    uncheckedValues: [],
    emailChanges: [],
  };
}

/** Did the write change anything? */
export function changedAnything(s: WriteSummary): boolean {
  return (
    s.organisation.created + s.organisation.updated + s.people.created + s.people.updated + s.themes.created + s.themes.updated + s.indicators.created + s.indicators.updated +
      s.targets.created + s.targets.updated + s.observations.created + s.observations.corrected + s.exceptionReports.created + s.exceptionReports.updated + s.subscriptions.created +
      s.actions.created + s.actions.updated + s.actionUpdates.created + s.risks.created + s.risks.updated + s.riskReviews.created >
    0
  );
}

/** Values that would change signed-off periods, refused because no reason was given. */
export class LockedPeriodError extends ValidationError {
  /** `unusual`: the values the plausibility check asked about in the same register, so one answer lists both. */
  constructor(
    readonly items: { slug: string; periodKey: string; lockKey: string }[],
    readonly unusual: UnusualValue[] = [],
  ) {
    const list = items.slice(0, 10).map((i) => `${i.slug} ${i.periodKey} (in signed-off ${i.lockKey})`);
    super(
      `${items.length} value(s) would change signed-off periods: ${list.join('; ')}${items.length > 10 ? ` and ${items.length - 10} more` : ''}. ` +
        'Nothing was written. A performance admin can import them with a reason.',
    );
  }
}

