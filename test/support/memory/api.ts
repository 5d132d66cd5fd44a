// API tokens and Idempotency-Keys in memory: the ApiStore port over the memory store's tables (tests
// and the memory repository), with the same keys and rules as the Prisma store.
import { ConflictError } from '../../../src/errors.ts';
import type { ApiStore, ApiTokenRecord, AuditEntry, IdempotencyClaim, NewApiToken } from '../../../src/ports.ts';
import { copy, storedAudit, type MemoryStore } from './store.ts';
import { apiTokenAudit } from '../../../src/repo/rules.ts';

type By = Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>;

export class MemoryApiStore implements ApiStore {
  constructor(private readonly store: MemoryStore) {}

  private get t() {
    return this.store.t;
  }

  async createToken(n: NewApiToken, by: By): Promise<ApiTokenRecord> {
    const was = this.t.apiTokens.find((x) => x.name === n.name);
    if (was && !was.revokedAt) throw new ConflictError(`There is already an API token called ${n.name} (${was.prefix}…). Revoke it first, or choose another name.`);
    const fields = { prefix: n.prefix, hash: n.hash, scope: copy(n.scope), createdAt: n.at, revokedAt: null };
    let row;
    if (was) {
      Object.assign(was, fields);
      this.t.apiIdempotency = this.t.apiIdempotency.filter((k) => k.tokenId !== was.id);
      row = was;
    } else {
      row = { id: this.store.nextId('api_token'), name: n.name, ...fields };
      this.t.apiTokens.push(row);
    }
    const rec = record(row);
    this.t.audit.push(storedAudit(apiTokenAudit('api-token.create', rec, by)));
    return rec;
  }

  async tokens(): Promise<ApiTokenRecord[]> {
    return this.t.apiTokens.map(record).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async tokenByHash(hash: string): Promise<ApiTokenRecord | null> {
    const r = this.t.apiTokens.find((x) => x.hash === hash);
    return r ? record(r) : null;
  }

  async revokeToken(name: string, by: By): Promise<ApiTokenRecord | null> {
    const r = this.t.apiTokens.find((x) => x.name === name);
    if (!r) return null;
    if (r.revokedAt) return record(r);
    r.revokedAt = by.at;
    this.t.audit.push(storedAudit(apiTokenAudit('api-token.revoke', record(r), by)));
    return record(r);
  }

  async claimIdempotencyKey(tokenId: number, key: string, requestHash: string, at: Date, expiresAt: Date): Promise<IdempotencyClaim> {
    this.t.apiIdempotency = this.t.apiIdempotency.filter((k) => k.expiresAt.getTime() > at.getTime());
    const r = this.t.apiIdempotency.find((k) => k.tokenId === tokenId && k.key === key);
    if (!r) {
      this.t.apiIdempotency.push({ tokenId, key, requestHash, status: null, response: null, createdAt: at, expiresAt });
      return { kind: 'claimed' };
    }
    return r.status === null ? { kind: 'under-way', requestHash: r.requestHash } : { kind: 'answered', requestHash: r.requestHash, status: r.status, response: copy(r.response) };
  }

  async answerIdempotencyKey(tokenId: number, key: string, status: number, response: unknown): Promise<void> {
    const r = this.t.apiIdempotency.find((k) => k.tokenId === tokenId && k.key === key);
    if (r) Object.assign(r, { status, response: JSON.parse(JSON.stringify(response)) as unknown });
  }

  async releaseIdempotencyKey(tokenId: number, key: string): Promise<void> {
    this.t.apiIdempotency = this.t.apiIdempotency.filter((k) => !(k.tokenId === tokenId && k.key === key && k.status === null));
  }
}

const record = (r: ApiTokenRecord & { hash: string }): ApiTokenRecord => copy({ id: r.id, name: r.name, prefix: r.prefix, scope: r.scope, createdAt: r.createdAt, revokedAt: r.revokedAt });
