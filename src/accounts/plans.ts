import { z } from 'zod';

/** A plan is data (reference: Rate Limits). Operators add plans in config; these ship. */
export const Plan = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  /** Credits per calendar month (UTC). Enterprise is "custom": operators set theirs in config. */
  monthly_limit: z.number().int().positive(),
  burst_per_minute: z.number().int().positive(),
  force_refresh: z.boolean(),
});
export type Plan = z.infer<typeof Plan>;

export const BUILT_IN_PLANS: readonly Plan[] = [
  { name: 'free', monthly_limit: 200, burst_per_minute: 3, force_refresh: false },
  { name: 'developer', monthly_limit: 5_000, burst_per_minute: 60, force_refresh: true },
  { name: 'pro', monthly_limit: 25_000, burst_per_minute: 120, force_refresh: true },
  { name: 'enterprise', monthly_limit: 1_000_000, burst_per_minute: 600, force_refresh: true },
];

export function planNamed(plans: readonly Plan[], name: string): Plan | undefined {
  return plans.find((p) => p.name === name);
}

/** The built-in plans with an operator's plans merged over them by name (config `plans`). */
export function resolvePlans(configured: readonly Plan[]): Plan[] {
  const byName = new Map(BUILT_IN_PLANS.map((p) => [p.name, p]));
  for (const p of configured) byName.set(p.name, p);
  return [...byName.values()];
}
