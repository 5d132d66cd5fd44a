// GET /readyz: whether this process can do its work, for an operator or a load balancer, beside
// /healthz (which says only that the process answers). 200 when the database answers within
// READY_DATABASE_MS, 503 when it does not. The body says, as JSON, what the bot cannot do as it is
// set up — each chat platform's missing permissions (a Slack scope the token lacks) with what breaks
// without it — and how many outgoing messages are held for an admin (src/outbox/sender.ts). Missing
// permissions do not make the answer 503: the bot still serves everything else, and another
// replica would lack them too. A process that is stopping (SIGTERM) answers 503 "stopping", so a
// load balancer sends nothing more its way while it finishes what it acknowledged.
import type { HttpServer } from './server.ts';

/** How long the database may take to answer before the process is not ready. */
export const READY_DATABASE_MS = 2000;

export interface ReadinessSources {
  /** Messages held for an admin (a query that also proves the database answers). */
  heldMessages(): Promise<number>;
  /** Per chat platform, under its name: what it cannot do as set up (Slack: `missingScopes`), and what else it knows. */
  platforms: { name: string; readiness(): Record<string, unknown> }[];
  /** Whether the process is stopping (not ready whatever the database says). */
  stopping?(): boolean;
  /** Told what the database did (the metrics' kpi_database_up). */
  databaseAnswered?(up: boolean): void;
}

export interface Readiness {
  ready: boolean;
  stopping?: true;
  database: { reachable: boolean; error?: string };
  outbox?: { held: number };
  [platform: string]: unknown;
}

export async function readiness(sources: ReadinessSources, timeoutMs = READY_DATABASE_MS): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  let held: number | null = null;
  let error: string | undefined;
  try {
    held = await Promise.race([sources.heldMessages(), timeout]);
  } catch (e) {
    // The first line that says something (Prisma's messages start with a blank one), without a stack.
    error = ((e as Error).message ?? String(e)).split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 300) ?? (e as Error).name;
  } finally {
    clearTimeout(timer);
  }
  sources.databaseAnswered?.(held !== null);
  const stopping = sources.stopping?.() ?? false;
  const out: Readiness = { ready: held !== null && !stopping, ...(stopping ? { stopping: true as const } : {}), database: held !== null ? { reachable: true } : { reachable: false, ...(error ? { error } : {}) } };
  if (held !== null) out.outbox = { held };
  for (const p of sources.platforms) out[p.name] = p.readiness();
  return out;
}

export function mountReadiness(http: HttpServer, sources: ReadinessSources): void {
  http.route('GET', '/readyz', async (_req, reply) => {
    const r = await readiness(sources);
    reply({ status: r.ready ? 200 : 503, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(r) });
  });
}
