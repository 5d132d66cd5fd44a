// GET /metrics: the process's metrics in Prometheus's text format (src/metrics.ts). Counts and
// timings only — no person, indicator or message text is ever a label. Like /healthz and /readyz it
// answers while the process is stopping, so the last scrape sees how the shutdown went.
import type { Metrics } from '../metrics.ts';
import type { HttpServer } from './server.ts';

export function mountMetrics(http: HttpServer, metrics: Metrics): void {
  http.route('GET', '/metrics', async (_req, reply) => {
    const { contentType, body } = await metrics.exposition();
    reply({ status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body });
  });
}
