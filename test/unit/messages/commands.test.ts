// Command references: written once as `/kpi …`, typed the way each platform and conversation needs.
import { describe, expect, it } from 'vitest';
import { renderCommands, typedCommand, type CommandStyle } from '../../../src/messages/commands.ts';
import { toMrkdwn } from '../../../src/platforms/slack/blocks.ts';
import { renderInline } from '../../../src/platforms/console/render.ts';

const asIs = { reference: (t: string) => `[${t}]`, code: (c: string) => `<${c}>` };

describe('command references', () => {
  const contexts: [CommandStyle, string][] = [
    [{ kind: 'slash' }, '/kpi show sickness-absence'],
    [{ kind: 'bare', name: 'kpi' }, 'show sickness-absence'],
    [{ kind: 'mention', name: 'kpi' }, '@kpi show sickness-absence'],
  ];

  it.each(contexts)('in %j a command is typed %s', (ctx, typed) => {
    expect(typedCommand('show sickness-absence', ctx)).toBe(typed);
    expect(renderCommands('Try `/kpi show sickness-absence` for `sickness-absence`.', ctx, asIs)).toBe(`Try [${typed}] for <sickness-absence>.`);
  });

  it('rewrites a /kpi written without backticks in a 1:1 chat or a mention, and leaves paths, words and escaped backticks alone', () => {
    const personal: CommandStyle = { kind: 'bare', name: 'kpi' };
    expect(renderCommands('Usage: /kpi report [period] — e.g. /kpi report 2025/26 Q2.', personal, asIs)).toBe('Usage: report [period] — e.g. report 2025/26 Q2.');
    expect(renderCommands('(see /kpi mine)', { kind: 'mention', name: 'kpi' }, asIs)).toBe('(see @kpi mine)');
    expect(renderCommands('https://x.example/kpi/show and notkpi /kpis \\`/kpi x\\`', personal, asIs)).toBe('https://x.example/kpi/show and notkpi /kpis \\`/kpi x\\`');
  });

  it('Slack keeps /kpi as code; the console prints it as typed there', () => {
    expect(toMrkdwn('Type `/kpi list red`, or /kpi help', new Map())).toBe('Type `/kpi list red`, or /kpi help');
    expect(renderInline('Type `/kpi list red`', () => 'x')).toBe('Type /kpi list red');
  });
});
