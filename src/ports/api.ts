// API tokens and Idempotency-Keys: what the HTTP API for source systems keeps (src/repo/prisma-api.ts,
// test/support/memory/api.ts). A token acts for a named integration ("API: hr-system"), scoped to a list of
// indicators or one theme's; only the SHA-256 of its secret is stored.
import type { AuditEntry } from './organisation.ts';

export type ApiScope = { kind: 'indicators'; indicatorIds: number[] } | { kind: 'theme'; themeId: number };

export interface ApiTokenRecord {
  id: number;
  name: string;
  /** The secret's first characters, shown in lists ("kpi_3f9a1c"). */
  prefix: string;
  scope: ApiScope;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface NewApiToken {
  name: string;
  prefix: string;
  /** sha256 of the secret, hex. */
  hash: string;
  scope: ApiScope;
  at: Date;
}

/** What an Idempotency-Key found: new (claimed for this request), answered before, or still under way. */
export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'answered'; requestHash: string; status: number; response: unknown }
  | { kind: 'under-way'; requestHash: string };

type By = Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>;

export interface ApiStore {
  /**
   * A new token, audited (api-token.create). A name an active token has: ConflictError. A revoked
   * token's name is reissued (new secret and scope, its Idempotency-Keys forgotten).
   */
  createToken(t: NewApiToken, by: By): Promise<ApiTokenRecord>;
  /** Every token, revoked ones too, by name. */
  tokens(): Promise<ApiTokenRecord[]>;
  /** The token with this secret's hash, revoked or not (null: no such token). */
  tokenByHash(hash: string): Promise<ApiTokenRecord | null>;
  /** Revoke by name, audited (api-token.revoke); null when there is no such token, the record unchanged when already revoked. */
  revokeToken(name: string, by: By): Promise<ApiTokenRecord | null>;
  /**
   * Claim an Idempotency-Key for a token: the first request with it gets `claimed`, later ones what
   * the first was answered (or that it is still under way) until `expiresAt`; an expired key is claimed
   * afresh. Every token's expired keys are forgotten then, so the table keeps only the last day's.
   */
  claimIdempotencyKey(tokenId: number, key: string, requestHash: string, at: Date, expiresAt: Date): Promise<IdempotencyClaim>;
  /** The answer to a claimed key, for the retries. */
  answerIdempotencyKey(tokenId: number, key: string, status: number, response: unknown): Promise<void>;
  /** Let a claimed key go unanswered (the request failed before it could answer): a retry runs again. */
  releaseIdempotencyKey(tokenId: number, key: string): Promise<void>;
}
