// What a chat transport keeps in the database (src/repo/transport-stores.ts). Plain rows: each
// transport reads and checks its own JSON (zod), the database only keeps it.
import type { PlatformName } from './organisation.ts';

/** How a transport reaches a person or a channel nobody has just written to, per platform and key. */
export interface ConversationReferences {
  /** Keep the newest reference; `ifAbsent` keeps one already stored. */
  save(platform: PlatformName, key: string, reference: object, personId: number | null, opts?: { ifAbsent?: boolean }): Promise<void>;
  get(platform: PlatformName, key: string): Promise<unknown>;
  /** Every reference whose key starts with `prefix`, oldest first. */
  list(platform: PlatformName, prefix: string): Promise<unknown[]>;
  /** The reference most recently saved whose JSON field `field` is `value`. */
  latestWith(platform: PlatformName, field: string, value: string): Promise<unknown>;
}

export interface HostedFileRow {
  /** 128 random bits, base64url: the only key to it. */
  id: string;
  kind: 'chart' | 'file';
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  altText: string | null;
  createdAt: Date;
}

/** Charts and files a transport serves itself (where a platform's cards link to them rather than carry them). */
export interface HostedFileStore {
  put(file: HostedFileRow): Promise<void>;
  get(id: string): Promise<HostedFileRow | null>;
  /** Remove files (not charts) stored before `cutoff`. */
  deleteFilesBefore(cutoff: Date): Promise<void>;
}

export interface StoredFormRow {
  id: string;
  /** Who may submit it (their platform id), or null for anyone in the conversation. */
  audience: string | null;
  form: unknown;
  values: unknown;
  pages: unknown;
  createdAt: Date;
  expiresAt: Date;
}

/** Forms kept server-side while they are open in a chat (where a platform's cards carry only the row's id). */
export interface StoredFormStore {
  create(row: StoredFormRow): Promise<void>;
  get(id: string): Promise<StoredFormRow | null>;
  update(id: string, data: { values: object; pages: unknown[] }): Promise<void>;
  delete(id: string): Promise<void>;
  deleteExpired(now: Date): Promise<void>;
}

export interface TransportStores {
  references: ConversationReferences;
  hostedFiles: HostedFileStore;
  forms: StoredFormStore;
}
