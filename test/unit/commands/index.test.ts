// The commands collected in commands/index.ts: each word, button and form has one owner, help lists
// every typed command, and what no command owns gets today's polite "older version" answers.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { COMMANDS, COMMAND_TABLES, SLASH_COMMANDS } from '../../../commands/index.ts';
import { collectCommands } from '../../../commands/registry.ts';
import { defineCommand } from '../../../commands/types.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';
import { say } from '../../../src/messages/build.ts';

const nothing = async () => say('nothing');

describe('the collected commands', () => {
  const b = useBot();

  it('gives every action, form, type-ahead field and shared file exactly one owner', () => {
    const owned = (kind: string) => [...COMMAND_TABLES.owners].filter(([what]) => what.startsWith(`${kind} `)).map(([what, owner]) => `${what.slice(kind.length + 1)} → ${owner}`);
    expect(owned('action').sort()).toEqual(
      [
        'approve-action-change → update',
        'approve-exception → exception',
        'cancel → cancel',
        'change-period → submit',
        'confirm-close-quarter → close-quarter',
        'confirm-correction → submit',
        'confirm-period → submit',
        'confirm-value → submit',
        'open-action-update → update',
        'open-risk-review → review',
        'open-commentary → commentary',
        'submit-commentary → commentary',
        'open-exception → exception',
        'open-submit → submit',
        'return-action-change → update',
        'return-exception → exception',
        'show → show',
        'snooze → snooze',
      ].sort(),
    );
    expect(owned('form').sort()).toEqual(['action-update → update', 'commentary → commentary', 'confirm-correction → submit', 'confirm-period → submit', 'confirm-value → submit', 'exception → exception', 'import → import', 'return-exception → exception', 'risk-review → review', 'submit → submit']);
    expect(owned('options for field')).toEqual(['indicator → submit']);
    expect(COMMAND_TABLES.owners.get('files shared with the bot')).toBe('import');
    expect(COMMAND_TABLES.actions.size + COMMAND_TABLES.forms.size).toBe(COMMANDS.reduce((n, c) => n + Object.keys(c.actions ?? {}).length + Object.keys(c.forms ?? {}).length, 0));
  });

  it('fails at once when two commands claim the same id or word', () => {
    const a = defineCommand({ name: 'a', usage: 'a', summary: 'a', run: nothing, actions: { show: nothing }, forms: { submit: { submitted: nothing } } });
    expect(() => collectCommands([a, defineCommand({ name: 'b', actions: { show: nothing } })])).toThrow('Two commands claim the action show: a and b');
    expect(() => collectCommands([a, defineCommand({ name: 'b', forms: { submit: { submitted: nothing } } })])).toThrow('Two commands claim the form submit: a and b');
    expect(() => collectCommands([a, defineCommand({ name: 'b', aliases: ['A'], usage: 'b', summary: 'b', run: nothing })])).toThrow('Two commands claim the word "a": a and b');
    expect(() => collectCommands([a, a])).toThrow('Two commands claim the command a');
    expect(() => collectCommands([defineCommand({ name: 'x', fileShared: nothing }), defineCommand({ name: 'y', fileShared: nothing })])).toThrow('Two commands claim the files shared with the bot: x and y');
    // An action id and a form id may be the same word (confirm-correction is both).
    expect(() => collectCommands([a, defineCommand({ name: 'b', actions: { submit: nothing } })])).not.toThrow();
  });

  it('lists every typed command in help with a usage line, and no button-only module', async () => {
    expect(SLASH_COMMANDS.map((c) => c.name)).toEqual(COMMANDS.filter((c) => c.run).map((c) => c.name));
    expect(SLASH_COMMANDS.map((c) => c.name)).not.toContain('snooze');
    const admin = said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi help'));
    for (const c of SLASH_COMMANDS) {
      expect(c.usage.split(' ')[0]).toBe(c.name);
      expect(admin).toContain(`\`/kpi ${c.usage}\` — ${c.summary}`);
    }
    expect(said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi ?'))).toBe(admin);
    expect(said(await runSlashCommand(b.deps, b.as(b.council.admin), 'kpi')).startsWith(admin.slice(0, 40))).toBe(true);
  });

  it('routes buttons to their owner and answers ids no command owns as from an older version', async () => {
    const d = createDispatcher(b.deps);
    const actor = b.as(b.council.officer);
    expect(said(await d.action(actor, 'cancel', ''))).toContain('Nothing changed.');
    expect(said(await d.action(actor, 'show', 'no-such-indicator'))).toContain('There is no indicator `no-such-indicator` any more.');
    expect(said(await d.action(actor, 'frobnicate', '{}'))).toContain('That button is from an older version of the bot and no longer does anything.');
    expect(said(await d.submitForm(actor, 'frobnicate' as never, '{}', {}))).toContain('That form is from an older version of the bot. Please start again.');
    expect(await d.options(actor, 'submit', 'no-such-field', 'abc')).toEqual({ kind: 'options', options: [] });
  });
});
