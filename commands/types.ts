// A subcommand of /kpi: a plain function over ports. Platforms only translate to and from it.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';

export interface SubCommand {
  name: string;
  aliases?: string[];
  /** One usage line, without the leading "/kpi ". */
  usage: string;
  summary: string;
  examples?: string[];
  /** Only shown in help to these roles (e.g. admin-only commands). */
  roles?: ('officer' | 'director' | 'admin')[];
  run(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult>;
}
