// API tokens and Idempotency-Keys in PostgreSQL (or PGlite) through Prisma: the ApiStore port. The
// key's row is the claim: its primary key (token, key) lets one request in, on any replica.
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { ConflictError } from '../errors.ts';
import type { ApiStore, ApiTokenRecord, AuditEntry, IdempotencyClaim, NewApiToken } from '../ports.ts';
import { apiTokenAudit, scopeOf } from './rules.ts';
import { auditRow } from './audit-row.ts';

type Row = Prisma.ApiTokenGetPayload<object>;
type By = Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>;

const toRecord = (r: Row): ApiTokenRecord => ({ id: r.id, name: r.name, prefix: r.prefix, scope: scopeOf(r.indicatorIds, r.themeId), createdAt: r.createdAt, revokedAt: r.revokedAt });

export class PrismaApiStore implements ApiStore {
  constructor(private readonly db: PrismaClient) {}

  async createToken(t: NewApiToken, by: By): Promise<ApiTokenRecord> {
    const data = {
      prefix: t.prefix,
      hash: t.hash,
      indicatorIds: t.scope.kind === 'indicators' ? t.scope.indicatorIds : [],
      themeId: t.scope.kind === 'theme' ? t.scope.themeId : null,
      createdAt: t.at,
      revokedAt: null,
    };
    try {
      return await this.db.$transaction(async (tx) => {
        const was = await tx.apiToken.findUnique({ where: { name: t.name } });
        if (was && !was.revokedAt) throw new ConflictError(`There is already an API token called ${t.name} (${was.prefix}…). Revoke it first, or choose another name.`);
        let row: Row;
        if (was) {
          await tx.apiIdempotency.deleteMany({ where: { tokenId: was.id } });
          row = await tx.apiToken.update({ where: { id: was.id }, data });
        } else row = await tx.apiToken.create({ data: { name: t.name, ...data } });
        await tx.auditLog.create({ data: auditRow(apiTokenAudit('api-token.create', toRecord(row), by)) });
        return toRecord(row);
      });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`There is already an API token called ${t.name}, made just now. Choose another name.`);
      throw e;
    }
  }

  async tokens(): Promise<ApiTokenRecord[]> {
    return (await this.db.apiToken.findMany({ orderBy: { name: 'asc' } })).map(toRecord);
  }

  async tokenByHash(hash: string): Promise<ApiTokenRecord | null> {
    const r = await this.db.apiToken.findUnique({ where: { hash } });
    return r ? toRecord(r) : null;
  }

  async revokeToken(name: string, by: By): Promise<ApiTokenRecord | null> {
    return this.db.$transaction(async (tx) => {
      const was = await tx.apiToken.findUnique({ where: { name } });
      if (!was) return null;
      if (was.revokedAt) return toRecord(was);
      const row = await tx.apiToken.update({ where: { id: was.id }, data: { revokedAt: by.at } });
      await tx.auditLog.create({ data: auditRow(apiTokenAudit('api-token.revoke', toRecord(row), by)) });
      return toRecord(row);
    });
  }

  async claimIdempotencyKey(tokenId: number, key: string, requestHash: string, at: Date, expiresAt: Date): Promise<IdempotencyClaim> {
    // Expired keys (every token's: the table holds only the last day's) go first: the key is claimed afresh.
    await this.db.apiIdempotency.deleteMany({ where: { expiresAt: { lte: at } } });
    const inserted = await this.db.$executeRaw`INSERT INTO api_idempotency (token_id, key, request_hash, created_at, expires_at) VALUES (${tokenId}, ${key}, ${requestHash}, ${at}, ${expiresAt}) ON CONFLICT DO NOTHING`;
    if (inserted === 1) return { kind: 'claimed' };
    const r = await this.db.apiIdempotency.findUnique({ where: { tokenId_key: { tokenId, key } } });
    // Released between the insert and the read: claim it again.
    if (!r) return this.claimIdempotencyKey(tokenId, key, requestHash, at, expiresAt);
    return r.status === null ? { kind: 'under-way', requestHash: r.requestHash } : { kind: 'answered', requestHash: r.requestHash, status: r.status, response: r.response };
  }

  async answerIdempotencyKey(tokenId: number, key: string, status: number, response: unknown): Promise<void> {
    await this.db.apiIdempotency.updateMany({ where: { tokenId, key }, data: { status, response: response as Prisma.InputJsonValue } });
  }

  async releaseIdempotencyKey(tokenId: number, key: string): Promise<void> {
    await this.db.apiIdempotency.deleteMany({ where: { tokenId, key, status: null } });
  }
}
