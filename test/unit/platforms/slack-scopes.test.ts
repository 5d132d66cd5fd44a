// The Slack scopes: the manifest asks for each one the bot names (and docs/operating.md's Slack step 1 lists
// them), the bot reads the token's scopes from Slack's answer and names each missing one once, with
// what breaks; a look-up Slack refuses for want of a scope holds the post instead of retrying it.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { missingScopeOf, SLACK_SCOPES, SlackScopes } from '../../../src/platforms/slack/scopes.ts';
import { PostNotConfirmableError, slackFailure } from '../../../src/platforms/slack/messenger.ts';
import { createLogger } from '../../../src/log.ts';
import { manifestScopes } from '../../support/fake-slack.ts';

function capture(): { log: ReturnType<typeof createLogger>; lines: { level: number; msg: string; scope?: string }[] } {
  const lines: { level: number; msg: string; scope?: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as { level: number; msg: string });
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
}

/** A WebClient platform error as @slack/web-api throws it for Slack's missing_scope answer. */
const missingScope = (needed: string, provided: string[]) =>
  Object.assign(new Error(`An API error occurred: missing_scope`), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'missing_scope', needed, provided: provided.join(','), response_metadata: { scopes: provided, acceptedScopes: [needed] } } });

const AT = new Date('2018-01-15T09:00:00Z');

describe('the scopes the bot asks Slack for', () => {
  it('are those of deploy/slack-manifest.yml, in its order, history scopes for every kind of conversation included', () => {
    expect(manifestScopes()).toEqual(SLACK_SCOPES.map((s) => s.scope));
    expect(manifestScopes()).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'im:history']));
    for (const s of SLACK_SCOPES) expect(s.breaks.length, s.scope).toBeGreaterThan(20);
  });

  it("are each named in docs/operating.md's Slack step 1", () => {
    const doc = readFileSync(new URL('../../../docs/operating.md', import.meta.url), 'utf8');
    const [start, end] = [doc.indexOf('\n## Slack\n'), doc.indexOf('2. **Install to Workspace**')];
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const step1 = doc.slice(start, end);
    for (const s of SLACK_SCOPES) expect(step1, s.scope).toContain(`\`${s.scope}\``);
  });
});

describe('what the token has', () => {
  it('names each missing scope once in the log, at warn level, with what breaks; readiness lists them', () => {
    const { log, lines } = capture();
    const scopes = new SlackScopes(log);
    const granted = manifestScopes().filter((s) => s !== 'channels:history' && s !== 'groups:history');
    scopes.record({ response_metadata: { scopes: granted } }, AT);
    expect(lines.map((l) => [l.level, l.scope])).toEqual([
      [40, 'channels:history'],
      [40, 'groups:history'],
    ]);
    expect(lines[0]!.msg).toBe(`slack: the bot's token lacks the channels:history scope: ${SLACK_SCOPES.find((s) => s.scope === 'channels:history')!.breaks}`);
    expect(scopes.problems().map((p) => [p.missing, p.holdsPosts])).toEqual([
      ['channels:history', true],
      ['groups:history', true],
    ]);
    expect(scopes.readiness()).toMatchObject({ scopesCheckedAt: AT.toISOString(), missingScopes: [{ scope: 'channels:history' }, { scope: 'groups:history' }] });
  });

  it('with every scope: says so once and lists nothing', () => {
    const { log, lines } = capture();
    const scopes = new SlackScopes(log);
    scopes.record({ response_metadata: { scopes: [...manifestScopes(), 'chat:write.customize'] } }, AT);
    expect(scopes.problems()).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(['slack: the bot has every scope it needs']);
  });

  it('unknown when Slack did not say (no x-oauth-scopes) or could not be asked: nothing is listed as missing, and readiness says why', () => {
    const { log } = capture();
    const silent = new SlackScopes(log);
    silent.record({ response_metadata: {} }, AT);
    expect(silent.problems()).toEqual([]);
    expect(silent.readiness()).toMatchObject({ scopes: 'unknown: Slack did not say' });
    const down = new SlackScopes(log);
    down.unreadable(new Error('connect ECONNREFUSED'), AT);
    expect(down.readiness()).toMatchObject({ scopes: 'unknown: Slack could not be asked', error: 'connect ECONNREFUSED' });
  });

  it("learns a scope from Slack's missing_scope answer, saying so once however often it is refused", () => {
    const { log, lines } = capture();
    const scopes = new SlackScopes(log);
    const e = missingScope('groups:history', ['chat:write', 'channels:history']);
    expect(missingScopeOf(e)).toEqual({ needed: 'groups:history', provided: ['chat:write', 'channels:history'] });
    expect(missingScopeOf(Object.assign(new Error('x'), { data: { ok: false, error: 'channel_not_found' } }))).toBeNull();
    scopes.refused('groups:history', null);
    scopes.refused('groups:history', null);
    expect(lines.filter((l) => l.scope === 'groups:history')).toHaveLength(1);
    expect(scopes.problems().map((p) => p.missing)).toEqual(['groups:history']);
  });
});

describe('a post that cannot be looked for', () => {
  it('is held for an admin with the scope and the fix, never retried or treated as given up', () => {
    const failure = slackFailure(new PostNotConfirmableError('channels:history'));
    expect(failure).toMatchObject({ kind: 'unconfirmable' });
    expect((failure as { reason: string }).reason).toMatch(/lacks the channels:history scope.*reinstall it and restart the bot/);
    // Slack's missing_scope for anything else (posting without chat:write) is retried on the back-off, as before.
    expect(slackFailure(missingScope('chat:write', []))).toEqual({ kind: 'transient', outcomeUnknown: false });
  });
});
