// Command references: how a command is typed, in the one place that knows each platform.
//
// In the neutral markup (types.ts) a code span that starts with `/kpi` is a command reference:
// `/kpi show sickness-absence`, `/kpi list red`. A `/kpi …` written without backticks ("Usage:
// /kpi report [period]") is read the same way, so a hint in a user error is right everywhere too.
// Each platform renders a reference for where it is read:
//   Slack (every conversation) and the console (which reads commands as Slack does):  /kpi show x
//   a Teams channel or group chat (a message reaches the bot only with an @mention):  @kpi show x
//   the 1:1 chat with the bot in Teams (the command on its own):                      show x
// Commands and jobs write `/kpi …` once; a new command gets the right wording on every platform.

/** Where a message is read. */
export type CommandContext =
  | { platform: 'slack' }
  | { platform: 'console' }
  | { platform: 'teams'; conversation: 'personal' | 'channel' | 'groupChat' };

/** The name people @mention the bot by in Teams: the app's short name in its manifest. */
export const TEAMS_BOT_NAME = 'kpi';

/** The words to type for a command given without its `/kpi` prefix ("show x"; "" for the bare command). */
export function typedCommand(command: string, ctx: CommandContext): string {
  const rest = command.trim();
  if (ctx.platform !== 'teams') return rest ? `/kpi ${rest}` : '/kpi';
  if (ctx.conversation === 'personal') return rest || 'kpi';
  return rest ? `@${TEAMS_BOT_NAME} ${rest}` : `@${TEAMS_BOT_NAME}`;
}

/** `/kpi …` inside a code span: the group is what follows the prefix. */
const CODE_REFERENCE = /^\/kpi(?:\s+([^]*))?$/;
/** A bare `/kpi` prefix in running text (not part of a path or a word). */
const BARE_REFERENCE = /(^|[\s(“"'‘])\/kpi(\s+|(?=$|[.,;:!?)”"'’]))/g;

export interface CommandRendering {
  /** How a command reference in a code span is shown (Slack: as code; Teams: bold). */
  reference(typed: string): string;
  /** How any other code span is shown (a short name, a value). */
  code(content: string): string;
}

/**
 * The markup with every command reference written for `ctx`: code spans go through `render`, bare
 * `/kpi` prefixes in the text between them are rewritten in place. Escaped backticks (\`) are left alone.
 */
export function renderCommands(markup: string, ctx: CommandContext, render: CommandRendering): string {
  let out = '';
  let last = 0;
  for (const m of markup.matchAll(/(?<!\\)`([^`]+)`/g)) {
    out += bare(markup.slice(last, m.index), ctx);
    const ref = CODE_REFERENCE.exec(m[1]!);
    out += ref ? render.reference(typedCommand(ref[1] ?? '', ctx)) : render.code(m[1]!);
    last = m.index! + m[0].length;
  }
  return out + bare(markup.slice(last), ctx);
}

function bare(text: string, ctx: CommandContext): string {
  if (ctx.platform !== 'teams') return text;
  // In the 1:1 chat the prefix simply goes ("run /kpi mine" → "run mine"); elsewhere it is the @mention.
  return text.replace(BARE_REFERENCE, (_m, before: string, space: string) => (ctx.conversation === 'personal' ? before : `${before}@${TEAMS_BOT_NAME}${space}`));
}
