// The risks part of a quarter's report, overall and theme by theme, as councils print their registers:
// the heat map (likelihood × impact, refs in their cells, the organisation's band colours) and the
// register of the risks above appetite with their score, band, trend, target and mitigating actions —
// each risk as its reviews stood at the quarter's end (a later review is not this quarter's).
import { bandOf, riskScore, trendOf, TREND_ARROW, TREND_WORDS, bandsWords, type RiskTrend } from '../domain/risks.ts';
import type { Period } from '../domain/types.ts';
import type { HeatMapSpec } from '../charts/spec.ts';
import type { OrgSettings, Repository, RiskAssessment, RiskRecord, RiskReviewRecord } from '../ports.ts';
import { namesOf } from '../services/actions.ts';
import { heatMapOf, riskMatrix, scoreWords } from '../services/risks.ts';

export interface ReportRisk {
  ref: string;
  title: string;
  owner: string | null;
  /** As at the quarter's end: its latest review by then, else its inherent assessment. */
  current: RiskAssessment | null;
  score: number | null;
  band: string | null;
  /** Since the review before. */
  trend: RiskTrend | null;
  target: RiskAssessment | null;
  /** "16 (4×4) Very high", as the organisation's bands said it then. */
  currentText: string;
  targetText: string;
  aboveAppetite: boolean;
  /** The review the current score is from (null: inherent, never reviewed by the quarter's end). */
  reviewedOn: string | null;
  commentary: string | null;
  /** The mitigating actions: "CIP-WS1 Early Help offer…". */
  actions: string[];
}

export interface ReportRiskTheme {
  name: string;
  heatMap: HeatMapSpec;
  risks: ReportRisk[];
}

export interface ReportRisks {
  scale: number;
  appetite: number;
  /** "Low 1–4, Medium 5–9, High 10–15, Very high 16–25". */
  bands: string;
  heatMap: HeatMapSpec;
  themes: ReportRiskTheme[];
  total: number;
  aboveAppetite: number;
}

/** A risk's reviews up to a day: the latest and the one before it (newest first in, as the store gives them). */
function asAt(reviews: RiskReviewRecord[], day: string): { latest: RiskReviewRecord | null; previous: RiskReviewRecord | null } {
  const upTo = reviews.filter((v) => v.reviewedOn <= day);
  return { latest: upTo[0] ?? null, previous: upTo[1] ?? null };
}

/** The risks section of a quarter's report (null when the register holds no risks). */
export async function buildReportRisks(repo: Repository, org: OrgSettings, quarter: Period, themeOrder: string[], opts: { themeId?: number } = {}): Promise<ReportRisks | null> {
  const list = await repo.risks.list({ activeOnly: true, ...(opts.themeId !== undefined ? { themeId: opts.themeId } : {}) });
  if (!list.length) return null;
  const m = riskMatrix(org);
  const reviews = await repo.risks.reviews(list.map((r) => r.id));
  const owners = await namesOf(repo, list.map((r) => r.ownerId));
  const actionIds = [...new Set(list.flatMap((r) => r.actionIds))];
  const actions = new Map((actionIds.length ? await repo.actions.list({ ids: actionIds }) : []).map((a) => [a.id, a]));
  // Each risk as at the quarter's end, so the heat map and the register are the quarter's.
  const asOf: RiskRecord[] = list.map((r) => ({ ...r, ...asAt(reviews.filter((v) => v.riskId === r.id), quarter.end) }));
  const rows = asOf.map((r) => {
    const current = r.latest ?? r.inherent;
    const score = current ? riskScore(current.likelihood, current.impact) : null;
    return {
      theme: r.themeName ?? 'No theme',
      record: r,
      row: {
        ref: r.ref,
        title: r.title,
        owner: r.ownerId === null ? null : (owners.get(r.ownerId) ?? null),
        current,
        score,
        band: score === null ? null : bandOf(score, m.bands).label,
        trend: trendOf(r.previous ? riskScore(r.previous.likelihood, r.previous.impact) : null, r.latest ? riskScore(r.latest.likelihood, r.latest.impact) : null),
        target: r.target,
        currentText: scoreWords(current, m),
        targetText: scoreWords(r.target, m),
        aboveAppetite: score !== null && score > m.appetite,
        reviewedOn: r.latest?.reviewedOn ?? null,
        commentary: r.latest?.commentary || null,
        actions: r.actionIds.map((id) => actions.get(id)).filter((a) => a !== undefined).map((a) => `${a.ref} ${a.title}`),
      } satisfies ReportRisk,
    };
  });
  const byScore = (x: ReportRisk, y: ReportRisk) => (y.score ?? 0) - (x.score ?? 0) || (x.ref < y.ref ? -1 : 1);
  const names = [...themeOrder.filter((n) => rows.some((r) => r.theme === n)), ...new Set(rows.map((r) => r.theme).filter((n) => !themeOrder.includes(n)))];
  const themes = names.map((name) => {
    const rs = rows.filter((r) => r.theme === name);
    return { name, heatMap: heatMapOf(`${name}: risks at ${quarter.key}`, rs.map((r) => r.record), m), risks: rs.map((r) => r.row).sort(byScore) };
  });
  return {
    scale: m.scale,
    appetite: m.appetite,
    bands: bandsWords(m.bands, m.scale),
    heatMap: heatMapOf(`Risk register at the end of ${quarter.key}`, asOf, m),
    themes,
    total: rows.length,
    aboveAppetite: rows.filter((r) => r.row.aboveAppetite).length,
  };
}

export const RISKS_TITLE = 'Risks';

/** The sentence above the heat maps: how many, the bands and the appetite. */
export const risksIntro = (r: ReportRisks): string =>
  `${r.total} risk${r.total === 1 ? '' : 's'}, ${r.aboveAppetite} above the risk appetite (scores over ${r.appetite}), as reviewed by the quarter's end. Likelihood and impact are scored 1–${r.scale}; the score is their product. Bands: ${r.bands}. ↑ ↓: the score since the review before.`;

/** The register's columns, for the above-appetite risks. */
export const RISK_HEAD = ['Ref', 'Risk', 'Owner', 'Current', 'Trend', 'Target', 'Mitigating actions', 'Latest review'];

export function riskCells(x: ReportRisk): string[] {
  return [
    x.ref,
    x.title,
    x.owner ?? '—',
    x.currentText,
    x.trend ? `${TREND_ARROW[x.trend]} ${TREND_WORDS[x.trend]}` : '—',
    x.targetText,
    x.actions.join('; ') || 'none linked',
    x.reviewedOn ? `${x.reviewedOn}${x.commentary ? `: ${x.commentary}` : ''}` : 'not reviewed (inherent score)',
  ];
}

/** Every heat map of the section, overall first, then each theme's (themes with one risk or more). */
export const riskHeatMaps = (r: ReportRisks): HeatMapSpec[] => [r.heatMap, ...(r.themes.length > 1 ? r.themes.map((t) => t.heatMap) : [])];
