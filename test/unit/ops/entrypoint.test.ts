// The image's entrypoint (deploy/entrypoint.sh): secrets mounted as files reach the bot as variables.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ENTRYPOINT = path.resolve(import.meta.dirname, '../../../deploy/entrypoint.sh');
const tmp = mkdtempSync(path.join(tmpdir(), 'kpi-entrypoint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (env: Record<string, string>) => spawnSync('sh', [ENTRYPOINT, 'env'], { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });

describe('deploy/entrypoint.sh', () => {
  it('reads each NAME_FILE into NAME (without its last newline), drops NAME_FILE, and runs the command', () => {
    writeFileSync(path.join(tmp, 'url'), 'postgres://kpi:p%40ss w0rd$@postgres:5432/kpi\n');
    writeFileSync(path.join(tmp, 'token'), 'xoxb-1-2-3');
    const r = run({ DATABASE_URL_FILE: path.join(tmp, 'url'), SLACK_BOT_TOKEN_FILE: path.join(tmp, 'token'), KPI_FILE_RETENTION_DAYS: '7' });
    expect(r.status).toBe(0);
    const env = r.stdout.split('\n');
    expect(env).toContain('DATABASE_URL=postgres://kpi:p%40ss w0rd$@postgres:5432/kpi');
    expect(env).toContain('SLACK_BOT_TOKEN=xoxb-1-2-3');
    expect(env).toContain('KPI_FILE_RETENTION_DAYS=7');
    expect(env.filter((l) => l.includes('_FILE='))).toEqual([]);
  });

  it('stops, naming the variable, when its file cannot be read', () => {
    const r = run({ SLACK_SIGNING_SECRET_FILE: path.join(tmp, 'missing') });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`kpi-bot: SLACK_SIGNING_SECRET_FILE names ${path.join(tmp, 'missing')}, which cannot be read\n`);
    expect(r.stdout).toBe('');
  });
});
