import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { UserError } from '../../src/errors.ts';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/kpi');

function problems(env: Record<string, string>): string {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('defaults to the embedded database, the console and Europe/London', () => {
    const c = load({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/srv/kpi/data/pglite' });
    expect(c.slack).toBeNull();
    expect(c.teams).toBeNull();
    expect(c.timeZone).toBe('Europe/London');
    expect(c.port).toBe(3000);
    expect(c.cron['weekly-digest']).toBe('0 8 * * 1');
  });

  it('uses PostgreSQL when DATABASE_URL is set and moves the data directory with KPI_DATA_DIR', () => {
    expect(load({ DATABASE_URL: 'postgres://kpi@db:5432/kpi' }).database).toEqual({ kind: 'postgres', url: 'postgres://kpi@db:5432/kpi' });
    expect(load({ KPI_DATA_DIR: 'var/db' }).database).toEqual({ kind: 'pglite', dataDir: '/srv/kpi/var/db' });
  });

  it('treats empty values as unset', () => {
    expect(load({ DATABASE_URL: '', SLACK_BOT_TOKEN: ' ' }).database.kind).toBe('pglite');
  });

  it('turns Slack on with a bot token and signing secret', () => {
    const c = load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    expect(c.slack).toMatchObject({ botToken: 'xoxb-1', signingSecret: 's', apiUrl: 'http://127.0.0.1:9/api/', appToken: undefined });
  });

  it('lists every problem at once, with a hint, and never echoes a secret', () => {
    const msg = problems({
      DATABASE_URL: 'mysql://x',
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      PORT: 'eighty',
      TZ: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
      KPI_CRON_WEEKLY_DIGEST: 'mondays',
    });
    for (const name of ['DATABASE_URL', 'SLACK_BOT_TOKEN', 'PORT', 'TZ', 'LOG_LEVEL', 'KPI_CRON_WEEKLY_DIGEST', 'SLACK_SIGNING_SECRET']) {
      expect(msg).toContain(name);
    }
    expect(msg).toContain('.env.example');
    expect(msg).not.toContain('xoxp-user-token-secret');
    expect(msg).toContain('"eighty"');
  });

  it('requires the bot token with other Slack credentials, and Teams id and password together', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 'x' })).toContain('SLACK_BOT_TOKEN');
    expect(problems({ TEAMS_APP_ID: 'abc' })).toContain('TEAMS_APP_PASSWORD');
  });

  it('turns Teams on with an app id, password and public address; overrides are for tests and clouds', () => {
    const tenant = '5F0C8A34-2E6B-4D1F-8C3A-7B9E1D2F4A60';
    const teams = { TEAMS_APP_ID: '6c2f1e0a-3b7d-4c55-9a1e-0b5e4f7d2a10', TEAMS_APP_PASSWORD: 'secret-pw', TEAMS_TENANT_ID: tenant, KPI_PUBLIC_URL: 'https://kpi.example.gov.uk/' };
    const c = load(teams);
    expect(c.teams).toEqual({
      appId: teams.TEAMS_APP_ID,
      appPassword: 'secret-pw',
      tenantId: tenant,
      allowedTenants: [tenant.toLowerCase()],
      serviceUrl: 'https://smba.trafficmanager.net/teams/',
      openIdMetadataUrl: undefined,
      loginUrl: undefined,
      retryBaseMs: 500,
    });
    expect(load({ ...teams, TEAMS_RETRY_BASE_MS: '20' }).teams?.retryBaseMs).toBe(20);
    expect(c.publicUrl).toBe('https://kpi.example.gov.uk');
    expect(c.fileRetentionDays).toBe(30);
    expect(load({ ...teams, KPI_FILE_RETENTION_DAYS: '7' }).fileRetentionDays).toBe(7);
    expect(problems({ ...teams, KPI_FILE_RETENTION_DAYS: '0' })).toContain('KPI_FILE_RETENTION_DAYS: a whole number of days from 1 to 3650');
    const both = load({ ...teams, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', TEAMS_LOGIN_URL: 'http://127.0.0.1:9/login' });
    expect([both.slack?.botToken, both.teams?.loginUrl]).toEqual(['xoxb-1', 'http://127.0.0.1:9/login']);
    const msg = problems({ TEAMS_APP_ID: teams.TEAMS_APP_ID, TEAMS_APP_PASSWORD: 'secret-pw', TEAMS_TENANT_ID: 'council' });
    expect(msg).toContain('KPI_PUBLIC_URL');
    expect(msg).toContain('TEAMS_TENANT_ID: a Microsoft Entra tenant id');
    expect(msg).not.toContain('secret-pw');
    expect(problems({ ...teams, TEAMS_OPENID_METADATA_URL: 'https://login.example/.well-known/openid-configuration' })).toContain('TEAMS_OPENID_METADATA_URL: a URL ending /.well-known/openidconfiguration');
  });

  it('reads import files on the import thread unless KPI_IMPORT_THREAD=off', () => {
    expect(load({}).importReadOn).toBe('import-thread');
    expect(load({ KPI_IMPORT_THREAD: 'on' }).importReadOn).toBe('import-thread');
    expect(load({ KPI_IMPORT_THREAD: 'off' }).importReadOn).toBe('this-thread');
    expect(problems({ KPI_IMPORT_THREAD: 'no' })).toContain('KPI_IMPORT_THREAD');
  });

  it('serves only the tenants it is told: TEAMS_TENANT_ID, TEAMS_ALLOWED_TENANTS, and never none', () => {
    const teams = { TEAMS_APP_ID: '6c2f1e0a-3b7d-4c55-9a1e-0b5e4f7d2a10', TEAMS_APP_PASSWORD: 'secret-pw', KPI_PUBLIC_URL: 'https://kpi.example.gov.uk/' };
    const a = '5f0c8a34-2e6b-4d1f-8c3a-7b9e1d2f4a60';
    const b = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect(problems(teams)).toContain("TEAMS_TENANT_ID: required with Teams: the council's Microsoft Entra tenant id (or TEAMS_ALLOWED_TENANTS");
    expect(load({ ...teams, TEAMS_ALLOWED_TENANTS: `${a}, ${b.toUpperCase()}` }).teams).toMatchObject({ tenantId: undefined, allowedTenants: [a, b] });
    expect(load({ ...teams, TEAMS_TENANT_ID: a, TEAMS_ALLOWED_TENANTS: `${b};${a}` }).teams).toMatchObject({ tenantId: a, allowedTenants: [a, b] });
    expect(problems({ ...teams, TEAMS_ALLOWED_TENANTS: `${a},contoso` })).toContain('TEAMS_ALLOWED_TENANTS');
  });

  it('rejects a port out of range', () => {
    expect(problems({ PORT: '70000' })).toContain('PORT');
  });
});
