// First, before any route: a readable activity from a tenant this bot serves. A bot registered in
// Teams is reachable from any tenant, and a foreign tenant's directory can claim any e-mail address,
// so anything else is refused (403) and logged: one warn line, identical lines rate-limited (a
// refused tenant's lines are one kind per tenant).
import type { App } from '@microsoft/teams.apps';
import type { InvokeResponse } from '@microsoft/teams.api';
import { activitySchema, tenantOf } from '../activity.ts';
import type { TeamsParts } from './parts.ts';

export function useTenantGate(app: App, ctx: Pick<TeamsParts, 'config' | 'refusals'>): void {
  app.use(async (c) => {
    const parsed = activitySchema.safeParse(c.activity);
    if (!parsed.success) {
      const type = (c.activity as { type?: unknown }).type;
      ctx.refusals.refuse('teams: activity not understood', 'unreadable', { ...(typeof type === 'string' ? { type: type.slice(0, 40) } : {}), problem: parsed.error.issues[0]?.path.join('.') ?? '' });
      return { status: 400 } as InvokeResponse;
    }
    const tenantId = tenantOf(parsed.data);
    if (!tenantId || !ctx.config.allowedTenants.includes(tenantId)) {
      const claimed = [parsed.data.conversation.tenantId, parsed.data.channelData?.tenant?.id].filter((t): t is string => typeof t === 'string' && t !== '');
      const kind = tenantId ?? (claimed.length ? 'the tenant fields disagree' : 'no tenant');
      ctx.refusals.refuse('teams: refused an activity from a tenant this bot does not serve', kind, {
        tenantId: tenantId ?? null,
        ...(tenantId ? {} : { reason: kind, claimed: claimed.map((t) => t.slice(0, 64)) }),
        type: parsed.data.type,
        aadObjectId: parsed.data.from.aadObjectId,
        serviceUrl: parsed.data.serviceUrl,
      });
      return { status: 403 } as InvokeResponse;
    }
    return c.next();
  });
}
