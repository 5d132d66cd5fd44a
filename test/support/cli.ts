// The admin CLI run in-process on a test database, with what it prints captured.
import { vi } from 'vitest';
import { runCli } from '../../src/cli/kpi.ts';
import type { TestDatabase } from './db.ts';
import { testConfig } from './app.ts';
import type { Clock } from '../../src/ports.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `db` null: a command that opens no database (evaluate, teams-package). `env`: configuration for
 * the run (e.g. Slack pointed at the fake), beside the test defaults. `clock`: the machine's clock as
 * the command sees it (the demo's own date still applies on top of it, as on a real machine).
 */
export async function runKpi(db: TestDatabase | null, argv: string[], env: Record<string, string> = {}, clock?: Clock): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += a.map(String).join(' ') + '\n'));
  try {
    const code = await runCli(argv, db ? { database: { db, config: testConfig(env), ...(clock ? { clock } : {}) } } : {});
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    log.mockRestore();
  }
}
