// A generated register for benchmarks, written with set-based SQL: `directors` themes each with a
// director, `indicators` monthly indicators spread over them, `periods` monthly values each
// (ending March 2026) and an annual target per financial year.
import type { PrismaClient } from '../src/generated/prisma/client.ts';

export async function generateRegister(db: PrismaClient, o: { indicators: number; periods: number; directors: number }): Promise<void> {
  const { indicators, periods, directors } = o;
  const first = `date '2026-04-01' - interval '${periods} months'`;
  await db.$executeRawUnsafe(`
    INSERT INTO person (display_name, email, role, updated_at)
    SELECT 'Director ' || g, 'director' || g || '@bench.example', 'director', now() FROM generate_series(1, ${directors}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO person (display_name, email, role, updated_at)
    SELECT 'Officer ' || g, 'officer' || g || '@bench.example', 'officer', now() FROM generate_series(1, ${directors}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO theme (name, slug, director_id, updated_at)
    SELECT 'Theme ' || g, 'theme-' || g, p.id, now() FROM generate_series(1, ${directors}) g JOIN person p ON p.email = 'director' || g || '@bench.example'`);
  await db.$executeRawUnsafe(`
    INSERT INTO indicator (slug, name, theme_id, owner_id, polarity, frequency, aggregation, unit, reporting_lag_days, updated_at)
    SELECT 'bench-' || g, 'Generated indicator ' || g, t.id, p.id,
           (CASE WHEN g % 2 = 0 THEN 'higher' ELSE 'lower' END)::"Polarity", 'monthly', 'snapshot', '%', 20, now()
    FROM generate_series(1, ${indicators}) g
    JOIN theme t ON t.slug = 'theme-' || (1 + g % ${directors})
    JOIN person p ON p.email = 'officer' || (1 + g % ${directors}) || '@bench.example'`);
  await db.$executeRawUnsafe(`
    INSERT INTO observation (indicator_id, period_key, period_start, period_end, version, latest, value, source, submitted_at)
    SELECT i.id, to_char(d, 'YYYY-MM'), d, (d + interval '1 month' - interval '1 day')::date, 1, true,
           round((60 + 25 * sin(i.id * 0.7 + m * 0.5))::numeric, 1), 'bench', now()
    FROM indicator i
    CROSS JOIN generate_series(0, ${periods - 1}) m
    CROSS JOIN LATERAL (SELECT (${first} + make_interval(months => m))::date AS d) dd`);
  await db.$executeRawUnsafe(`
    INSERT INTO target (indicator_id, period_key, period_start, period_end, value, updated_at)
    SELECT i.id, y || '/' || lpad(((y + 1) % 100)::text, 2, '0'), make_date(y, 4, 1), make_date(y + 1, 3, 31), 60, now()
    FROM indicator i CROSS JOIN generate_series(2021 - ${Math.ceil(periods / 12)}, 2025) y`);
  await db.$executeRawUnsafe('ANALYZE');
}
