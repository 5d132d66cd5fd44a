// The database as an install has it: the embedded database on disk (migrated on first open, one holder at a
// time, across processes and PID namespaces, a data directory that cannot be used explained), PostgreSQL's
// start-up errors and two migrators at once, and rows written by older versions carried across the
// migrations that changed them. The database layer itself, on both backends, is test/integration/database.test.ts.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { LOCK_FILE, migrate, migrationStatus, openDatabase } from '../../src/db/database.ts';
import { spawn, spawnSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { listMigrationNames, MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { StartupError } from '../../src/errors.ts';
import { backends } from '../support/db.ts';
import { nodeCommand } from '../support/children.ts';

const AT = new Date('2025-10-06T08:00:00Z');

describe('embedded database on disk', () => {
  let dir: string;
  /** One migrated data directory for the tests of a second process (initdb takes seconds). */
  let shared: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-pglite-'));
    shared = path.join(dir, 'shared');
    await (await openDatabase({ kind: 'pglite', dataDir: shared }, { migrations: 'apply' })).close();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates on first open, then lets only one holder in at a time', async () => {
    const dataDir = path.join(dir, 'pglite');
    const first = await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' });
    try {
      expect((await migrationStatus(first)).pending).toEqual([]);
      await expect(openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' })).rejects.toThrow(/already open in this process/);
    } finally {
      await first.close();
    }
    // A lock file left by a process that has gone holds no OS lock: it is simply taken.
    writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: os.hostname(), command: 'crashed', since: 'yesterday' }));
    const again = await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' });
    await again.close();
  });

  /** A second bot process on the same data directory, in a PID namespace of its own when asked (root only). */
  function holder(dataDir: string, opts: { ownPidNamespace?: boolean } = {}) {
    const node = [...nodeCommand('hold-database'), dataDir];
    const [cmd, ...args] = opts.ownPidNamespace ? ['unshare', '--pid', '--fork', ...node] : node;
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const said = (re: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const t = setInterval(() => {
          if (re.test(out)) return clearInterval(t), resolve(out);
          if (child.exitCode !== null) return clearInterval(t), reject(new Error(`holder exited ${child.exitCode}: ${out}`));
        }, 25);
      });
    return { child, exited, said, release: () => child.stdin.end() };
  }

  it('names the other process that holds the database, and lets nobody in until it has gone', async () => {
    const dataDir = shared;
    const other = holder(dataDir);
    await other.said(/^open \d+/m);
    const err = await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' }).catch((e) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toContain(`pid ${other.child.pid}`);
    expect(err.message).toContain('DATABASE_URL');
    other.release();
    expect(await other.exited).toBe(0);
    await (await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' })).close();
  }, 60_000);

  // Two containers on one volume: their pids mean nothing to each other, the kernel's lock still holds.
  it.runIf(process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0)(
    'holds across PID namespaces, both ways round, with the same message',
    async () => {
      const dataDir = shared;
      // The other process, in a PID namespace of its own, is pid 1 there: it holds the database…
      const inside = holder(dataDir, { ownPidNamespace: true });
      expect(await inside.said(/^open \d+/m)).toMatch(/^open 1$/m);
      const err = await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' }).catch((e) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect(err.message).toMatch(/in use by another process \(pid 1 on .*\)\. The embedded database allows one process at a time/);
      inside.release();
      expect(await inside.exited).toBe(0);
      // …and when this process holds it, the other namespace is refused, in the same words.
      const mine = await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' });
      try {
        const writes = await mine.prisma.auditLog.count({ where: { action: 'test.hold' } });
        const second = holder(dataDir, { ownPidNamespace: true });
        const said = await second.said(/^refused: /m);
        expect(await second.exited).toBe(3);
        expect(said).toContain(`in use by another process (pid ${process.pid} on ${os.hostname()}`);
        expect(said).toContain('set DATABASE_URL');
        // The process refused wrote nothing.
        expect(await mine.prisma.auditLog.count({ where: { action: 'test.hold' } })).toBe(writes);
      } finally {
        await mine.close();
      }
    },
    60_000,
  );

  it.skipIf(process.getuid?.() === 0)('explains a data directory that is not writable', async () => {
    const ro = path.join(dir, 'readonly');
    rmSync(ro, { recursive: true, force: true });
    writeFileSync(path.join(dir, 'placeholder'), '');
    await import('node:fs').then((fs) => fs.mkdirSync(ro));
    chmodSync(ro, 0o500);
    const err = await openDatabase({ kind: 'pglite', dataDir: path.join(ro, 'pglite') }, { migrations: 'apply' }).catch((e) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toMatch(/not writable.*KPI_DATA_DIR/);
  });

  it('explains a data directory that is a file', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const err = await openDatabase({ kind: 'pglite', dataDir: path.join(file, 'pglite') }, { migrations: 'apply' }).catch((e) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toMatch(/not writable.*KPI_DATA_DIR/);
  });
});

describe.runIf(backends('both').includes('postgres'))('PostgreSQL start-up', () => {
  it('explains an unreachable server without leaking the password', async () => {
    const err = await openDatabase({ kind: 'postgres', url: 'postgres://kpi:hunter2@127.0.0.1:1/kpi' }, { migrations: 'require-current' }).catch((e) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toContain('127.0.0.1:1/kpi');
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).not.toContain('hunter2');
  });

  it('refuses to start on a database that is behind, and two migrators never both apply', async () => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl')! });
    await admin.connect();
    await admin.query('CREATE DATABASE kpi_empty');
    await admin.end();
    const url = inject('pgAdminUrl')!.replace(/\/postgres$/, '/kpi_empty');
    const err = await openDatabase({ kind: 'postgres', url }, { migrations: 'require-current' }).catch((e) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toMatch(/behind.*npm run db:migrate/);

    const [a, b] = await Promise.all([
      openDatabase({ kind: 'postgres', url }, { migrations: 'none' }),
      openDatabase({ kind: 'postgres', url }, { migrations: 'none' }),
    ]);
    try {
      const applied = await Promise.all([migrate(a), migrate(b)]);
      expect(applied.flat()).toEqual(await listMigrationNames());
      const rows = await a.prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM _prisma_migrations');
      expect(Number(rows[0]!.n)).toBe((await listMigrationNames()).length);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

/** A scratch database migrated up to the migration named `…_<suffix>`; `seed` runs there, then the rest is applied and `check` runs. */
async function acrossMigration(suffix: string, seed: (db: PGlite) => Promise<unknown>, check: (db: PGlite) => Promise<void>): Promise<void> {
  const sql = async (name: string) => readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
  const names = await listMigrationNames();
  const at = names.findIndex((n) => n.endsWith(`_${suffix}`));
  expect(at).toBeGreaterThan(0);
  // A new cluster, as initdb left it (prepared once per run: test/setup/global.ts).
  const scratch = new PGlite({ loadDataDir: new Blob([readFileSync(inject('pgliteEmptyDump'))]) });
  try {
    for (const n of names.slice(0, at)) await scratch.exec(await sql(n));
    await seed(scratch);
    for (const n of names.slice(at)) await scratch.exec(await sql(n));
    await check(scratch);
  } finally {
    await scratch.close();
  }
}

describe('migration of the chart images into the hosted-file store', () => {
  it('keeps every chart already posted: same id (so the same URL), bytes and alt text', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await acrossMigration(
      'hosted_files',
      (db) => db.query('INSERT INTO chart_image (id, png, alt_text, width, height, created_at) VALUES ($1, $2, $3, 800, 400, $4)', ['AAAAAAAAAAAAAAAAAAAAAB', png, 'Sickness absence, lower is better', AT]),
      async (db) => {
        const { rows } = await db.query('SELECT id, kind, filename, content_type, bytes, alt_text, created_at FROM hosted_file');
        expect(rows).toEqual([
          { id: 'AAAAAAAAAAAAAAAAAAAAAB', kind: 'chart', filename: 'AAAAAAAAAAAAAAAAAAAAAB.png', content_type: 'image/png', bytes: png, alt_text: 'Sickness absence, lower is better', created_at: AT },
        ]);
      },
    );
  });
});

describe('migration of the direction of travel settings', () => {
  it('keeps what existing installs computed: monthly indicators stay on the same month last year, a set band stays', async () => {
    await acrossMigration(
      'direction_of_travel_basis_and_band',
      async (db) => {
        await db.exec(`INSERT INTO organisation (id, name, maintained_band, exception_questions, chase_cadence, updated_at) VALUES (1, 'Council', 1.5, '[]', '[]', now())`);
        for (const [slug, frequency, basis] of [['monthly-one', 'monthly', null], ['quarterly-one', 'quarterly', null], ['monthly-previous', 'monthly', 'previous']]) {
          await db.query(`INSERT INTO indicator (slug, name, polarity, frequency, dot_basis, updated_at) VALUES ($1, $1, 'higher', $2::"Frequency", $3::"DotBasis", now())`, [slug, frequency, basis]);
        }
      },
      async (db) => {
        const { rows } = await db.query('SELECT slug, dot_basis::text FROM indicator ORDER BY slug');
        expect(rows).toEqual([
          { slug: 'monthly-one', dot_basis: 'same_last_year' },
          { slug: 'monthly-previous', dot_basis: 'previous' },
          { slug: 'quarterly-one', dot_basis: null },
        ]);
        const org = await db.query('SELECT dot_basis::text, maintained_band_kind::text, maintained_band::float8 AS band FROM organisation');
        expect(org.rows).toEqual([{ dot_basis: 'previous', maintained_band_kind: 'relative', band: 1.5 }]);
      },
    );
  });
});

describe('migration of platform names to text', () => {
  it('keeps every subscription, conversation reference, queued message and open form', async () => {
    await acrossMigration(
      'platform_as_text_and_open_form',
      async (db) => {
        await db.exec(`INSERT INTO channel_subscription (platform, channel_id, scope, events, created_at) VALUES ('slack', 'C0PERF', 'all', '{}', now()), ('teams', '19:abc@thread.tacv2', 'all', '{}', now())`);
        await db.exec(`INSERT INTO conversation_ref (platform, key, reference, updated_at) VALUES ('teams', 'channel:19:abc@thread.tacv2', '{}', now())`);
        await db.exec(`INSERT INTO outbound_message (idempotency_key, platform, channel, purpose, payload, next_attempt_at) VALUES ('k1', 'slack', 'C0PERF', 'alert', '{}', now())`);
        await db.query(`INSERT INTO teams_form (id, audience, form, "values", pages, created_at, expires_at) VALUES ('F1', NULL, '{}', '{}', '[]', $1, $1)`, [AT]);
      },
      async (db) => {
        expect((await db.query('SELECT platform, channel_id FROM channel_subscription ORDER BY platform')).rows).toEqual([
          { platform: 'slack', channel_id: 'C0PERF' },
          { platform: 'teams', channel_id: '19:abc@thread.tacv2' },
        ]);
        expect((await db.query('SELECT platform FROM conversation_ref')).rows).toEqual([{ platform: 'teams' }]);
        expect((await db.query('SELECT platform FROM outbound_message')).rows).toEqual([{ platform: 'slack' }]);
        expect((await db.query('SELECT id FROM open_form')).rows).toEqual([{ id: 'F1' }]);
        // A platform the enum never knew is now just a name.
        await db.exec(`INSERT INTO channel_subscription (platform, channel_id, scope, events, created_at) VALUES ('mattermost', 'town-square', 'all', '{}', now())`);
      },
    );
  }, 180_000);
});
