// A chat platform's settings: the environment variables it reads (a zod shape merged into the one
// configuration schema), the problems only seen across several of them, and what it is given when
// configured (null when it is not). src/config.ts reads every platform's through the registry.
import type { z } from 'zod';
import type { EnvHas, EnvProblem } from '../../env.ts';

export interface PlatformSettings<Shape extends z.ZodRawShape, C> {
  env: Shape;
  /** The variables that turn it on, for messages such as "no chat platform is configured (set …)". */
  hint: string;
  problems(has: EnvHas): EnvProblem[];
  read(env: z.infer<z.ZodObject<Shape>>): C | null;
}

export function definePlatformSettings<Shape extends z.ZodRawShape, C>(s: PlatformSettings<Shape, C>): PlatformSettings<Shape, C> {
  return s;
}
