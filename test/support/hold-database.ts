// A second bot process for lock tests: opens the embedded database at argv[2] as the bot does,
// says "open <pid>" and holds it until its stdin closes — or says "refused: <message>" and exits 3.
import { openDatabase } from '../../src/db/database.ts';
import { StartupError } from '../../src/errors.ts';

const dataDir = process.argv[2]!;
try {
  const db = await openDatabase({ kind: 'pglite', dataDir }, { migrations: 'apply' });
  await db.prisma.$executeRawUnsafe(`INSERT INTO audit_log (at, actor_label, action, entity) VALUES (now(), 'hold-database', 'test.hold', 'test')`);
  process.stdout.write(`open ${process.pid}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await db.close();
  process.exit(0);
} catch (e) {
  if (!(e instanceof StartupError)) throw e;
  process.stdout.write(`refused: ${e.message}\n`);
  process.exit(3);
}
