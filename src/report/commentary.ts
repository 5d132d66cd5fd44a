// The commentary of a quarter's report: each theme's, opening its section, and the whole report's,
// at the top of the summary — the newest submitted version of each (a draft is not printed),
// attributed: the author's name, and, where the organisation prints them (Halton), their initials
// after each paragraph. What is still owed is said in the summary.
import { initialsOf, signedParagraphs, type CommentarySection } from '../domain/commentary.ts';
import { formatDate, localDateOf } from '../domain/dates.ts';
import type { Period } from '../domain/types.ts';
import { namesOf } from '../services/actions.ts';
import { commentaryStatus, scopeName } from '../services/commentary.ts';
import type { OrgSettings, Repository } from '../ports.ts';

export interface ReportCommentaryEntry {
  /** Null: the whole report's. */
  themeId: number | null;
  theme: string | null;
  sections: CommentarySection[];
  author: string | null;
  /** The day it was submitted, in the organisation's time zone. */
  submittedOn: string;
  version: number;
}

export interface ReportCommentary {
  /** Print the author's initials after each paragraph. */
  initials: boolean;
  overall: ReportCommentaryEntry | null;
  /** In the order of the report's themes. */
  themes: ReportCommentaryEntry[];
  /** The scopes with nothing submitted: theme names, and "the whole report". */
  owed: string[];
}

/** The commentary section of a quarter's report (null when there is none written and none owed, e.g. no themes). */
export async function buildReportCommentary(repo: Repository, org: OrgSettings, quarter: Period, themeOrder: string[], opts: { themeId?: number } = {}): Promise<ReportCommentary | null> {
  const status = (await commentaryStatus(repo, quarter.key)).filter((s) => (opts.themeId === undefined ? true : s.theme?.id === opts.themeId));
  if (!status.length) return null;
  const names = await namesOf(repo, status.map((s) => s.submitted?.authorId ?? null));
  const entries = status.flatMap((s) =>
    s.submitted
      ? [
          {
            themeId: s.theme?.id ?? null,
            theme: s.theme?.name ?? null,
            sections: s.submitted.sections.filter((x) => x.text.trim()),
            author: s.submitted.authorId !== null ? (names.get(s.submitted.authorId) ?? null) : null,
            submittedOn: localDateOf(s.submitted.createdAt, org.timeZone),
            version: s.submitted.version,
          },
        ]
      : [],
  );
  const order = (e: ReportCommentaryEntry) => (themeOrder.includes(e.theme!) ? themeOrder.indexOf(e.theme!) : themeOrder.length);
  return {
    initials: org.commentaryInitials ?? false,
    overall: entries.find((e) => e.themeId === null) ?? null,
    themes: entries.filter((e) => e.themeId !== null).sort((a, b) => order(a) - order(b)),
    owed: status.filter((s) => s.owed).map((s) => scopeName(s.theme)),
  };
}

/** A kept report narrowed to one theme: that theme's commentary only. */
export function narrowCommentary(c: ReportCommentary, themeId: number): ReportCommentary {
  return { ...c, overall: null, themes: c.themes.filter((t) => t.themeId === themeId), owed: c.owed.filter((n) => c.themes.every((t) => t.theme !== n)) };
}

/** A theme's commentary, if submitted. */
export const commentaryFor = (c: ReportCommentary | null | undefined, theme: string): ReportCommentaryEntry | null => c?.themes.find((t) => t.theme === theme) ?? null;

/** Each section with its paragraphs as printed (initials after each where the organisation asks). */
export function printedSections(e: ReportCommentaryEntry, initials: boolean): { heading: string; paragraphs: string[] }[] {
  const mark = initials && e.author ? initialsOf(e.author) : null;
  return e.sections.map((s) => ({ heading: s.heading, paragraphs: signedParagraphs(s.text, mark || null) }));
}

/** "Commentary by Tom Brennan (TB), submitted 16 Jan 2018". */
export function attribution(e: ReportCommentaryEntry, initials: boolean): string {
  const who = e.author ? `${e.author}${initials ? ` (${initialsOf(e.author)})` : ''}` : 'an unknown author';
  return `Commentary by ${who}, submitted ${formatDate(e.submittedOn)}`;
}

/** The summary's sentence about commentary still owed (null: all submitted). */
export function commentaryOwedSentence(c: ReportCommentary | null | undefined): string | null {
  if (!c?.owed.length) return null;
  const list = c.owed.length > 1 ? `${c.owed.slice(0, -1).join(', ')} and ${c.owed.at(-1)}` : c.owed[0]!;
  return `No commentary has been submitted for ${list}.`;
}
