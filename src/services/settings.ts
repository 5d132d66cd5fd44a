// The organisation's settings, changed in chat (`/kpi settings <name> <value>`) or by a Settings sheet
// in an import: one definition per setting — its name and the words people use for it, how to read
// a value (with the error a person sees), and how to show it.
import { bandsWords, MAX_SCALE, MIN_SCALE, readBands } from '../domain/risks.ts';
import { riskMatrix } from './risks.ts';
import type { OrgSettings } from '../ports.ts';
import type { LocalDate } from '../domain/types.ts';
import { CHESHIRE_WEST_QUESTIONS, DEFAULT_ORG, TRAFFORD_QUESTIONS } from '../repo/defaults.ts';
import { formatPeriod, parsePeriodLabel, periodFromKey } from '../domain/periods.ts';
import { formatDate } from '../domain/dates.ts';
import { BANK_HOLIDAYS, readBankHolidays } from './holidays.ts';
import { DOT_BASIS_PHRASE, describeMaintainedBand } from '../domain/direction.ts';
import { dotBasisSchema, maintainedBandSchema } from './direction-settings.ts';
import { isTimeZone } from '../domain/dates.ts';
import { storedNumberError } from '../domain/format.ts';
import { DEFAULT_COMMENTARY_SECTIONS, readSections } from '../domain/commentary.ts';

type Read = { ok: true; patch: Partial<OrgSettings> } | { ok: false; error: string };

export interface SettingDefinition {
  /** The name typed in chat: `/kpi settings tolerance 5%`. */
  name: string;
  /** Other names people use (a Settings sheet's first column), compared without case or punctuation. */
  aliases: string[];
  label: string;
  example: string;
  /** Read what was typed; `org` (the settings as they stand) where the reading depends on them (the financial year). */
  read(value: string, org?: OrgSettings): Read;
  show(o: OrgSettings): string;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const YES = /^(yes|y|true|on|1)$/i;
const NO = /^(no|n|false|off|0)$/i;

const ok = (patch: Partial<OrgSettings>): Read => ({ ok: true, patch });
const bad = (error: string): Read => ({ ok: false, error });

function yesNo(key: 'exceptionForAmber' | 'alertOnDeclining', what: string): (v: string) => Read {
  return (v) => (YES.test(v.trim()) ? ok({ [key]: true }) : NO.test(v.trim()) ? ok({ [key]: false }) : bad(`expected yes or no (${what}) — got "${v}"`));
}


export const SETTINGS: SettingDefinition[] = [
  {
    name: 'name',
    aliases: ['organisation', 'organisation name', 'council', 'council name'],
    label: 'Organisation name',
    example: 'Trafford Council',
    read: (v) => (v.trim() && v.trim().length <= 120 ? ok({ name: v.trim() }) : bad('expected the council’s name (at most 120 characters)')),
    show: (o) => o.name,
  },
  {
    name: 'financial-year-start',
    aliases: ['financial year start', 'fy start', 'year start', 'financial year starts'],
    label: 'Financial year starts in',
    example: 'April',
    read: (v) => {
      const w = v.trim().toLowerCase();
      const n = /^\d{1,2}$/.test(w) ? Number(w) : MONTHS.findIndex((m) => w.length >= 3 && m.startsWith(w)) + 1;
      return n >= 1 && n <= 12 ? ok({ fyStartMonth: n }) : bad(`expected a month, e.g. April — got "${v}"`);
    },
    show: (o) => MONTHS[o.fyStartMonth - 1]!.replace(/^./, (c) => c.toUpperCase()),
  },
  {
    name: 'tolerance',
    aliases: ['default tolerance', 'amber tolerance', 'amber within'],
    label: 'Default tolerance (amber)',
    example: '10% (within 10% of the target), or 2 (within 2 units)',
    read: (v) => {
      const m = /^(\d+(?:\.\d+)?)\s*(%|percent|units?)?$/i.exec(v.trim());
      if (!m) return bad(`expected a percentage such as 10% (amber within 10% of the target) or a number of units such as 2 — got "${v}"`);
      const value = Number(m[1]);
      const relative = m[2] !== undefined && /^(%|percent)$/i.test(m[2]);
      if (relative && value > 100) return bad('expected a percentage of at most 100%');
      const range = storedNumberError(value, 'a tolerance in units');
      if (range) return bad(`${range} — got "${v}"`);
      return ok({ tolerance: { kind: relative ? 'relative' : 'absolute', value } });
    },
    show: (o) => (o.tolerance.kind === 'relative' ? `within ${o.tolerance.value}% of the target` : `within ${o.tolerance.value} units of the target`),
  },
  {
    name: 'direction-basis',
    aliases: ['dot basis', 'direction of travel basis', 'direction basis', 'compare with', 'direction compared with'],
    label: 'Direction of travel compared with',
    example: 'previous, same period last year, or baseline',
    read: (v) => {
      const r = dotBasisSchema.safeParse(v);
      return r.success ? ok({ dotBasis: r.data }) : bad(`${r.error.issues[0]?.message ?? 'not readable'} — got "${v}"`);
    },
    show: (o) => DOT_BASIS_PHRASE[o.dotBasis],
  },
  {
    name: 'maintained-band',
    aliases: ['maintained band', 'maintained', 'maintained within', 'same within'],
    label: 'Direction “maintained” when',
    example: '2% (a move of under 2% is “maintained”), or equal (the same at the printed precision)',
    read: (v) => {
      const r = maintainedBandSchema.safeParse(v);
      return r.success ? ok({ maintainedBand: r.data }) : bad(`${r.error.issues[0]?.message ?? 'not readable'} — got "${v}"`);
    },
    show: (o) => describeMaintainedBand(o.maintainedBand),
  },
  {
    name: 'exception-questions',
    aliases: ['exception questions', 'exception report questions', 'questions'],
    label: 'Exception-report questions',
    example: 'trafford, cheshire-west, or your own separated by | (“Why…? | What difference…? | How…?”)',
    read: (v) => {
      const w = v.trim().toLowerCase();
      if (w === 'trafford') return ok({ exceptionQuestions: TRAFFORD_QUESTIONS });
      if (w === 'cheshire-west' || w === 'cheshire west') return ok({ exceptionQuestions: CHESHIRE_WEST_QUESTIONS });
      const qs = v.split(/\s*(?:\||\n)\s*/).map((q) => q.trim()).filter(Boolean);
      if (!qs.length || qs.length > 8) return bad('expected one to eight questions separated by |');
      if (qs.some((q) => q.length > 300)) return bad('expected questions of at most 300 characters each');
      return ok({ exceptionQuestions: qs });
    },
    show: (o) => o.exceptionQuestions.map((q, i) => `${i + 1}. ${q}`).join(' '),
  },
  {
    name: 'exception-for-amber',
    aliases: ['exception reports for amber', 'exception for amber', 'amber exception reports'],
    label: 'Exception reports for amber too',
    example: 'yes (red and amber need one) or no (red only)',
    read: yesNo('exceptionForAmber', 'yes: red and amber indicators need an exception report'),
    show: (o) => (o.exceptionForAmber ? 'yes: red and amber' : 'no: red only'),
  },
  {
    name: 'alert-on-declining',
    aliases: ['alert on declining', 'declining alerts', 'alert when declining'],
    label: 'Alert when declining while red or amber',
    example: 'yes or no',
    read: yesNo('alertOnDeclining', 'yes: alert when an indicator declines while red or amber'),
    show: (o) => (o.alertOnDeclining ? 'yes' : 'no: only when it turns red'),
  },
  {
    name: 'chase-cadence',
    aliases: ['chase cadence', 'reminders', 'reminder days', 'chase days'],
    label: 'Reminders (working days after the due date)',
    example: '0, 3, 7',
    read: (v) => {
      const parts = v.split(/[\s,;]+/).filter(Boolean);
      const days = parts.map(Number);
      if (!parts.length || days.some((d) => !Number.isInteger(d) || d < 0 || d > 60)) return bad(`expected working days from 0 to 60 separated by commas, e.g. 0, 3, 7 — got "${v}"`);
      return ok({ chaseCadence: [...new Set(days)].sort((a, b) => a - b) });
    },
    show: (o) => `${o.chaseCadence.join(', ')} working days after the due date, then weekly`,
  },
  {
    name: 'escalate-after',
    aliases: ['escalate after', 'escalation', 'escalate after reminders'],
    label: 'Escalate after (reminders to the owner)',
    example: '3',
    read: (v) => {
      const n = Number(v.trim());
      return Number.isInteger(n) && n >= 1 && n <= 20 ? ok({ escalateAfter: n }) : bad(`expected a whole number of reminders from 1 to 20 — got "${v}"`);
    },
    show: (o) => `${o.escalateAfter} reminder${o.escalateAfter === 1 ? '' : 's'}, then the deputy, then the director`,
  },
  {
    name: 'collect-from',
    aliases: ['collect from', 'go live', 'go-live', 'first period', 'first period collected', 'collected from', 'collecting from'],
    label: 'Values collected from (go-live)',
    example: '2017/18 Q3 (a quarter, month or financial year; earlier periods are never chased), or auto',
    read: (v, org = DEFAULT_ORG) => {
      if (/^(auto|default|unset|none)$/i.test(v.trim())) return ok({ collectFrom: null });
      const p = parsePeriodLabel(v, org.fyStartMonth);
      if (!p.ok) return bad(`expected the first period collected, e.g. 2017/18 Q3, Oct 2017 or 2017/18 — got "${v}"`);
      return ok({ collectFrom: p.value.key });
    },
    show: (o) =>
      o.collectFrom
        ? `${formatPeriod(periodFromKey(o.collectFrom, o.fyStartMonth))} on${o.collectingSince ? ` (since ${formatDate(o.collectingSince)})` : ''}: earlier periods are never chased`
        : 'not set: the first chase takes the most recent quarter that has ended',
  },
  {
    name: 'bank-holidays',
    aliases: ['bank holidays', 'holidays', 'nation', 'country', 'working days'],
    label: 'Bank holidays (not working days)',
    example: 'England and Wales, Scotland, Northern Ireland, or none (weekends only)',
    read: (v) => {
      const n = readBankHolidays(v);
      return n ? ok({ bankHolidays: n }) : bad(`expected England and Wales, Scotland, Northern Ireland or none — got "${v}"`);
    },
    show: (o) => BANK_HOLIDAYS[o.bankHolidays ?? 'england-and-wales'].label,
  },
  {
    name: 'action-progress',
    aliases: ['action progress', 'action status', 'actions printed as', 'milestone progress', 'progress key'],
    label: 'Action progress printed as',
    example: 'plan (Delivered, On target, Scheduled for future quarter, Re-phased, No longer viable) or colours (green, amber, red)',
    read: (v) => {
      const w = v.trim().toLowerCase();
      if (/^(plan|categories|six categories|cheshire west|statuses)$/.test(w)) return ok({ actionProgress: 'plan' });
      if (/^(colou?rs?|rag|traffic lights?|three colou?rs|halton)$/.test(w)) return ok({ actionProgress: 'colours' });
      return bad(`expected plan (six categories) or colours (green, amber, red) — got "${v}"`);
    },
    show: (o) => ((o.actionProgress ?? 'plan') === 'plan' ? 'plan: Delivered, On target, Scheduled for future quarter, Re-phased (under/over 3 months), No longer viable' : 'colours: green, amber, red'),
  },
  {
    name: 'action-word',
    aliases: ['action word', 'actions called', 'word for actions'],
    label: 'An action is called',
    example: 'action, milestone, commitment, task',
    read: (v) => {
      const w = v.trim().toLowerCase();
      return /^[a-z][a-z -]{1,29}$/.test(w) ? ok({ actionWord: w }) : bad(`expected one word such as action, milestone or commitment (letters only) — got "${v}"`);
    },
    show: (o) => o.actionWord ?? 'action',
  },
  {
    name: 'risk-scale',
    aliases: ['risk scale', 'risk matrix', 'likelihood and impact scale'],
    label: 'Risks: likelihood and impact scored',
    example: '5 (1–5, the usual 5×5 matrix), or 4, 6…; the bands and appetite go back to the scale’s defaults unless set again',
    read: (v) => {
      const n = Number(v.trim().replace(/^1\s*[-–]\s*/, '').replace(/\s*[x×]\s*\d+$/, ''));
      if (!Number.isInteger(n) || n < MIN_SCALE || n > MAX_SCALE) return bad(`expected a whole number from ${MIN_SCALE} to ${MAX_SCALE} (the top of the scale: 5 for 1–5) — got "${v}"`);
      return ok({ riskScale: n, riskBands: null, riskAppetite: null });
    },
    show: (o) => `1–${riskMatrix(o).scale}`,
  },
  {
    name: 'risk-bands',
    aliases: ['risk bands', 'risk ratings', 'risk rating bands'],
    label: 'Risk rating bands',
    example: 'low 1 green, medium 5 yellow, high 10 orange, very high 16 red (each band: its name, the score it starts at, its colour); or "default"',
    read: (v, org) => {
      const scale = riskMatrix(org ?? {}).scale;
      if (/^defaults?$/i.test(v.trim())) return ok({ riskBands: null });
      const r = readBands(v, scale);
      return 'bands' in r ? ok({ riskBands: r.bands }) : bad(r.problem);
    },
    show: (o) => {
      const m = riskMatrix(o);
      return bandsWords(m.bands, m.scale);
    },
  },
  {
    name: 'risk-appetite',
    aliases: ['risk appetite', 'appetite', 'risk tolerance'],
    label: 'Risk appetite (risks scoring above it are escalated)',
    example: '9 (a score: the highest tolerated), or a band: medium (everything above medium is escalated); or "default"',
    read: (v, org) => {
      const m = riskMatrix(org ?? {});
      const t = v.trim().toLowerCase();
      if (/^defaults?$/.test(t)) return ok({ riskAppetite: null });
      if (/^\d+$/.test(t)) {
        const n = Number(t);
        return n >= 0 && n <= m.scale * m.scale ? ok({ riskAppetite: n }) : bad(`expected a score from 0 to ${m.scale * m.scale} — got "${v}"`);
      }
      const i = m.bands.findIndex((b) => b.label.toLowerCase() === t.replace(/^(above|over)\s+/, ''));
      if (i < 0) return bad(`expected a score or one of the bands (${m.bands.map((b) => b.label.toLowerCase()).join(', ')}) — got "${v}"`);
      return ok({ riskAppetite: (m.bands[i + 1]?.from ?? m.scale * m.scale + 1) - 1 });
    },
    show: (o) => {
      const m = riskMatrix(o);
      return `${m.appetite}: risks scoring over ${m.appetite} are escalated`;
    },
  },
  {
    name: 'latest-available',
    aliases: ['latest available', 'latest available value', 'use latest value', 'report latest available'],
    label: 'A period not yet in is judged on the latest value of its year',
    example: 'yes (as councils report: "Green: 71% at Q1 (Q2 not yet in)") or no ("in measurement")',
    read: (v) => (YES.test(v.trim()) ? ok({ latestAvailable: true }) : NO.test(v.trim()) ? ok({ latestAvailable: false }) : bad(`expected yes or no (yes: a period not yet in is judged on the latest value of its year) — got "${v}"`)),
    show: (o) => ((o.latestAvailable ?? true) ? 'yes: the latest value of the year, marked as its period’s' : 'no: “in measurement” until the period’s own value is in'),
  },
  {
    name: 'commentary-sections',
    aliases: ['commentary sections', 'commentary', 'commentary headings', 'narrative sections'],
    label: 'Commentary sections',
    example: 'halton (Key developments; Emerging issues, with initials), trafford (Key messages; Doing well; Could do better), cheshire west, default, or your own headings separated by ";"',
    read: (v) => {
      const r = readSections(v);
      return r.ok ? ok({ commentarySections: r.style.sections, ...(r.style.initials !== undefined ? { commentaryInitials: r.style.initials } : {}) }) : bad(`${r.error} — got "${v}"`);
    },
    show: (o) => `${(o.commentarySections ?? DEFAULT_COMMENTARY_SECTIONS).join('; ')}${o.commentaryInitials ? ' (the author’s initials after each paragraph)' : ''}`,
  },
  {
    name: 'commentary-initials',
    aliases: ['commentary initials', 'initials', 'initials on commentary'],
    label: 'Initials after each paragraph of commentary',
    example: 'yes (Halton) or no',
    read: (v) => (YES.test(v.trim()) ? ok({ commentaryInitials: true }) : NO.test(v.trim()) ? ok({ commentaryInitials: false }) : bad(`expected yes or no (the author’s initials after each paragraph) — got "${v}"`)),
    show: (o) => (o.commentaryInitials ? 'yes' : 'no'),
  },
  {
    name: 'our-area',
    aliases: ['our area', 'area code', 'our area code', 'comparator area', 'ons code', 'local authority code'],
    label: 'Our area code in comparator data',
    example: 'E08000009 (Trafford’s ONS code, as LG Inform gives it), or "none"',
    read: (v) => {
      const t = v.trim().toUpperCase();
      if (/^(NONE|-|NOT SET)$/.test(t)) return ok({ comparatorArea: null });
      return /^[A-Z0-9]{2,12}$/.test(t) ? ok({ comparatorArea: t }) : bad(`expected an area code such as E08000009 — got "${v}"`);
    },
    show: (o) => o.comparatorArea ?? 'not set (benchmarks rank nobody)',
  },
  {
    name: 'comparator-group',
    aliases: ['comparator group', 'our group', 'benchmark group', 'comparators'],
    label: 'The comparator group we are ranked in',
    example: 'Greater Manchester (a group imported with kpi comparators group), or "none"',
    read: (v) => {
      const t = v.trim();
      if (/^(none|-|not set)$/i.test(t)) return ok({ comparatorGroup: null });
      return t && t.length <= 120 ? ok({ comparatorGroup: t }) : bad(`expected the name of a comparator group (at most 120 characters) — got "${v}"`);
    },
    show: (o) => o.comparatorGroup ?? 'not set (the only group, when there is one)',
  },
  {
    name: 'time-zone',
    aliases: ['time zone', 'timezone', 'tz'],
    label: 'Time zone',
    example: 'Europe/London',
    read: (v) => (isTimeZone(v.trim()) ? ok({ timeZone: v.trim() }) : bad(`expected a time zone such as Europe/London — got "${v}"`)),
    show: (o) => o.timeZone,
  },
];

/**
 * What changing a setting writes: its patch, and — when the first period collected changes — the day
 * collection starts from (`today`), so reminders and escalation count from then, not from due dates
 * long past. Setting a value it already has changes nothing.
 */
export function settingPatch(def: SettingDefinition, value: string, org: OrgSettings, today: LocalDate): Read {
  const r = def.read(value, org);
  if (!r.ok || !('collectFrom' in r.patch) || (r.patch.collectFrom ?? null) === (org.collectFrom ?? null)) return r;
  return ok({ ...r.patch, collectingSince: r.patch.collectFrom ? today : null });
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

export function findSetting(name: string): SettingDefinition | undefined {
  const n = norm(name);
  return SETTINGS.find((s) => norm(s.name) === n || s.aliases.some((a) => norm(a) === n));
}
