import { toFloatingTimestamp } from './floating-time.ts';
import type { SocrataSettings } from './settings.ts';

/**
 * Rows asked for in a lookup. A permit spans a few rows at most (SF i98e-djp9 has one row per
 * address of a permit); the cap bounds the answer if a number ever matches far more.
 */
export const LOOKUP_ROW_LIMIT = 50;

/** The SODA resource path of a dataset: `/resource/ydr8-5enu.json`. */
export function resourcePath(datasetId: string): string {
  return `/resource/${datasetId}.json`;
}

/** A SoQL string literal: single quotes around, a quote inside doubled (`O'Brien` → `'O''Brien'`). */
export function soqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The `$where` of a lookup: the permit-number column equals the number (`permit_='100858762'`). */
export function lookupWhere(settings: SocrataSettings, permitNumber: string): string {
  return `${settings.fields.permit_number}=${soqlString(permitNumber.trim())}`;
}

/**
 * The `$where` of a changedSince page: the change column after `since`. A floating column is
 * compared with `since` as wall-clock time in the jurisdiction's zone (floating timestamps carry
 * no offset); a fixed one (`:updated_at`) with the instant in UTC.
 */
export function changedSinceWhere(settings: SocrataSettings, since: Date, timeZone: string): string {
  const { field, kind } = settings.changed_since;
  const literal = kind === 'floating' ? toFloatingTimestamp(since, timeZone) : since.toISOString();
  return `${field} > ${soqlString(literal)}`;
}

/** GET {base}/resource/{id}.json?$where=<permit column>='<number>'&$limit=LOOKUP_ROW_LIMIT */
export function lookupUrl(baseUrl: string, settings: SocrataSettings, permitNumber: string): string {
  return url(baseUrl, settings, [
    ['$where', lookupWhere(settings, permitNumber)],
    ['$limit', String(LOOKUP_ROW_LIMIT)],
  ]);
}

/**
 * One page of the change feed: rows changed after `since`, in `:id` order so that `$offset`
 * paging is stable while the dataset is read (SODA's advice for paging), `feed_page_size` rows
 * from `offset`.
 */
export function changedSinceUrl(
  baseUrl: string,
  settings: SocrataSettings,
  page: { since: Date; timeZone: string; offset: number },
): string {
  return url(baseUrl, settings, [
    ['$where', changedSinceWhere(settings, page.since, page.timeZone)],
    ['$order', ':id'],
    ['$limit', String(settings.feed_page_size)],
    ['$offset', String(page.offset)],
  ]);
}

// The base may be an override (the fixture portal, a mirror under a path prefix); the real path
// and query follow it. Parameter names stay literal (`$where`, as the SODA docs write them);
// values are percent-encoded. The result is the URL as the HTTP client serialises it (WHATWG
// also encodes `'` in a query), so the source_url we report is byte for byte what was fetched.
function url(baseUrl: string, settings: SocrataSettings, params: readonly (readonly [string, string])[]): string {
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return new URL(`${baseUrl.replace(/\/+$/, '')}${resourcePath(settings.dataset_id)}?${query}`).href;
}
