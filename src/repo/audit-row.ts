// An audit entry as the audit_log row it becomes: one conversion for every Prisma store that writes the
// audit trail (a missing entity id is null; missing details are SQL NULL, not JSON null).
import { Prisma } from '../generated/prisma/client.ts';
import type { AuditEntry } from '../ports.ts';

export const auditRow = (a: AuditEntry): Prisma.AuditLogCreateManyInput => ({
  at: a.at,
  actorId: a.actorId,
  actorLabel: a.actorLabel,
  action: a.action,
  entity: a.entity,
  entityId: a.entityId ?? null,
  details: a.details === undefined ? Prisma.JsonNull : (a.details as Prisma.InputJsonValue),
});
