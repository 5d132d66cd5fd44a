// The organisation and what everything shares: the clock, its settings, the platforms it runs on, the audit trail.
import type { DotBasis, LocalDate, MaintainedBand, Tolerance } from '../domain/types.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A chat platform's name as the registry gives it (src/platforms/index.ts; the console is 'console').
 * Text, not a list here: a new platform is a folder and a registry line, nothing in the ports.
 */
export type PlatformName = string;

export interface OrgSettings {
  name: string;
  fyStartMonth: number;
  tolerance: Tolerance;
  /** Direction of travel for indicators that set no basis (parse what people type with src/services/direction-settings.ts). */
  dotBasis: DotBasis;
  /** "Maintained" for indicators that set no band of their own. */
  maintainedBand: MaintainedBand;
  exceptionQuestions: string[];
  exceptionForAmber: boolean;
  alertOnDeclining: boolean;
  /** Working days after the due date on which to remind. */
  chaseCadence: number[];
  escalateAfter: number;
  timeZone: string;
  /** The date the bot's clock shows instead of today's (the demo organisation runs on 15 January 2018); null: today. */
  demoToday?: LocalDate | null;
}

export interface AuditEntry {
  at: Date;
  actorId: number | null;
  actorLabel: string;
  action: string;
  entity: string;
  entityId?: string | null;
  details?: unknown;
}
