// The inbound core every platform calls: who asked is found inside the dispatcher's door (so it is
// tried again with the rest while the database is unavailable), the platform hears once who they
// are, a surface with a deadline gives the database only what the deadline leaves, and the answer
// is delivered where they asked.
import { describe, expect, it } from 'vitest';
import { createInbound, type Sender } from '../../../src/platforms/core/inbound.ts';
import { BackgroundWork } from '../../../src/platforms/core/background.ts';
import type { Replies } from '../../../src/platforms/core/conversation.ts';
import type { Identifier } from '../../../src/platforms/core/identify.ts';
import { INVOKE_DATABASE_MS } from '../../../src/platforms/teams/routes/card-action.ts';
import { say } from '../../../src/messages/build.ts';
import { silentLogger } from '../../../src/log.ts';
import type { Actor, Asker, DispatchOptions, Dispatcher } from '../../../src/ports.ts';

function harness(budgetMs = 30_000) {
  const budgets: (number | undefined)[] = [];
  const said: string[] = [];
  const answerAs = async (who: Asker, opts?: DispatchOptions) => {
    budgets.push(opts?.databaseRetryMs);
    const actor: Actor = typeof who === 'function' ? await who() : who;
    return say(`hello ${actor.person?.displayName ?? 'stranger'} in ${actor.channelId ?? 'no channel'}`);
  };
  const dispatcher: Dispatcher = {
    slash: (who, _t, o) => answerAs(who, o),
    action: (who, _i, _v, o) => answerAs(who, o),
    submitForm: (who, _f, _s, _v, _files, o) => answerAs(who, o),
    fileShared: (who, _f, _t, o) => answerAs(who, o),
    home: (who, o) => answerAs(who, o),
    options: async () => ({ kind: 'options', options: [] }),
    welcome: () => say('welcome'),
  };
  const lucy = { id: 7, displayName: 'Lucy Chambers' } as Actor['person'];
  const identifier: Identifier = { identify: async (userId) => ({ person: userId === 'U-LUCY' ? lucy : null }) };
  const replies: Replies<string> = {
    inConversation: async (here, msg) => void said.push(`${here}: ${msg.text}`),
    privately: async (here, msg) => void said.push(`${here} (privately): ${msg.text}`),
    form: async () => {},
  };
  const background = new BackgroundWork();
  const inbound = createInbound({ platform: 'slack', dispatcher, identifier, replies, background, databaseRetry: { budgetMs }, log: silentLogger });
  return { inbound, budgets, said, background };
}

const lucy = (heard: Actor[] = []): Sender => ({ userId: 'U-LUCY', channelId: 'C1', emailOf: async () => 'lucy@example.test', identified: async (a) => void heard.push(a) });

describe('inbound core', () => {
  it('identifies the person inside the door, tells the platform once who they are, and delivers where they asked', async () => {
    const h = harness();
    const heard: Actor[] = [];
    await h.inbound.afterAck('slash command', 'here', lucy(heard), { kind: 'slash', text: 'mine' });
    await h.background.idle();
    expect(h.said).toEqual(['here (privately): hello Lucy Chambers in C1']);
    expect(heard.map((a) => [a.platform, a.userId, a.person?.displayName])).toEqual([['slack', 'U-LUCY', 'Lucy Chambers']]);
  });

  it('someone the payload does not name is nobody, and is not looked up', async () => {
    const h = harness();
    const r = await h.inbound.answer({ userId: '', emailOf: null }, { kind: 'action', id: 'snooze', value: '' });
    expect(r).toEqual(say('hello stranger in no channel'));
  });

  it('gives the database the whole budget after an acknowledgement, and only what a deadline leaves within one: a Teams invoke 10 s of 30', async () => {
    const h = harness(30_000);
    await h.inbound.answer(lucy(), { kind: 'slash', text: 'mine' });
    await h.inbound.answer(lucy(), { kind: 'form', formId: 'submit', state: '', values: {} }, { databaseMs: INVOKE_DATABASE_MS });
    expect(h.budgets).toEqual([30_000, 10_000]);
    // Never more than configured.
    const short = harness(2_000);
    await short.inbound.answer(lucy(), { kind: 'action', id: 'snooze', value: '' }, { databaseMs: INVOKE_DATABASE_MS });
    expect(short.budgets).toEqual([2_000]);
  });
});
