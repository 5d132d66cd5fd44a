// Attributed commentary, as councils print it: the narrative of a quarter's report in the
// organisation's own sections — Halton's "Key developments" / "Emerging issues" with the responsible
// director's initials after each paragraph, Trafford's "Key messages" / "Doing well" / "Could do
// better", Cheshire West's "Areas of positive performance" / "Areas of underperformance" / "Looking
// forward". A theme's director writes the theme's; the performance team the whole report's. Pure: no
// platform, no storage.

export interface CommentarySection {
  heading: string;
  text: string;
}

export type CommentaryState = 'draft' | 'submitted';

/** The sections an organisation writes, and whether each paragraph carries its author's initials. */
export interface CommentaryStyle {
  sections: string[];
  initials: boolean;
}

export type CommentaryPreset = 'default' | 'halton' | 'trafford' | 'cheshire-west';

/** Presets that reproduce the councils' reports (and the default for a council that sets none). */
export const COMMENTARY_PRESETS: Record<CommentaryPreset, CommentaryStyle & { label: string }> = {
  default: { label: 'the default', sections: ['Performance highlights', 'Areas for improvement', 'Looking forward'], initials: false },
  halton: { label: 'Halton', sections: ['Key developments', 'Emerging issues'], initials: true },
  trafford: { label: 'Trafford', sections: ['Key messages', 'Doing well', 'Could do better'], initials: false },
  'cheshire-west': { label: 'Cheshire West and Chester', sections: ['Areas of positive performance', 'Areas of underperformance', 'Looking forward'], initials: false },
};

export const DEFAULT_COMMENTARY_SECTIONS = COMMENTARY_PRESETS.default.sections;

/** The most sections a set may have (one form field each), and the longest heading. */
export const MAX_SECTIONS = 6;
export const MAX_HEADING = 60;
/** The longest text of one section (the forms allow as much). */
export const MAX_SECTION_CHARS = 3000;

/** The preset a name means (`halton`, `Cheshire West`, `cwac`…), or null. */
export function readPreset(text: string): CommentaryPreset | null {
  const t = text.trim().toLowerCase().replace(/[^a-z]+/g, ' ').trim();
  if (/^(default|standard|none|reset)$/.test(t)) return 'default';
  if (/^halton( borough council)?$/.test(t)) return 'halton';
  if (/^trafford( council)?$/.test(t)) return 'trafford';
  if (/^(cheshire west( and chester)?|cwac|cheshire)$/.test(t)) return 'cheshire-west';
  return null;
}

/**
 * The sections setting as typed: a preset's name, or headings separated by `;` or `|`
 * ("Key messages; Doing well; Could do better"). A reason when it cannot be one.
 */
export function readSections(text: string): { ok: true; style: Partial<CommentaryStyle> & { sections: string[] } } | { ok: false; error: string } {
  const preset = readPreset(text);
  if (preset) return { ok: true, style: { sections: [...COMMENTARY_PRESETS[preset].sections], initials: COMMENTARY_PRESETS[preset].initials } };
  const parts = text.split(/[;|]/).map((s) => s.trim().replace(/\s+/g, ' ')).filter(Boolean);
  if (!parts.length) return { ok: false, error: 'expected a preset (halton, trafford, cheshire west, default) or headings separated by ";"' };
  if (parts.length > MAX_SECTIONS) return { ok: false, error: `at most ${MAX_SECTIONS} sections — got ${parts.length}` };
  const long = parts.find((p) => p.length > MAX_HEADING);
  if (long) return { ok: false, error: `a heading of at most ${MAX_HEADING} characters — "${long.slice(0, 30)}…" is ${long.length}` };
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p.toLowerCase())) return { ok: false, error: `"${p}" is given twice` };
    seen.add(p.toLowerCase());
  }
  return { ok: true, style: { sections: parts } };
}

/** "Tom Brennan" → "TB"; "Mary-Jane O'Neil" → "MJON"; "Dr. Aisha Malik" → "AM" (titles left out). */
export function initialsOf(name: string): string {
  const words = name
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !/^(dr|mr|mrs|ms|miss|prof|cllr|sir|dame)\.?$/i.test(w));
  return words
    .flatMap((w) => w.split(/[-’']/))
    .map((w) => w.replace(/[^\p{L}]/gu, '')[0] ?? '')
    .join('')
    .toUpperCase();
}

/** The paragraphs of a section's text: lines, blank lines and bullets each their own (councils write either). */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Each paragraph with the author's initials after it, as Halton prints them: "… published. (TC)". A paragraph already signed is left. */
export function signedParagraphs(text: string, initials: string | null): string[] {
  return paragraphsOf(text).map((p) => (initials && !/\([A-Z]{1,5}\)$/.test(p) ? `${p} (${initials})` : p));
}

/**
 * The sections to write now: the organisation's headings, each with the text already written under a
 * heading of the same name (case and spacing ignored). Text under a heading the organisation no longer
 * uses is kept, after them, so nothing written is lost when the setting changes.
 */
export function sectionsFor(headings: string[], written: CommentarySection[] = []): CommentarySection[] {
  const key = (h: string) => h.toLowerCase().replace(/\s+/g, ' ').trim();
  const byHeading = new Map(written.map((s) => [key(s.heading), s.text]));
  const out = headings.map((heading) => ({ heading, text: byHeading.get(key(heading)) ?? '' }));
  for (const s of written) if (s.text.trim() && !headings.some((h) => key(h) === key(s.heading))) out.push({ heading: s.heading, text: s.text });
  return out;
}

/** The sections with nothing written. */
export const emptySections = (sections: CommentarySection[]): string[] => sections.filter((s) => !s.text.trim()).map((s) => s.heading);

/** Whether two versions say the same (state included): saving it again is no new version. */
export function sameCommentary(a: { sections: CommentarySection[]; state: CommentaryState }, b: { sections: CommentarySection[]; state: CommentaryState }): boolean {
  const norm = (s: CommentarySection[]) => JSON.stringify(s.map((x) => [x.heading, x.text.trim()]));
  return a.state === b.state && norm(a.sections) === norm(b.sections);
}

/**
 * Which section a person means by the words before the colon of an inline commentary
 * (`doing well`, `could do`, `key dev`): the one whose heading starts with them (case and spacing
 * ignored), a whole-heading match first. Null when none does or several do.
 */
export function matchSection(headings: string[], words: string): string | null {
  const w = words.toLowerCase().replace(/\s+/g, ' ').trim();
  if (w.length < 2) return null;
  const exact = headings.filter((h) => h.toLowerCase() === w);
  if (exact.length === 1) return exact[0]!;
  const starts = headings.filter((h) => h.toLowerCase().startsWith(w));
  return starts.length === 1 ? starts[0]! : null;
}

/** "theme:12", or "report" for the whole report's: one key for both kinds. */
export const commentaryScope = (themeId: number | null): string => (themeId === null ? 'report' : `theme:${themeId}`);
