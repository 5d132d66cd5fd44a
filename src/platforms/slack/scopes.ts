// The bot scopes kpi-bot asks Slack for (deploy/slack-manifest.yml lists the same, in the same
// order: test/unit/platforms/slack-scopes.test.ts), what breaks without each, and which of them the
// bot's token has. Slack says which scopes a token carries in the `x-oauth-scopes` header of every
// Web API answer; @slack/web-api gives it as `response_metadata.scopes`. The bot reads it once at
// start (auth.test, src/platforms/slack/transport.ts) and names every missing scope in the log and
// in readiness (/readyz); a `missing_scope` answer later (with Slack's `needed`) adds to what is known.
import type { Logger } from '../../log.ts';
import type { SetupProblem } from '../../ports.ts';

export interface SlackScope {
  scope: string;
  /** What breaks without it, in a sentence a performance admin can act on. */
  breaks: string;
  /** Without it, a post whose reply was lost cannot be looked for: the outbox holds it (src/outbox/sender.ts). */
  holdsPosts?: boolean;
}

/** Every bot scope the manifest asks for, in the manifest's order. */
export const SLACK_SCOPES: readonly SlackScope[] = [
  { scope: 'commands', breaks: '/kpi does nothing: Slack does not send the command to the bot.' },
  { scope: 'chat:write', breaks: 'nothing can be posted: no answer, alert, chase or digest reaches anyone.' },
  { scope: 'chat:write.public', breaks: 'alerts to a public channel the bot has not joined fail until it joins.' },
  { scope: 'channels:join', breaks: '/kpi subscribe cannot join a public channel: invite the bot with /invite @kpi instead.' },
  { scope: 'channels:read', breaks: '/kpi subscribe cannot check a public channel, so it refuses to subscribe it.' },
  { scope: 'groups:read', breaks: '/kpi subscribe cannot check a private channel, so it refuses to subscribe it.' },
  {
    scope: 'channels:history',
    breaks:
      'a post in a public channel whose reply was lost (a timeout, a 5xx) cannot be found: rather than risk posting it twice, the outbox holds it, with its charts, for a performance admin — it goes out once the scope is added and the bot restarted.',
    holdsPosts: true,
  },
  {
    scope: 'groups:history',
    breaks: 'the same for a private channel: a post whose reply was lost is held, with its charts, until the scope is added and the bot restarted.',
    holdsPosts: true,
  },
  { scope: 'files:write', breaks: 'charts, reports and import reports cannot be uploaded: messages that carry them are retried, then given up.' },
  { scope: 'files:read', breaks: 'a register file given to /kpi import or shared in a direct message cannot be downloaded.' },
  {
    scope: 'im:history',
    breaks: 'a file shared with the bot in a direct message is not seen, and a direct message whose reply was lost cannot be found: it is held, with its charts, until the scope is added and the bot restarted.',
    holdsPosts: true,
  },
  { scope: 'im:write', breaks: 'no direct message can be opened: chases, digests and private answers fail.' },
  { scope: 'users:read', breaks: 'the bot cannot check who a Slack user is: people are not linked from a Slack ID in the People sheet.' },
  { scope: 'users:read.email', breaks: 'people cannot be found by e-mail: only those who write to the bot first are linked.' },
];

const FIX = 'add it under OAuth & Permissions → Bot Token Scopes (or paste deploy/slack-manifest.yml again), reinstall the app to the workspace, then restart the bot';

function problem(scope: string): SetupProblem {
  const known = SLACK_SCOPES.find((s) => s.scope === scope);
  return {
    platform: 'slack',
    missing: scope,
    breaks: known?.breaks ?? 'a call that needs it fails.',
    fix: FIX,
    ...(known?.holdsPosts ? { holdsPosts: true } : {}),
  };
}

/** The scopes of the manifest a token with `granted` lacks, with what breaks. */
export function missingScopes(granted: readonly string[]): SetupProblem[] {
  const have = new Set(granted);
  return SLACK_SCOPES.filter((s) => !have.has(s.scope)).map((s) => problem(s.scope));
}

/** What Slack said in a `missing_scope` answer: the scope it needed, and the scopes the token has. */
export function missingScopeOf(e: unknown): { needed: string; provided: string[] | null } | null {
  const data = (e as { data?: { error?: unknown; needed?: unknown; provided?: unknown; response_metadata?: { scopes?: unknown } } }).data;
  if (data?.error !== 'missing_scope') return null;
  const needed = typeof data.needed === 'string' && data.needed ? data.needed : 'a scope Slack did not name';
  const scopes = data.response_metadata?.scopes;
  const provided = Array.isArray(scopes) ? scopes.map(String) : typeof data.provided === 'string' ? data.provided.split(',').map((s) => s.trim()).filter(Boolean) : null;
  return { needed, provided };
}

/**
 * The scopes the bot's token has, as Slack last said. Unknown until read (or when Slack's answer
 * carried no `x-oauth-scopes`, e.g. through a proxy that drops it); a `missing_scope` answer adds
 * its scope to what is missing whether or not the scopes were read.
 */
export class SlackScopes {
  private granted: Set<string> | null = null;
  private readonly learned = new Set<string>();
  private readAt: Date | null = null;
  private readError: string | null = null;
  private asking: Promise<void> | null = null;

  constructor(private readonly log: Logger) {}

  /**
   * What an answer from Slack (auth.test at start) says the token has: `response_metadata.scopes`,
   * from its x-oauth-scopes header. Logs each scope of the manifest it lacks, one line each.
   */
  record(answer: { response_metadata?: { scopes?: string[] } }, now: Date): void {
    this.readAt = now;
    this.readError = null;
    const scopes = answer.response_metadata?.scopes;
    if (!scopes) {
      this.log.warn('slack: Slack did not say which scopes the bot has (no x-oauth-scopes header); a missing one will show when a call is refused');
      return;
    }
    this.granted = new Set(scopes);
    for (const s of scopes) this.learned.delete(s);
    const missing = this.problems();
    for (const p of missing) this.log.warn({ scope: p.missing, fix: p.fix }, `slack: the bot's token lacks the ${p.missing} scope: ${p.breaks}`);
    if (!missing.length) this.log.info({ scopes: scopes.length }, 'slack: the bot has every scope it needs');
  }

  /** Has Slack been asked (whether or not it answered)? */
  get asked(): boolean {
    return this.readAt !== null;
  }

  /** Ask Slack now (auth.test), once at a time: what it says is recorded, or that it could not be asked. Never throws. */
  ask(client: { auth: { test(): Promise<{ response_metadata?: { scopes?: string[] } }> } }, now: Date): Promise<void> {
    this.asking ??= client.auth
      .test()
      .then(
        (answer) => this.record(answer, now),
        (e: unknown) => this.unreadable(e, now),
      )
      .finally(() => {
        this.asking = null;
      });
    return this.asking;
  }

  /** The question to Slack under way, if any (readiness and the outbox wait for it). */
  get pending(): Promise<void> | null {
    return this.asking;
  }

  /** Slack could not be asked (readiness says so). */
  unreadable(e: unknown, now: Date): void {
    this.readAt = now;
    this.readError = (e as Error).message ?? String(e);
    this.log.warn({ err: this.readError }, 'slack: could not ask Slack which scopes the bot has');
  }

  /** Slack refused a call for want of this scope: remember it (and say so the first time). */
  refused(needed: string, provided: string[] | null): void {
    if (provided) this.granted = new Set(provided);
    if (this.granted?.has(needed) || this.learned.has(needed)) return;
    this.learned.add(needed);
    const p = problem(needed);
    this.log.warn({ scope: needed, breaks: p.breaks, fix: p.fix }, `slack: Slack refused a call for want of the ${needed} scope: ${p.breaks}`);
  }

  /** The manifest's scopes the token is known to lack (and any other Slack refused a call for). */
  problems(): SetupProblem[] {
    const missing = this.granted ? missingScopes([...this.granted]) : [];
    for (const s of this.learned) if (!missing.some((m) => m.missing === s)) missing.push(problem(s));
    return missing;
  }

  /** For /readyz: when Slack was asked (and whether it answered), and each missing scope with what breaks. */
  readiness(): Record<string, unknown> {
    return {
      scopes: this.granted ? 'as Slack last said' : this.asking ? 'unknown: Slack is being asked' : this.readError ? 'unknown: Slack could not be asked' : this.readAt ? 'unknown: Slack did not say' : 'unknown: not asked yet',
      ...(this.readAt ? { scopesCheckedAt: this.readAt.toISOString() } : {}),
      ...(this.readError ? { error: this.readError } : {}),
      missingScopes: this.problems().map((p) => ({ scope: p.missing, breaks: p.breaks, fix: p.fix })),
    };
  }
}
