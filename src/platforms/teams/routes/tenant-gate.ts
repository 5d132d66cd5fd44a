// First, before any route: a readable activity from a tenant this bot serves. A bot registered in
// Teams is reachable from any tenant, and a foreign tenant's directory can claim any e-mail address,
// so anything else is refused (403) and logged.
import type { App } from '@microsoft/teams.apps';
import type { InvokeResponse } from '@microsoft/teams.api';
import { activitySchema, tenantOf } from '../activity.ts';
import type { TeamsContext } from '../context.ts';

export function useTenantGate(app: App, ctx: TeamsContext): void {
  app.use(async (c) => {
    const parsed = activitySchema.safeParse(c.activity);
    if (!parsed.success) {
      ctx.log.warn({ type: (c.activity as { type?: unknown }).type }, 'teams: activity not understood');
      return { status: 400 } as InvokeResponse;
    }
    const tenantId = tenantOf(parsed.data);
    if (!tenantId || !ctx.config.allowedTenants.includes(tenantId)) {
      ctx.log.warn({ tenantId, type: parsed.data.type, aadObjectId: parsed.data.from.aadObjectId, serviceUrl: parsed.data.serviceUrl }, 'teams: refused an activity from a tenant this bot does not serve');
      return { status: 403 } as InvokeResponse;
    }
    return c.next();
  });
}
