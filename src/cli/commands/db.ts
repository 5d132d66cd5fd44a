import type { Command } from 'commander';
import { migrate, migrationStatus } from '../../db/database.ts';
import { createMigration } from '../../db/migrate.ts';
import { UserError } from '../../errors.ts';
import { withDatabase } from '../context.ts';

export function registerDb(program: Command): void {
  const db = program.command('db').description('database: status, migrate, diff');

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
}
