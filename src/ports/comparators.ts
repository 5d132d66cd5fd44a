// Benchmarks against other councils: comparator values (another area's figure for one of our
// indicators and a period, from LG Inform's long CSV) and comparator groups (named lists of area codes).
import type { AuditEntry } from './organisation.ts';

export interface ComparatorValueRecord {
  indicatorId: number;
  periodKey: string;
  areaCode: string;
  areaName: string;
  /** Null: the area reported nothing for the period (M, .., - or blank in the file). */
  value: number | null;
  /** import:<file name>, demo */
  source: string;
}

export interface ComparatorGroupRecord {
  name: string;
  /** Area codes, in the order given. */
  areas: string[];
}

/** What saving comparator values did: rows new, rows whose value or name changed, rows as they were. */
export interface ComparatorSave {
  added: number;
  changed: number;
  unchanged: number;
}

export type ComparatorAudit = Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>;

/** The comparator store: the Prisma repository's and the memory repository's `comparators`. */
export interface ComparatorStore {
  /** Values, by indicator then period then area code (optionally only these indicators, these periods). */
  values(filter?: { indicatorIds?: number[]; periodKeys?: string[] }): Promise<ComparatorValueRecord[]>;
  /**
   * Save values in one transaction (all or nothing): a row for an indicator, period and area already
   * held is replaced when its value or name differs, else left (importing a file again changes nothing).
   * Audited once (comparators.import) when anything changed.
   */
  saveValues(rows: ComparatorValueRecord[], audit: ComparatorAudit, at: Date): Promise<ComparatorSave>;
  /** Every group, by name. */
  groups(): Promise<ComparatorGroupRecord[]>;
  /** Create or replace a group (audited as comparators.group when it changed). */
  saveGroup(group: ComparatorGroupRecord, audit: ComparatorAudit, at: Date): Promise<'created' | 'updated' | 'unchanged'>;
}
