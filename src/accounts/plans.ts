import { z } from 'zod';

/**
 * Webhook subscriptions a key may hold at once, per built-in plan (issue 16: 10,000 were
 * created in 7 s, and each one is work for the outbox and the list). Enough for a production,
 * a staging and per-filter hooks on every paid plan; enterprise raises it for fleets.
 */
export const FREE_WEBHOOKS_MAX = 5;
export const DEVELOPER_WEBHOOKS_MAX = 25;
export const PRO_WEBHOOKS_MAX = 100;
export const ENTERPRISE_WEBHOOKS_MAX = 1_000;
/** The cap of an operator's plan that names none: the developer plan's. */
export const DEFAULT_WEBHOOKS_MAX = DEVELOPER_WEBHOOKS_MAX;

/** A plan is data (reference: Rate Limits). Operators add plans in config; these ship. */
export const Plan = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  /** Credits per calendar month (UTC). Enterprise is "custom": operators set theirs in config. */
  monthly_limit: z.number().int().positive(),
  burst_per_minute: z.number().int().positive(),
  force_refresh: z.boolean(),
  /** Webhook subscriptions a key may hold (deleted ones do not count); DEFAULT_WEBHOOKS_MAX when unset. */
  webhooks_max: z.number().int().positive().optional(),
});
export type Plan = z.infer<typeof Plan>;

export const BUILT_IN_PLANS: readonly Plan[] = [
  { name: 'free', monthly_limit: 200, burst_per_minute: 3, force_refresh: false, webhooks_max: FREE_WEBHOOKS_MAX },
  { name: 'developer', monthly_limit: 5_000, burst_per_minute: 60, force_refresh: true, webhooks_max: DEVELOPER_WEBHOOKS_MAX },
  { name: 'pro', monthly_limit: 25_000, burst_per_minute: 120, force_refresh: true, webhooks_max: PRO_WEBHOOKS_MAX },
  { name: 'enterprise', monthly_limit: 1_000_000, burst_per_minute: 600, force_refresh: true, webhooks_max: ENTERPRISE_WEBHOOKS_MAX },
];

/** How many webhook subscriptions a key on `plan` may hold. */
export function webhooksMax(plan: Plan): number {
  return plan.webhooks_max ?? DEFAULT_WEBHOOKS_MAX;
}

export function planNamed(plans: readonly Plan[], name: string): Plan | undefined {
  return plans.find((p) => p.name === name);
}

/** The built-in plans with an operator's plans merged over them by name (config `plans`). */
export function resolvePlans(configured: readonly Plan[]): Plan[] {
  const byName = new Map(BUILT_IN_PLANS.map((p) => [p.name, p]));
  for (const p of configured) byName.set(p.name, p);
  return [...byName.values()];
}
