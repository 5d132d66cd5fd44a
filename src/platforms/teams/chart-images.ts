// Charts for Teams cards. A chart PNG (~25–40 KB) does not fit in a Teams message (~28 KB for the
// whole activity, so a data: URI is out), and bots cannot upload files to channels. So the chart is
// drawn once, stored in the database under 128 random bits, and the card's Image points at
// <KPI_PUBLIC_URL>/charts/<id>.png, which this bot serves from its one HTTP server. Stored rather than
// cached so every process behind a load balancer can serve it and old posts keep their chart.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ChartRenderer } from '../../ports.ts';
import type { ChartSpec } from '../../charts/spec.ts';
import type { HttpServer } from '../../http/server.ts';
import type { CardImage } from './cards.ts';

const PATH = /^\/charts\/([A-Za-z0-9_-]{22})\.png$/;

export class ChartImages {
  constructor(
    private readonly db: PrismaClient,
    private readonly charts: ChartRenderer,
    private readonly publicUrl: string,
    private readonly clock: { now(): Date },
  ) {}

  /** Draw a chart and store it; returns the URL and alt text for the card. */
  async publish(spec: ChartSpec): Promise<CardImage> {
    const chart = await this.charts.render(spec);
    const id = randomBytes(16).toString('base64url');
    await this.db.chartImage.create({
      data: { id, png: new Uint8Array(chart.png), altText: chart.altText, width: chart.width, height: chart.height, createdAt: this.clock.now() },
    });
    return { url: `${this.publicUrl}/charts/${id}.png`, altText: chart.altText };
  }

  async png(id: string): Promise<Buffer | null> {
    const row = await this.db.chartImage.findUnique({ where: { id }, select: { png: true } });
    return row ? Buffer.from(row.png) : null;
  }

  /** GET /charts/<id>.png on the shared server. Images never change, so clients may cache them for good. */
  mount(http: HttpServer): void {
    http.routePrefix('GET', '/charts/', async (req, reply) => {
      const id = PATH.exec(req.path)?.[1];
      const png = id ? await this.png(id) : null;
      if (!png) return reply({ status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' });
      reply({ status: 200, headers: { 'content-type': 'image/png', 'content-length': String(png.length), 'cache-control': 'public, max-age=31536000, immutable' }, body: png });
    });
  }
}
