import { Gauge, type Registry } from 'prom-client';
import { monthWindow } from '../accounts/windows.ts';
import type { Queryable } from '../db/db.ts';
import type { BreakerState } from '../http/breaker.ts';
import type { HttpHealth } from '../http/client.ts';
import type { Clock } from '../lib/clock.ts';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half_open', 'open'];

export interface OperationalPlane {
  name: string;
  db: Queryable;
  http: HttpHealth;
}

/**
 * What an operator watches (issue 21), read when /metrics is scraped: each plane's webhook
 * outbox (pending deliveries and the age of the oldest, from the database, so every process
 * reports the same), each portal host's circuit breaker (this process's, in memory, one series
 * per state set to 1 for the current one), and each live key's credits used this month against
 * its plan (the rate counters as last flushed, at most COUNTER_FLUSH_MS behind).
 */
export function registerOperationalMetrics(
  registry: Registry,
  deps: { planes: readonly OperationalPlane[]; accountsDb: Queryable; plans: readonly { name: string; monthly_limit: number }[]; clock: Clock },
): void {
  new Gauge({
    name: 'permitwatch_webhook_outbox_pending',
    help: 'Webhook deliveries waiting to be sent (first attempt or a retry), by data plane',
    labelNames: ['plane'],
    registers: [registry],
    async collect() {
      for (const plane of deps.planes) {
        const row = await plane.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'");
        this.set({ plane: plane.name }, row?.n ?? 0);
      }
    },
  });
  new Gauge({
    name: 'permitwatch_webhook_outbox_oldest_pending_seconds',
    help: 'Age of the oldest pending webhook delivery (0 when none), by data plane',
    labelNames: ['plane'],
    registers: [registry],
    async collect() {
      for (const plane of deps.planes) {
        const row = await plane.db.get<{ oldest: string | null }>(
          "SELECT MIN(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'",
        );
        const age = row?.oldest ? Math.max(0, (deps.clock.now() - Date.parse(row.oldest)) / 1000) : 0;
        this.set({ plane: plane.name }, age);
      }
    },
  });
  new Gauge({
    name: 'permitwatch_portal_breaker_state',
    help: "Each portal host's circuit breaker in this process: 1 for its current state (closed, half_open, open), 0 for the others",
    labelNames: ['plane', 'host', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const plane of deps.planes) {
        for (const host of plane.http.hosts()) {
          const current = plane.http.breakerState(host).state;
          for (const state of BREAKER_STATES) this.set({ plane: plane.name, host, state }, state === current ? 1 : 0);
        }
      }
    },
  });
  /** Every live key with its plan and this month's credits used. */
  const quotaRows = () =>
    deps.accountsDb.all<{ id: string; plan: string; used: number | null }>(
      `SELECT k.id, k.plan, c.count AS used FROM api_keys k
         LEFT JOIN rate_counters c ON c.subject = k.id AND c.bucket = ?
       WHERE k.revoked_at IS NULL AND k.sandbox = 0`,
      [`m:${monthWindow(deps.clock.now()).id}`],
    );
  new Gauge({
    name: 'permitwatch_quota_used',
    help: 'Credits each live key used this month (UTC), as last flushed',
    labelNames: ['key_id', 'plan'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await quotaRows()) this.set({ key_id: row.id, plan: row.plan }, row.used ?? 0);
    },
  });
  new Gauge({
    name: 'permitwatch_quota_limit',
    help: "Each live key's monthly credits (its plan's limit)",
    labelNames: ['key_id', 'plan'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await quotaRows()) {
        const plan = deps.plans.find((p) => p.name === row.plan);
        if (plan) this.set({ key_id: row.id, plan: row.plan }, plan.monthly_limit);
      }
    },
  });
}
