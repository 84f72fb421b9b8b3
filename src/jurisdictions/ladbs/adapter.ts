import { performance } from 'node:perf_hooks';
import { PermitRecord } from '../../permits/record.ts';
import type { AdapterContext, AdapterLookup, PlatformAdapter } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { okResponse } from '../portal-answer.ts';
import { parseLadbsDetail } from './parse-detail.ts';
import { pcisDetailUrl, splitLadbsPermitNumber } from './permit-number.ts';


/**
 * Looks one permit up on PCIS: a single GET of its detail page. The detail-page shell without a
 * permit is `not_found` (parse-detail.ts), and so is a malformed number, without a request. The
 * portal failing, or answering anything but a whole detail page, throws AdapterError.
 */
async function lookup(permitNumber: string, ctx: AdapterContext): Promise<AdapterLookup> {
  const id = splitLadbsPermitNumber(permitNumber);
  if (!id) return { found: false, reason: 'not_found', source_url: ctx.baseUrl };
  const url = pcisDetailUrl(ctx.baseUrl, id);

  const started = performance.now();
  const result = await ctx.http.fetch({ url, politeness: ctx.jurisdiction.politeness });
  const fetch_ms = Math.round(performance.now() - started);
  const body = okResponse(result, url, 'PCIS').body;

  const parsed = parseLadbsDetail(body, { jurisdiction: ctx.jurisdiction, permitNumber });
  if (!parsed.found && parsed.reason === 'bad_response') {
    throw new AdapterError({ reason: 'bad_response', url, message: `PCIS page is not a whole detail page: ${parsed.message}` });
  }
  if (!parsed.found) return { found: false, reason: 'not_found', source_url: url };
  const { record } = parsed;
  if (record.permit_number !== permitNumber.trim()) {
    throw new AdapterError({ reason: 'bad_response', url, message: `PCIS answered with permit ${record.permit_number}` });
  }
  const checked = PermitRecord.safeParse(record);
  if (!checked.success) {
    throw new AdapterError({ reason: 'bad_response', url, message: `parsed record is invalid: ${checked.error.message}` });
  }
  if (record.status_phase === 'unknown') {
    ctx.log.warn({ status: record.portal_status, permit_number: record.permit_number }, 'ladbs: unmapped PCIS status');
  }
  return { found: true, observation: { record: checked.data, source_url: url, fetch_ms } };
}


/**
 * LADBS PCIS (City of Los Angeles). Version 2: the detail page as captured in fixtures/ladbs/, read
 * only when whole, tables validated by shape, licence classes and clearance dates kept.
 */
export const ladbs: PlatformAdapter = {
  platform: 'ladbs',
  version: '2',
  lookup,
  parse: (body, input) => parseLadbsDetail(body, input),
};
