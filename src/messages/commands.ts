// Command references: how a command is typed, in the one place that knows each platform.
//
// In the neutral markup (types.ts) a code span that starts with `/kpi` is a command reference:
// `/kpi show sickness-absence`, `/kpi list red`. A `/kpi …` written without backticks ("Usage:
// /kpi report [period]") is read the same way, so a hint in a user error is right everywhere too.
// Each platform renders a reference in the style of where it is read (CommandStyle):
//   slash — a slash command, where a platform has them in every conversation, and the console: /kpi show x
//   mention — where a message reaches the bot only with an @mention (a channel, on some):        @kpi show x
//   bare — a 1:1 chat with the bot, where the command is typed on its own:                        show x
// Commands and jobs write `/kpi …` once; a new command gets the right wording on every platform.

/** How commands are typed where a message is read; `name` is the name people @mention the bot by. */
export type CommandStyle = { kind: 'slash' } | { kind: 'mention'; name: string } | { kind: 'bare'; name: string };

export const SLASH_COMMANDS: CommandStyle = { kind: 'slash' };

/** The words to type for a command given without its `/kpi` prefix ("show x"; "" for the bare command). */
export function typedCommand(command: string, style: CommandStyle): string {
  const rest = command.trim();
  switch (style.kind) {
    case 'slash':
      return rest ? `/kpi ${rest}` : '/kpi';
    case 'bare':
      return rest || style.name;
    case 'mention':
      return rest ? `@${style.name} ${rest}` : `@${style.name}`;
  }
}

/** `/kpi …` inside a code span: the group is what follows the prefix. */
const CODE_REFERENCE = /^\/kpi(?:\s+([^]*))?$/;
/** A bare `/kpi` prefix in running text (not part of a path or a word). */
const BARE_REFERENCE = /(^|[\s(“"'‘])\/kpi(\s+|(?=$|[.,;:!?)”"'’]))/g;

export interface CommandRendering {
  /** How a command reference in a code span is shown (as code, or in bold where the platform's cards have no code style). */
  reference(typed: string): string;
  /** How any other code span is shown (a short name, a value). */
  code(content: string): string;
}

/**
 * The markup with every command reference written in `ctx`'s style: code spans go through `render`, bare
 * `/kpi` prefixes in the text between them are rewritten in place. Escaped backticks (\`) are left alone.
 */
export function renderCommands(markup: string, ctx: CommandStyle, render: CommandRendering): string {
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

function bare(text: string, style: CommandStyle): string {
  if (style.kind === 'slash') return text;
  // In a 1:1 chat the prefix simply goes ("run /kpi mine" → "run mine"); elsewhere it is the @mention.
  return text.replace(BARE_REFERENCE, (_m, before: string, space: string) => (style.kind === 'bare' ? before : `${before}@${style.name}${space}`));
}
