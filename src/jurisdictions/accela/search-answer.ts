import type { HttpResponse } from '../../http/messages.ts';
import { isAjaxDelta, readAjaxDelta } from './ajax-delta.ts';
import { sameRecordNumber } from './aca-text.ts';
import { capIdFromUrl, type CapId } from './aca-urls.ts';
import { hasResultGrid, readResultCount, readResultRows, type ResultRow } from './result-rows.ts';

/**
 * What a CapHome search postback came to. ACA sends a single match straight to its CapDetail page
 * (an HTTP redirect to a full postback; a `pageRedirect` delta segment to an async one, as in the
 * Tampa client's tests), lists several matches in its grid, or says "Your search returned no results."
 */
export type SearchAnswer =
  | { kind: 'record'; capId: CapId; via: 'redirect' | 'list' }
  | { kind: 'not_found'; why: 'no_results' | 'not_in_list' | 'no_detail_page' }
  | { kind: 'unexpected'; message: string };

// Seen as "Your search returned no results." (see fixtures/accela/osceola-caphome-no-results-constructed.html).
const NO_RESULTS = /returned no results/i;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Reads the postback's answer for `permitNumber`. A redirect must lead to a CapDetail page (a
 * redirect to an error or login page is `unexpected`); in a list only the row whose number equals
 * the one asked for counts, since ACA also lists numbers that merely contain it. A matching row
 * without a detail link (a temporary application) is `no_detail_page`.
 */
export function readSearchAnswer(response: Pick<HttpResponse, 'status' | 'headers' | 'body'>, permitNumber: string): SearchAnswer {
  if (REDIRECT_STATUSES.has(response.status)) return redirectAnswer(response.headers['location']);
  if (response.status !== 200) return { kind: 'unexpected', message: `search answered HTTP ${response.status}` };

  let html = response.body;
  if (isAjaxDelta(html)) {
    const delta = readAjaxDelta(html);
    if (delta.error) return { kind: 'unexpected', message: `search answered an error: ${delta.error}` };
    if (delta.redirect !== null) return redirectAnswer(delta.redirect);
    html = [...delta.panels.values()].join('\n');
  }

  if (hasResultGrid(html)) {
    const rows = readResultRows(html);
    const row = rows.find((r) => sameRecordNumber(r.permitNumber, permitNumber));
    if (!row) return absentFromList(html, rows);
    const capId = row.detailHref ? capIdFromUrl(row.detailHref) : null;
    return capId ? { kind: 'record', capId, via: 'list' } : { kind: 'not_found', why: 'no_detail_page' };
  }
  if (NO_RESULTS.test(html)) return { kind: 'not_found', why: 'no_results' };
  return { kind: 'unexpected', message: 'search answered a page with neither results nor a no-results message' };
}

/**
 * A list without the number says it does not exist only when the list is whole and all of it is
 * here: its caption counts every result ("Showing 1-3 of 3") and that many rows were read. A paged
 * list ("Showing 1-10 of 100+": ACA lists every number containing the text searched for) may hold
 * it on another page, and a list with fewer rows than it announces was cut: neither is an answer.
 */
function absentFromList(html: string, rows: readonly ResultRow[]): SearchAnswer {
  const count = readResultCount(html);
  if (!count) return { kind: 'unexpected', message: 'result list without its "Showing x-y of N" count' };
  if (count.total === null || count.from !== 1 || count.to < count.total) {
    return { kind: 'unexpected', message: `the record may be on another page of the list (showing ${count.from}-${count.to} of ${count.total ?? 'more than 100'})` };
  }
  if (rows.length !== count.to) return { kind: 'unexpected', message: `result list shows ${rows.length} rows of the ${count.to} it counts (cut?)` };
  return { kind: 'not_found', why: 'not_in_list' };
}

function redirectAnswer(location: string | undefined): SearchAnswer {
  const capId = location ? capIdFromUrl(location) : null;
  if (capId) return { kind: 'record', capId, via: 'redirect' };
  return { kind: 'unexpected', message: `search redirected to ${location ?? '(no Location)'}, not to a record` };
}
