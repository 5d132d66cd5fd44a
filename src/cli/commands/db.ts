import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { migrate, migrationStatus, openDatabase } from '../../db/database.ts';
import { backupDatabase, restoreDatabase } from '../../db/backup.ts';
import { copyDatabase } from '../../db/copy.ts';
import { createLogger } from '../../log.ts';
import { createMigration } from '../../db/migrate.ts';
import { UserError } from '../../errors.ts';
import { withDatabase } from '../context.ts';

export function addDbCommand(program: Command): void {
  const db = program.command('db').description('database: status, migrate, diff, backup, restore, copy');

  db.command('status')
    .description('show which database is configured and which migrations are applied or pending')
    .action(async () => {
      await withDatabase(
        async ({ db: database }) => {
          const s = await migrationStatus(database);
          console.log(`Database: ${database.description}`);
          console.log(`Applied migrations: ${s.applied.length ? s.applied.join(', ') : 'none'}`);
          console.log(`Pending migrations: ${s.pending.length ? s.pending.join(', ') : 'none'}`);
          if (s.failed.length) console.log(`Failed migrations: ${s.failed.join(', ')}`);
          if (s.unknown.length) console.log(`Applied here but unknown to this version: ${s.unknown.join(', ')}`);
          if (s.pending.length || s.failed.length) process.exitCode = 3;
        },
        { migrations: 'none' },
      );
    });

  db.command('migrate')
    .description('apply pending migrations from prisma/migrations to the configured database')
    .action(async () => {
      await withDatabase(
        async ({ db: database, log }) => {
          const applied = await migrate(database, log);
          console.log(applied.length ? `Applied ${applied.length} migration(s) to ${database.description}: ${applied.join(', ')}` : `${database.description} is up to date.`);
        },
        { migrations: 'none' },
      );
    });

  db.command('diff')
    .description('write a new migration in prisma/migrations from changes to prisma/schema.prisma (offline)')
    .argument('<name>', 'what the migration does, e.g. add_snooze')
    .action(async (name: string) => {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UserError(`"${name}" is not a usable migration name: use letters, digits and underscores, e.g. add_snooze.`);
      const dir = await createMigration(name);
      console.log(dir ? `Wrote ${dir}/migration.sql` : 'The schema matches the migrations: nothing to write.');
    });

  db.command('backup')
    .description('write a consistent backup of the configured database to FILE (embedded: with the bot stopped; PostgreSQL: pg_dump, while it runs)')
    .requiredOption('--out <file>', 'where to write the backup')
    .action(async (o: { out: string }) => {
      await withDatabase(
        async ({ db: database, config }) => {
          const out = path.resolve(o.out);
          const bytes = await backupDatabase(database, config.database, out);
          console.log(`Backed up ${database.description} to ${out} (${(bytes / 2 ** 20).toFixed(1)} MB).`);
        },
        { migrations: 'none' },
      );
    });

  db.command('restore')
    .description('replace the configured database with a backup made by `db backup` (embedded: the directory there is kept beside it)')
    .argument('<file>', 'the backup')
    .action(async (file: string) => {
      const config = loadConfig();
      const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
      const r = await restoreDatabase(config.database, path.resolve(file), log);
      console.log(`Restored ${path.resolve(file)}.`);
      if (r.setAside) console.log(`The database that was there is kept at ${r.setAside}: remove it once you are sure.`);
      if (r.migrated.length) console.log(`Applied ${r.migrated.length} migration(s) the backup was behind on: ${r.migrated.join(', ')}`);
    });

  db.command('copy')
    .description('copy every row of the configured database into a new, empty PostgreSQL database (migrated first): the move from the embedded database')
    .requiredOption('--to <url>', 'the PostgreSQL database to copy into, postgres://user:password@host:5432/database')
    .action(async (o: { to: string }) => {
      if (!/^postgres(ql)?:\/\//.test(o.to)) throw new UserError('--to must be a PostgreSQL URL, postgres://user:password@host:5432/database.');
      await withDatabase(
        async ({ db: source, log }) => {
          const target = await openDatabase({ kind: 'postgres', url: o.to }, { migrations: 'apply', log });
          try {
            const copied = await copyDatabase(source, target);
            const rows = copied.reduce((n, t) => n + t.rows, 0);
            console.log(`Copied ${rows.toLocaleString('en-GB')} rows in ${copied.length} tables from ${source.description} to ${target.description}.`);
            console.log('Set DATABASE_URL to it and start the bot; keep the embedded directory until you are sure.');
          } finally {
            await target.close();
          }
        },
        { migrations: 'apply' },
      );
    });
}
