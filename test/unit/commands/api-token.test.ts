// /kpi api-token on the memory repository: performance admins make, list and revoke tokens; the
// secret is said once, privately, and kept only as its hash; everyone else is refused.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { sha256, tokenFor } from '../../../src/services/api-tokens.ts';

describe('/kpi api-token', () => {
  const b = useBot();
  const slash = (who: Parameters<typeof b.as>[0], line: string) => runSlashCommand(b.deps, b.as(who), `/kpi api-token ${line}`);

  it('makes a token for an admin, shows the secret once and only privately, and it then authenticates', async () => {
    const { admin, absence } = b.council;
    const r = await slash(admin, `create HR-System --indicators ${absence.slug}`);
    expect(r).toMatchObject({ kind: 'message', visibility: 'private' });
    const secret = /`(kpi_[0-9a-f]{48})`/.exec(said(r))?.[1];
    expect(secret).toBeDefined();
    expect(said(r)).toContain(`API token **hr-system** made. It may write ${absence.slug}`);
    expect(said(r)).toContain('Shown once, only to you');
    // The summary a platform may show in a notification does not carry it.
    expect(r.kind === 'message' && r.message.text).not.toContain(secret);
    expect(await tokenFor(b.repo, `Bearer ${secret}`)).toMatchObject({ name: 'hr-system', scope: { kind: 'indicators', indicatorIds: [absence.id] } });
    expect(b.repo.store.t.apiTokens.map((t) => t.hash)).toEqual([sha256(secret!)]);
    expect(b.repo.auditLog().at(-1)).toMatchObject({ action: 'api-token.create', entityId: 'hr-system', actorId: admin.id });
    expect(JSON.stringify(b.repo.auditLog())).not.toContain(secret);
    // The list names it by prefix, never the secret.
    const list = said(await slash(admin, 'list'));
    expect(list).toContain(`\`hr-system\` (${secret!.slice(0, 12)}…) — writes ${absence.slug}`);
    expect(list).not.toContain(secret);
    // Revoked: refused from now on, and listed as revoked.
    expect(said(await slash(admin, 'revoke hr-system'))).toContain('API token **hr-system** (');
    expect(await tokenFor(b.repo, `Bearer ${secret}`)).toBe('revoked');
    expect(said(await slash(admin, 'list'))).toContain('**revoked**');
  });

  it('scopes a token to a theme, refuses unknown indicators and a name in use, and says why', async () => {
    const { admin, theme } = b.council;
    expect(said(await slash(admin, `create warehouse --theme ${theme.slug}`))).toContain(`It may write the theme ${theme.name}`);
    expect(said(await slash(admin, `create warehouse --theme ${theme.slug}`))).toContain('There is already an API token called warehouse');
    expect(said(await slash(admin, 'create hr --indicators nothing-like-it'))).toContain('No indicator has the short name or reference "nothing-like-it"');
    expect(said(await slash(admin, 'create hr'))).toContain('Give the indicators the token may write (--indicators a,b) or a theme (--theme X)');
    expect(said(await slash(admin, 'create x! --theme t'))).toContain('cannot name an API token');
    expect(b.repo.store.t.apiTokens.map((t) => t.name)).toEqual(['warehouse']);
  });

  it('reads indicators by reference with its space ("BV 12i"), comma-separated, and slugs typed with spaces between', async () => {
    const { admin, absence, cleanliness } = b.council;
    expect(said(await slash(admin, `create hr --indicators ${absence.ref}, ${cleanliness.slug}`))).toContain(`It may write ${absence.slug}, ${cleanliness.slug}`);
    expect(said(await slash(admin, `create rev --indicators ${cleanliness.slug} ${absence.slug}`))).toContain(`It may write ${cleanliness.slug}, ${absence.slug}`);
    expect(said(await slash(admin, `create payroll --indicators ${absence.ref}, BV 9`))).toContain('No indicator has the short name or reference "BV 9"');
  });

  it('is for performance admins only', async () => {
    const { owner, absence } = b.council;
    expect(said(await slash(owner, `create hr --indicators ${absence.slug}`))).toContain('only performance admins can make, list or revoke API tokens');
    expect(said(await slash(owner, 'list'))).toContain('only performance admins');
    expect(b.repo.store.t.apiTokens).toEqual([]);
  });
});
