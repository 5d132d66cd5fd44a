// The conversation every transport shares: how a handler's answer is delivered, and that work after
// an acknowledgement that fails is logged and said to the person — never silence.
import { describe, expect, it } from 'vitest';
import { afterAck, deliver, type Replies } from '../../../src/platforms/core/conversation.ts';
import { BackgroundWork } from '../../../src/platforms/core/background.ts';
import { inPlaceOfOriginal, say } from '../../../src/messages/build.ts';
import { silentLogger } from '../../../src/log.ts';
import type { CommandResult, Form } from '../../../src/messages/types.ts';

type Said = { how: 'conversation' | 'privately' | 'form'; text: string; replaces?: boolean };

function recordingReplies(fail?: (how: Said['how']) => boolean): { replies: Replies<string>; said: Said[] } {
  const said: Said[] = [];
  const replies: Replies<string> = {
    async inConversation(_here, msg, opts) {
      if (fail?.('conversation')) throw new Error('the platform refused');
      said.push({ how: 'conversation', text: msg.text, replaces: opts.replacesOriginal });
    },
    async privately(_here, msg, opts) {
      if (fail?.('privately')) throw new Error('the platform refused');
      said.push({ how: 'privately', text: msg.text, replaces: opts.replacesOriginal });
    },
    async form(_here, form) {
      said.push({ how: 'form', text: form.title });
    },
  };
  return { replies, said };
}

const form: Form = { id: 'submit', title: 'Submit a value', submitLabel: 'Submit', state: '', fields: [] };

describe('deliver', () => {
  it('says a channel answer in the conversation and a private one privately', async () => {
    const { replies, said } = recordingReplies();
    await deliver(replies, { kind: 'message', visibility: 'channel', message: { text: 'for all', blocks: [] } }, 'here');
    await deliver(replies, say('just you'), 'here');
    expect(said).toEqual([
      { how: 'conversation', text: 'for all', replaces: false },
      { how: 'privately', text: 'just you', replaces: false },
    ]);
  });

  it('passes on that an answer takes the place of the message its button was on', async () => {
    const { replies, said } = recordingReplies();
    await deliver(replies, inPlaceOfOriginal(say('Nothing changed.')), 'here');
    expect(said).toEqual([{ how: 'privately', text: 'Nothing changed.', replaces: true }]);
  });

  it('shows forms, says form errors in words, and closes a form with its message', async () => {
    const { replies, said } = recordingReplies();
    await deliver(replies, { kind: 'form', form }, 'here');
    await deliver(replies, { kind: 'form-errors', errors: { value: 'expected a number' } }, 'here');
    await deliver(replies, { kind: 'form-done', message: { text: 'Saved.', blocks: [] } }, 'here');
    expect(said.map((s) => s.how)).toEqual(['form', 'privately', 'privately']);
    expect(said[0]!.text).toBe('Submit a value');
    expect(said[2]!.text).toBe('Saved.');
  });

  it('says what is happening first, then the slow answer, which replaces nothing', async () => {
    const { replies, said } = recordingReplies();
    const later: CommandResult = inPlaceOfOriginal(say('Here is your report.'));
    await deliver(replies, { kind: 'deferred', message: { text: 'Working on it…', blocks: [] }, result: async () => ({ ...later, replacesOriginal: false }) }, 'here');
    expect(said).toEqual([
      { how: 'privately', text: 'Working on it…', replaces: false },
      { how: 'privately', text: 'Here is your report.', replaces: false },
    ]);
  });

  it('says nothing for options and none', async () => {
    const { replies, said } = recordingReplies();
    await deliver(replies, { kind: 'options', options: [] }, 'here');
    await deliver(replies, { kind: 'none' }, 'here');
    expect(said).toEqual([]);
  });
});

describe('after the acknowledgement', () => {
  it('tells the person privately when the work fails', async () => {
    const { replies, said } = recordingReplies((how) => how === 'conversation');
    const later = afterAck(new BackgroundWork(), replies, silentLogger, 'test');
    await later('slash command', 'here', (here) => deliver(replies, { kind: 'message', visibility: 'channel', message: { text: 'for all', blocks: [] } }, here));
    expect(said).toEqual([{ how: 'privately', text: 'Sorry, something went wrong.', replaces: false }]);
  });

  it('finds out where the person is after acknowledging, and says nothing when even that fails', async () => {
    const { replies, said } = recordingReplies();
    const later = afterAck<string>(new BackgroundWork(), replies, silentLogger, 'test');
    await later('install', async () => 'found', async (here) => {
      expect(here).toBe('found');
    });
    await later('install', async () => Promise.reject(new Error('database down')), async () => {});
    expect(said).toEqual([]);
  });

  it('survives a platform that cannot even take the apology', async () => {
    const { replies } = recordingReplies(() => true);
    const later = afterAck(new BackgroundWork(), replies, silentLogger, 'test');
    await expect(later('button', 'here', async () => Promise.reject(new Error('boom')))).resolves.toBeUndefined();
  });
});
