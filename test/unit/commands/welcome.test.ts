// A channel the bot is added to is told what to ask and how alerts come to it.
import { describe, expect, it } from 'vitest';
import { channelWelcome } from '../../../commands/welcome.ts';
import { renderCommands } from '../../../src/messages/commands.ts';

describe('the welcome in a channel the bot was added to', () => {
  const said = JSON.stringify(channelWelcome('19:abc@thread.tacv2'));

  it('says what to ask, how to subscribe the channel, and the channel’s id', () => {
    expect(said).toContain('`/kpi show sickness-absence`');
    expect(said).toContain('`/kpi subscribe`');
    expect(said).toContain('19:abc@thread.tacv2');
  });

  it('is written once and reads right where it lands: an @mention in a Teams channel', () => {
    const rendered = renderCommands('`/kpi show sickness-absence`', { kind: 'mention', name: 'kpi' }, { reference: (t) => `**${t}**`, code: (c) => c });
    expect(rendered).toBe('**@kpi show sickness-absence**');
  });
});
