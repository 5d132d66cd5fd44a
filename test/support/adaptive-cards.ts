// Adaptive Cards checked with Microsoft's own library (`adaptivecards`, the renderer Teams' web
// client is built on) at the version each card declares: every element and property known at that
// version, every input with a unique id. Used on every card the fake Bot Connector receives and
// every card an invoke answers with, so any test that makes a card checks it.
import * as AC from 'adaptivecards';
import { ACTIVITY_LIMIT } from '../../src/platforms/teams/cards.ts';

/**
 * Teams extensions the library dates later than Teams supports them. `choices.data` (dynamic
 * typeahead on Input.ChoiceSet) is placed in 1.6 by the library, but Microsoft's Teams documentation
 * ("Typeahead search in Adaptive Cards") uses it in 1.2 and 1.5 cards, and Teams renders it there.
 */
const TEAMS_EXTENSIONS = [/^Property "choices\.data" is supported in version 1\.6, but you are using version 1\.5\.$/];

/** What is wrong with a card at its declared version (empty when nothing is). */
export function cardProblems(card: unknown): string[] {
  const json = card as { type?: unknown; version?: unknown };
  if (json?.type !== 'AdaptiveCard') return ['not an AdaptiveCard'];
  if (typeof json.version !== 'string') return ['no version declared'];
  const declared = AC.Version.parse(json.version, new AC.SerializationContext());
  if (!declared?.isValid) return [`version ${json.version} is not an Adaptive Cards version`];
  const ctx = new AC.SerializationContext(declared);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(json, ctx);
  const problems: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) {
    const m = ctx.getEventAt(i).message;
    if (!TEAMS_EXTENSIONS.some((re) => re.test(m))) problems.push(`parse: ${m}`);
  }
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

/** The problems of an activity's cards, and its size against Teams' limit (measured as sent, in bytes). */
export function activityProblems(raw: string): string[] {
  const body = JSON.parse(raw) as { attachments?: { contentType?: string; content?: unknown }[] };
  const problems: string[] = [];
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > ACTIVITY_LIMIT) problems.push(`${bytes} bytes, over Teams' ${ACTIVITY_LIMIT}`);
  for (const a of body.attachments ?? []) if (a.contentType === 'application/vnd.microsoft.card.adaptive') problems.push(...cardProblems(a.content));
  return problems;
}
