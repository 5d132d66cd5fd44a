// A chat command: everything one thing a person does in chat answers — how it is typed after /kpi,
// the buttons it owns, the forms it receives and the type-ahead it offers. Plain functions over
// ports; platforms only translate to and from them. Each commands/<name>.ts exports one, and
// commands/index.ts collects them: the router, the help, the dispatcher's tables and each
// platform's command list (e.g. an app manifest) are all read from that list.
import type { Actor, CommandDeps, IncomingFile, Role } from '../src/ports.ts';
import type { CommandResult, FormValues } from '../src/messages/types.ts';

/** A button pressed: `value` is what the button carried (JSON we wrote, checked again on the way in). */
export type ActionHandler = (deps: CommandDeps, actor: Actor, value: string) => Promise<CommandResult>;

/** A form submitted. */
export interface FormHandler {
  /** `state`: what the form carried through the platform; `files`: what was uploaded, by field id. */
  submitted(deps: CommandDeps, actor: Actor, state: string, values: FormValues, files: Record<string, IncomingFile[]>): Promise<CommandResult>;
  /** When the database was unavailable and nothing was saved: how to open the form again. */
  reopen?: string;
}

/** Type-ahead for a form field (by field id, whatever form it is on). */
export type OptionsHandler = (deps: CommandDeps, actor: Actor, query: string) => Promise<CommandResult>;

/** A file shared with the bot in a direct message, with the message's text. */
export type FileHandler = (deps: CommandDeps, actor: Actor, file: IncomingFile, text: string) => Promise<CommandResult>;

/** How the command is typed: `/kpi <name or alias> <args>`. */
export interface SlashGrammar {
  aliases?: string[];
  /** One usage line, without the leading "/kpi ". */
  usage: string;
  summary: string;
  examples?: string[];
  /** Only shown in help to these roles (e.g. admin-only commands). */
  roles?: Role[];
  /** `among`: the commands this one was routed among (help lists them). */
  run(deps: CommandDeps, actor: Actor, args: string, among: readonly SlashCommand[]): Promise<CommandResult>;
}

/** A module that answers no slash command, only buttons or forms (snooze, cancel). */
interface NoSlash {
  aliases?: undefined;
  usage?: undefined;
  summary?: undefined;
  examples?: undefined;
  roles?: undefined;
  run?: undefined;
}

/** What a command owns besides its grammar: ids are unique across all commands (commands/index.ts checks). */
export interface Handlers<A extends string = string, F extends string = string> {
  /** The name it is known by (for a slash command, what follows /kpi). */
  name: string;
  actions?: { [id in A]: ActionHandler };
  forms?: { [id in F]: FormHandler };
  options?: { [fieldId: string]: OptionsHandler };
  fileShared?: FileHandler;
}

export type ChatCommand<A extends string = string, F extends string = string> = Handlers<A, F> & (SlashGrammar | NoSlash);

/** A chat command that is typed: the router, help and each platform's command list (e.g. an app manifest) list these. */
export type SlashCommand = Handlers & SlashGrammar;

export const isSlashCommand = (c: ChatCommand): c is SlashCommand => typeof c.run === 'function';

/** The identity, typed so that the ids of a command's actions and forms stay literal (commands/index.ts derives from them). */
export function defineCommand<const A extends string = never, const F extends string = never>(command: ChatCommand<A, F>): ChatCommand<A, F> {
  return command;
}
