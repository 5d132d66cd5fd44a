// What commands, jobs and the report share about risks: the organisation's matrix, a risk's current
// score, band and trend, who may review one, when its review is due, how one reads in a list, the
// filters people type and the heat map.
import { aboveAppetite, bandOf, defaultMatrix, nextReviewDue, riskScore, trendOf, TREND_ARROW, type RiskBand, type RiskMatrix, type RiskTrend } from '../domain/risks.ts';
import { defaultAppetite } from '../domain/risks.ts';
import type { LocalDate } from '../domain/types.ts';
import type { HeatMapSpec } from '../charts/spec.ts';
import type { OrgSettings, PersonRecord, Repository, RiskAssessment, RiskRecord } from '../ports.ts';
import { NotInRegisterError, ValidationError } from '../errors.ts';
import { findTheme } from './find-indicator.ts';
import { canActOnOwned } from './permissions.ts';
import { shortName } from './indicator-lines.ts';
import { literal, literalCode } from '../messages/markup.ts';
import { namesOf } from './actions.ts';

/** The organisation's risk matrix: its scale, its bands (or the scale's), its appetite (or below the third band). */
export function riskMatrix(org: Pick<OrgSettings, 'riskScale' | 'riskBands' | 'riskAppetite'>): RiskMatrix {
  const base = defaultMatrix(org.riskScale ?? 5);
  const bands = org.riskBands?.length ? org.riskBands : base.bands;
  return { scale: base.scale, bands, appetite: org.riskAppetite ?? defaultAppetite(bands) };
}

/** Where a risk stands: its latest review, else (never reviewed) its inherent assessment. */
export const currentOf = (r: RiskRecord): RiskAssessment | null => r.latest ?? r.inherent;

export const scoreOf = (a: RiskAssessment | null): number | null => (a ? riskScore(a.likelihood, a.impact) : null);

/** The trend since the review before the latest (none with fewer than two reviews). */
export const riskTrend = (r: RiskRecord): RiskTrend | null => trendOf(scoreOf(r.previous), scoreOf(r.latest));

export const isAboveAppetite = (r: RiskRecord, m: RiskMatrix): boolean => {
  const s = scoreOf(currentOf(r));
  return s !== null && aboveAppetite(s, m);
};

/** Owner, deputy, the theme's director and performance admins may review a risk. */
export const canReviewRisk = (p: PersonRecord | null, r: RiskRecord): boolean => canActOnOwned(p, r);

/** The day its next review falls due: the review frequency after its latest review (or after it was entered). */
export const reviewDueOn = (r: RiskRecord): LocalDate => nextReviewDue(r.latest?.reviewedOn ?? r.createdOn, r.reviewMonths);

const SQUARES: [string, [number, number, number]][] = [
  ['🟩', [46, 125, 50]],
  ['🟨', [242, 194, 0]],
  ['🟧', [239, 143, 0]],
  ['🟥', [198, 40, 40]],
  ['🟪', [106, 27, 154]],
  ['🟦', [31, 95, 168]],
  ['⬜', [200, 200, 200]],
];

/** The coloured square nearest a band's colour, for chat lines. */
export function bandIcon(b: RiskBand): string {
  const n = Number.parseInt(b.colour.slice(1), 16);
  const rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  const dist = (c: [number, number, number]) => c.reduce((s, v, i) => s + (v - rgb[i]!) ** 2, 0);
  return SQUARES.reduce((best, s) => (dist(s[1]) < dist(best[1]) ? s : best))[0];
}

/** "16 (4×4) Very high" */
export function scoreWords(a: RiskAssessment | null, m: RiskMatrix): string {
  if (!a) return 'not assessed';
  const s = riskScore(a.likelihood, a.impact);
  return `${s} (${a.likelihood}×${a.impact}) ${bandOf(s, m.bands).label}`;
}

/** "🟥 `CIP01` Social worker capacity — 16 (4×4) Very high ↑ · above appetite · Lucy Chambers" */
export function riskLine(r: RiskRecord, m: RiskMatrix, ownerName: string | null): string {
  const a = currentOf(r);
  const s = scoreOf(a);
  const t = riskTrend(r);
  const icon = s === null ? '⚪' : bandIcon(bandOf(s, m.bands));
  const never = r.latest ? '' : ' (inherent: not reviewed yet)';
  return `${icon} ${literalCode(r.ref)} ${literal(shortName(r.title))} — ${scoreWords(a, m)}${t ? ` ${TREND_ARROW[t]}` : ''}${never}${s !== null && aboveAppetite(s, m) ? ' · **above appetite**' : ''}${ownerName ? ` · ${literal(ownerName)}` : ''}`;
}

/** Highest score first, then by ref. */
export const byScore = (x: RiskRecord, y: RiskRecord): number => (scoreOf(currentOf(y)) ?? 0) - (scoreOf(currentOf(x)) ?? 0) || (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0);

/** The heat map of risks where they stand now (refs in their cells, with ↑ or ↓ since the review before). */
export function heatMapOf(title: string, risks: RiskRecord[], m: RiskMatrix, at: (r: RiskRecord) => RiskAssessment | null = currentOf): HeatMapSpec {
  return {
    kind: 'heat-map',
    title: title.slice(0, 300),
    scale: m.scale,
    bands: m.bands.map((b) => ({ label: b.label.slice(0, 40), from: b.from, colour: b.colour })),
    appetite: m.appetite,
    risks: risks.flatMap((r) => {
      const a = at(r);
      if (!a || a.likelihood > m.scale || a.impact > m.scale) return [];
      const t = at === currentOf ? riskTrend(r) : null;
      return [{ ref: r.ref.slice(0, 24), likelihood: a.likelihood, impact: a.impact, ...(t ? { trend: t } : {}) }];
    }).slice(0, 300),
  };
}

export type RiskFilterWord = 'all' | 'mine' | 'high';

const FILTER_WORDS: Record<string, RiskFilterWord> = { '': 'all', all: 'all', mine: 'mine', my: 'mine', high: 'high', 'above appetite': 'high', escalated: 'high', red: 'high' };

export const RISKS_USAGE = 'risks [theme <name> | mine | high]';

/** What `/kpi risks <words>` and `kpi risks <words>` show: the risks a filter (or a theme) keeps, highest first. */
export async function listRisks(
  repo: Repository,
  org: OrgSettings,
  args: string,
  person: PersonRecord | null,
): Promise<{ title: string; risks: RiskRecord[]; above: RiskRecord[]; lines: string[]; matrix: RiskMatrix }> {
  const m = riskMatrix(org);
  const a = args.trim();
  const word = FILTER_WORDS[a.toLowerCase()];
  let title: string;
  let risks: RiskRecord[];
  if (word) {
    if (word === 'mine' && !person) throw new NotInRegisterError('You are not in the register, so you have no risks of your own. Ask your performance team to add you.');
    risks = await repo.risks.list({ activeOnly: true, ...(word === 'mine' ? { personId: person!.id } : {}) });
    if (word === 'high') risks = risks.filter((r) => isAboveAppetite(r, m));
    title = { all: 'Risk register', mine: 'Your risks', high: 'Risks above appetite' }[word];
  } else {
    const theme = findTheme(await repo.themes(), a.replace(/^theme\s+/i, ''));
    if (!theme) throw new ValidationError(`"${literal(a)}" is not a theme or a filter I know.`, {}, `Try \`/kpi ${RISKS_USAGE}\`, or \`/kpi risk <ref>\` for one risk.`);
    risks = await repo.risks.list({ activeOnly: true, themeId: theme.id });
    title = `${theme.name}: risks`;
  }
  risks.sort(byScore);
  const above = risks.filter((r) => isAboveAppetite(r, m));
  const people = await namesOf(repo, above.map((r) => r.ownerId));
  const lines = above.map((r) => riskLine(r, m, r.ownerId === null ? null : (people.get(r.ownerId) ?? null)));
  return { title, risks, above, lines, matrix: m };
}
