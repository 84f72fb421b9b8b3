import type { Queryable } from '../db/db.ts';

/**
 * How many raw strings a report names per jurisdiction: enough to show an operator which rows to
 * add to a status table, few enough to keep /metrics' label set bounded whatever a portal sends.
 */
export const UNKNOWN_STATUS_TOP = 10;

/** One verbatim status the adapter could not map, and how many permits now show it (null: the portal gave no status). */
export interface UnknownStatus {
  status: string | null;
  permits: number;
}

/** Per jurisdiction: permits whose phase is `unknown`, and the raw statuses most of them show. */
export interface UnknownStatusReport {
  permits: number;
  top: UnknownStatus[];
}

/**
 * Reads, from the permits projection (each permit's latest observation), the permits whose status
 * mapped to `unknown`, grouped by jurisdiction and verbatim status: what an operator needs to
 * extend a vocabulary. The most common strings first, ties by string; at most
 * UNKNOWN_STATUS_TOP per jurisdiction. With `slug`, only that jurisdiction.
 */
export async function unknownStatusReports(db: Queryable, slug?: string): Promise<Map<string, UnknownStatusReport>> {
  const rows = await db.all<{ jurisdiction: string; portal_status: string | null; n: number }>(
    `SELECT jurisdiction, portal_status, COUNT(*) AS n FROM permits
      WHERE status_phase = 'unknown'${slug === undefined ? '' : ' AND jurisdiction = ?'}
      GROUP BY jurisdiction, portal_status`,
    slug === undefined ? [] : [slug],
  );
  const reports = new Map<string, UnknownStatusReport>();
  for (const row of rows) {
    const report = reports.get(row.jurisdiction) ?? { permits: 0, top: [] };
    report.permits += Number(row.n);
    report.top.push({ status: row.portal_status, permits: Number(row.n) });
    reports.set(row.jurisdiction, report);
  }
  for (const report of reports.values()) {
    report.top.sort((a, b) => b.permits - a.permits || (a.status ?? '').localeCompare(b.status ?? ''));
    report.top.length = Math.min(report.top.length, UNKNOWN_STATUS_TOP);
  }
  return reports;
}
