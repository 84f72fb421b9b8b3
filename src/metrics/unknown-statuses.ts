import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/db.ts';
import { unknownStatusReports } from '../jurisdictions/unknown-statuses.ts';

/** The `status` label of permits whose portal gave no status at all (a label cannot be null). */
export const NO_STATUS_LABEL = '(none)';

/**
 * Two gauges read from each plane's permits projection when /metrics is scraped: how many
 * permits per jurisdiction have an `unknown` phase, and how many show each of the raw statuses
 * seen most among them (UNKNOWN_STATUS_TOP per jurisdiction, so the label set stays bounded
 * whatever a portal sends). Read from the database, not counted in memory, so every process of a
 * scaled-out deployment reports the same numbers and a restart loses nothing.
 */
export function registerUnknownStatusMetrics(registry: Registry, planes: readonly { name: string; db: Queryable }[]): void {
  new Gauge({
    name: 'permitwatch_unknown_status_permits',
    help: 'Permits whose latest observation has an unmapped status (phase unknown), by data plane and jurisdiction',
    labelNames: ['plane', 'jurisdiction'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const plane of planes) {
        for (const [jurisdiction, report] of await unknownStatusReports(plane.db)) this.set({ plane: plane.name, jurisdiction }, report.permits);
      }
    },
  });
  new Gauge({
    name: 'permitwatch_unknown_status_top',
    help: 'Permits showing each raw status the adapter could not map, the most common per jurisdiction, by data plane',
    labelNames: ['plane', 'jurisdiction', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const plane of planes) {
        for (const [jurisdiction, report] of await unknownStatusReports(plane.db)) {
          for (const { status, permits } of report.top) this.set({ plane: plane.name, jurisdiction, status: status ?? NO_STATUS_LABEL }, permits);
        }
      }
    },
  });
}
