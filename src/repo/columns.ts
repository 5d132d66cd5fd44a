// How database columns read back as domain values (shared by the repository and the register writer).
import type { LocalDate } from '../domain/types.ts';

/** A DATE column (read as midnight UTC) as the calendar date it holds. */
export const toLocalDate = (d: Date): LocalDate => d.toISOString().slice(0, 10);

/** A calendar date as the DATE column's value. */
export const fromLocalDate = (d: LocalDate): Date => new Date(`${d}T00:00:00.000Z`);
