// Prepared images of the embedded database. A new PGlite data directory would otherwise start with
// initdb (3–4 s and ~750 MB here), then every migration through the schema engine, then the demo
// written through the ORM: well over the few seconds a first start should take. Instead the result
// of all that is built once into a cache directory, keyed by what went into it (PGlite's version,
// the migrations, and the seed's own inputs), and a new data directory starts as a copy of it.
// Reopening an existing data directory (~0.5 s) needs no image at all.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MIGRATIONS_DIR, PROJECT_ROOT } from './migrate.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { preparedDir } from '../prepared-dir.ts';

/** What a new data directory starts with: the migrated schema only, or that and more (the demo). */
export interface Seed {
  /** Names the image in the cache ("schema", "demo"). */
  name: string;
  /** Files and directories whose content the seed depends on: a change to any of them makes a new image. */
  inputs: string[];
  /** Writes the seed into a freshly migrated database (nothing for the bare schema). */
  build?(prisma: PrismaClient): Promise<void>;
}

export const SCHEMA_SEED: Seed = { name: 'schema', inputs: [] };

/** Where images are kept unless KPI_CACHE_DIR says otherwise: beside the code they were built from. */
export const DEFAULT_IMAGE_DIR = path.join(PROJECT_ROOT, '.cache', 'pglite');

/** A data directory PGlite has initialised (an empty or half-copied one has no PG_VERSION yet). */
export const isDataDir = (dir: string) => existsSync(path.join(dir, 'PG_VERSION'));

function files(p: string): string[] {
  if (!existsSync(p)) return [];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? (e.name === 'generated' ? [] : files(path.join(p, e.name))) : /\.(ts|js|json|sql|prisma)$/.test(e.name) ? [path.join(p, e.name)] : []));
}

/** The image's name in the cache: the seed's name and a hash of everything that went into it. */
export function imageKey(seed: Seed): string {
  const h = createHash('sha256');
  // PGlite's package.json is not exported: it is one directory above its entry point (dist/).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  h.update(readFileSync(path.join(path.dirname(entry), '..', 'package.json')));
  for (const f of [...files(MIGRATIONS_DIR), ...seed.inputs.flatMap(files)]) {
    h.update(`${path.relative(PROJECT_ROOT, f)}\n`);
    h.update(readFileSync(f));
  }
  return `${seed.name}-${h.digest('hex').slice(0, 20)}`;
}

/**
 * The image for `seed`, built with `build` (into the directory it is given) when the cache has none
 * (src/prepared-dir.ts: two processes building at once each build their own and the first to finish
 * wins); images of the same seed from older code are removed. Null when the cache directory cannot be written.
 */
export function preparedImage(cacheDir: string, seed: Seed, build: (dataDir: string) => Promise<void>): Promise<string | null> {
  return preparedDir({ cacheDir, key: imageKey(seed), complete: isDataDir, make: build, replaces: (name) => name.startsWith(`${seed.name}-`) });
}

/** Start a new data directory as a copy of an image. PG_VERSION goes last: a copy cut short is not taken for a database. */
export function copyImage(image: string, dataDir: string): void {
  const marker = path.join(image, 'PG_VERSION');
  cpSync(image, dataDir, { recursive: true, filter: (src) => src !== marker });
  copyFileSync(marker, path.join(dataDir, 'PG_VERSION'));
}
