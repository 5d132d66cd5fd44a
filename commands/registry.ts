// The tables the router and the dispatcher read, built once from the commands commands/index.ts
// lists. Every word, button id, form id and type-ahead field has exactly one owner: a second claim is
// a mistake in the code, so it fails at start (and in the unit tests), never at the first click.
import type { ActionHandler, ChatCommand, FileHandler, FormHandler, OptionsHandler, SlashCommand } from './types.ts';
import { isSlashCommand } from './types.ts';

export interface CommandTables {
  /** Every command that is typed, in help order. */
  slash: readonly SlashCommand[];
  actions: ReadonlyMap<string, ActionHandler>;
  forms: ReadonlyMap<string, FormHandler>;
  options: ReadonlyMap<string, OptionsHandler>;
  fileShared: FileHandler | null;
  /** Who owns what, e.g. "action show" → "show": for messages and tests. */
  owners: ReadonlyMap<string, string>;
}

export function collectCommands(commands: readonly ChatCommand[]): CommandTables {
  const owners = new Map<string, string>();
  const claim = (what: string, owner: ChatCommand): void => {
    const earlier = owners.get(what);
    if (earlier !== undefined) throw new Error(`Two commands claim the ${what}: ${earlier} and ${owner.name} (commands/index.ts). Give one of them another id.`);
    owners.set(what, owner.name);
  };
  const actions = new Map<string, ActionHandler>();
  const forms = new Map<string, FormHandler>();
  const options = new Map<string, OptionsHandler>();
  let fileShared: FileHandler | null = null;
  for (const c of commands) {
    claim(`command ${c.name}`, c);
    if (isSlashCommand(c)) {
      for (const word of [c.name, ...(c.aliases ?? [])]) claim(`word "${word.toLowerCase()}"`, c);
    }
    for (const [id, handler] of Object.entries<ActionHandler>(c.actions ?? {})) {
      claim(`action ${id}`, c);
      actions.set(id, handler);
    }
    for (const [id, handler] of Object.entries<FormHandler>(c.forms ?? {})) {
      claim(`form ${id}`, c);
      forms.set(id, handler);
    }
    for (const [field, handler] of Object.entries<OptionsHandler>(c.options ?? {})) {
      claim(`options for field ${field}`, c);
      options.set(field, handler);
    }
    if (c.fileShared) {
      claim('files shared with the bot', c);
      fileShared = c.fileShared;
    }
  }
  return { slash: commands.filter(isSlashCommand), actions, forms, options, fileShared, owners };
}
