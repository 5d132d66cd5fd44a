// The rows chat transports keep (conversation references, hosted charts and files, open forms), over
// Prisma. The transports (src/platforms/*) read them through the TransportStores port and never see
// the database client.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ConversationReferences, HostedFileRow, HostedFileStore, PlatformName, StoredFormStore, TransportStores } from '../ports.ts';

export function createTransportStores(db: PrismaClient): TransportStores {
  return { references: references(db), hostedFiles: hostedFiles(db), forms: forms(db) };
}

function references(db: PrismaClient): ConversationReferences {
  return {
    async save(platform: PlatformName, key: string, reference: object, personId: number | null, opts: { ifAbsent?: boolean } = {}) {
      if (opts.ifAbsent) {
        await db.conversationRef.createMany({ data: [{ platform, key, personId, reference }], skipDuplicates: true });
        return;
      }
      await db.conversationRef.upsert({
        where: { platform_key: { platform, key } },
        create: { platform, key, personId, reference },
        update: { reference, ...(personId !== null ? { personId } : {}) },
      });
    },
    async get(platform, key) {
      return (await db.conversationRef.findUnique({ where: { platform_key: { platform, key } }, select: { reference: true } }))?.reference ?? null;
    },
    async list(platform, prefix) {
      const rows = await db.conversationRef.findMany({ where: { platform, key: { startsWith: prefix } }, select: { reference: true }, orderBy: { id: 'asc' } });
      return rows.map((r) => r.reference);
    },
    async latestWith(platform, field, value) {
      const row = await db.conversationRef.findFirst({ where: { platform, reference: { path: [field], equals: value } }, orderBy: { updatedAt: 'desc' }, select: { reference: true } });
      return row?.reference ?? null;
    },
  };
}

function hostedFiles(db: PrismaClient): HostedFileStore {
  return {
    async put(f: HostedFileRow) {
      await db.hostedFile.create({ data: { ...f, bytes: new Uint8Array(f.bytes) } });
    },
    async get(id) {
      const row = await db.hostedFile.findUnique({ where: { id } });
      return row ? { ...row, kind: row.kind === 'chart' ? 'chart' : 'file', bytes: new Uint8Array(row.bytes) } : null;
    },
    async deleteFilesBefore(cutoff) {
      await db.hostedFile.deleteMany({ where: { kind: 'file', createdAt: { lt: cutoff } } });
    },
  };
}

function forms(db: PrismaClient): StoredFormStore {
  return {
    async create(row) {
      await db.openForm.create({ data: { ...row, form: row.form as object, values: row.values as object, pages: row.pages as object } });
    },
    async get(id) {
      return db.openForm.findUnique({ where: { id } });
    },
    async update(id, data) {
      await db.openForm.updateMany({ where: { id }, data: { values: data.values, pages: data.pages as object } });
    },
    async delete(id) {
      await db.openForm.deleteMany({ where: { id } });
    },
    async deleteExpired(now) {
      await db.openForm.deleteMany({ where: { expiresAt: { lt: now } } });
    },
  };
}
