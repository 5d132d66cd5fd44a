// Pieces every part of the configuration reads the environment with (src/config.ts and each
// platform's settings, src/platforms/<name>/settings.ts).
import { z } from 'zod';

/** A variable that may be unset or blank (both mean "not set"), trimmed. */
export const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** A variable that is wrong, or missing where another needs it: listed with every other problem at start. */
export interface EnvProblem {
  name: string;
  message: string;
}

/** Whether a variable is set (not blank). */
export type EnvHas = (name: string) => boolean;
