import { z } from 'zod';

/** Politeness toward one portal host: how hard we may hit it (a catalog entry's setting, DESIGN.md §6). */
export const Politeness = z.object({
  requests_per_second: z.number().positive(),
  concurrency: z.number().int().positive(),
});
export type Politeness = z.infer<typeof Politeness>;
