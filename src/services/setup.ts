// What stops the bot working as it should, for the performance admins who can have it put right: a
// chat platform's missing permission (a Slack scope the bot's token lacks, with what breaks and the
// fix) and the messages held because of one (src/outbox/sender.ts). Shown in `/kpi people`, the
// admins' weekly digest and `kpi people`; the log and /readyz say the same to operators.
import type { CommandDeps } from '../ports.ts';
import { platformLabel } from '../catalogue/platforms.ts';
import { formatDate, localDateOf } from '../domain/dates.ts';

/** How many held messages are named one by one. */
const NAMED = 3;

/** One line per missing permission, then one for the held messages; none when all is well. */
export async function setupLines(deps: Pick<CommandDeps, 'outbox' | 'setupProblems'>, timeZone: string): Promise<string[]> {
  const [problems, held] = await Promise.all([deps.setupProblems?.() ?? [], deps.outbox.held()]);
  const lines = problems.map((p) => `• ${platformLabel(p.platform) ?? p.platform} lacks the \`${p.missing}\` ${p.platform === 'slack' ? 'scope' : 'permission'}: ${p.breaks} To fix: ${p.fix}.`);
  if (held.length) {
    const named = held.slice(0, NAMED).map((h) => `${h.purpose} to ${h.personId !== null ? 'a person' : h.channel}, queued ${formatDate(localDateOf(h.queuedAt, timeZone))}`);
    const more = held.length > NAMED ? `; and ${held.length - NAMED} more` : '';
    const reasons = [...new Set(held.map((h) => h.reason))].join(' ');
    lines.push(`• ${held.length} ${held.length === 1 ? 'message is' : 'messages are'} held (${named.join('; ')}${more}). ${reasons}`);
  }
  return lines;
}
