import { performance } from 'node:perf_hooks';
import { PermitRecord } from '../../permits/record.ts';
import type { AdapterContext, AdapterLookup, Observation, PlatformAdapter } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { okResponse } from '../portal-answer.ts';
import { parseSocrataResponse, readSodaRows, selectSodaRow } from './parse-response.ts';
import { parseSocrataRow } from './parse-row.ts';
import type { SodaRow } from './row-values.ts';
import { socrataSettings, type SocrataSettings } from './settings.ts';
import { changedSinceUrl, lookupUrl } from './soql.ts';

/**
 * The most pages one changedSince call reads (a million rows at the default page size). A feed
 * that long means the publisher replaced the whole dataset, which touches every row's
 * `:updated_at` (dev.socrata.com/docs/system-fields); the call fails rather than read it all.
 */
export const MAX_FEED_PAGES = 1000;

/**
 * Looks one permit up with a single SODA query on the permit-number column. No row is
 * `not_found`; rows that are all another permit, or an answer that is not a row array, are the
 * portal misbehaving (AdapterError `bad_response`), as are transport failures (mapped as for
 * every adapter).
 */
async function lookup(permitNumber: string, ctx: AdapterContext): Promise<AdapterLookup> {
  const settings = socrataSettings(ctx.jurisdiction);
  const url = lookupUrl(ctx.baseUrl, settings, permitNumber);
  const { rows, fetch_ms } = await fetchRows(url, ctx);
  if (rows.length === 0) return { found: false, reason: 'not_found', source_url: url };

  const row = selectSodaRow(rows, settings, permitNumber);
  if (!row) throw new AdapterError({ reason: 'bad_response', url, message: `SODA answered ${permitNumber} with rows of other permits` });
  const checked = checkedRecord(row, settings, ctx);
  if (!checked.ok) throw new AdapterError({ reason: 'bad_response', url, message: checked.message });
  return { found: true, observation: { record: checked.record, source_url: url, fetch_ms } };
}

/**
 * Every row whose change column is after `since`, page by page in `:id` order until a short
 * page. A row that does not give a valid record is logged and skipped, so one odd row does not
 * stop the feed; a page that fails throws, so the caller does not move its checkpoint past it.
 */
async function* changedSince(since: Date, ctx: AdapterContext): AsyncIterable<Observation> {
  const settings = socrataSettings(ctx.jurisdiction);
  let offset = 0;
  for (let page = 0; page < MAX_FEED_PAGES; page++) {
    const url = changedSinceUrl(ctx.baseUrl, settings, { since, timeZone: ctx.jurisdiction.time_zone, offset });
    const { rows, fetch_ms } = await fetchRows(url, ctx);
    for (const row of rows) {
      const checked = checkedRecord(row, settings, ctx);
      if (checked.ok) yield { record: checked.record, source_url: url, fetch_ms };
      else ctx.log.warn({ url, reason: checked.message }, 'socrata: skipped a feed row');
    }
    if (rows.length < settings.feed_page_size) return;
    offset += rows.length;
  }
  throw new AdapterError({
    reason: 'bad_response',
    url: ctx.baseUrl,
    message: `feed longer than ${MAX_FEED_PAGES} pages since ${since.toISOString()}`,
  });
}

async function fetchRows(url: string, ctx: AdapterContext): Promise<{ rows: SodaRow[]; fetch_ms: number }> {
  const started = performance.now();
  const result = await ctx.http.fetch({ url, politeness: ctx.jurisdiction.politeness, headers: { accept: 'application/json' } });
  const fetch_ms = Math.round(performance.now() - started);
  const rows = readSodaRows(okResponse(result, url, 'SODA').body);
  if (!rows) throw new AdapterError({ reason: 'bad_response', url, message: 'SODA answered with something other than a JSON row array' });
  return { rows, fetch_ms };
}


type Checked = { ok: true; record: PermitRecord } | { ok: false; message: string };

function checkedRecord(row: SodaRow, settings: SocrataSettings, ctx: AdapterContext): Checked {
  const record = parseSocrataRow(row, ctx.jurisdiction, settings);
  if (!record) return { ok: false, message: `row has no ${settings.fields.permit_number}` };
  const checked = PermitRecord.safeParse(record);
  if (!checked.success) return { ok: false, message: `parsed record is invalid: ${checked.error.message}` };
  if (record.status_phase === 'unknown') {
    ctx.log.warn(
      { status: record.portal_status, permit_number: record.permit_number, jurisdiction: record.jurisdiction },
      'socrata: unmapped status',
    );
  }
  return { ok: true, record: checked.data };
}

/**
 * Socrata SODA open-data datasets. Version 1: the field maps in jurisdictions.ts. Version 2
 * (issue 20): full status vocabularies, no phase from dates, firms as companies, SF units, Austin
 * trade valuations.
 */
export const socrata: PlatformAdapter = {
  platform: 'socrata',
  version: '2',
  lookup,
  parse: (body, input) => parseSocrataResponse(body, input),
  changedSince,
};
