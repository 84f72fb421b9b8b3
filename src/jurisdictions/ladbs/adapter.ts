import { performance } from 'node:perf_hooks';
import { PermitRecord } from '../../permits/record.ts';
import type { HttpResult } from '../../http/messages.ts';
import type { AdapterContext, AdapterLookup, PlatformAdapter } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { parseLadbsDetail } from './parse-detail.ts';
import { pcisDetailUrl, splitLadbsPermitNumber } from './permit-number.ts';

const HTTP_OK = 200;

/**
 * Looks one permit up on PCIS: a single GET of its detail page. A page without the permit is
 * `not_found` (PCIS has no distinct not-found status we have seen); a malformed number is also
 * `not_found`, without a request. The portal failing throws AdapterError.
 */
async function lookup(permitNumber: string, ctx: AdapterContext): Promise<AdapterLookup> {
  const id = splitLadbsPermitNumber(permitNumber);
  if (!id) return { found: false, reason: 'not_found', source_url: ctx.baseUrl };
  const url = pcisDetailUrl(ctx.baseUrl, id);

  const started = performance.now();
  const result = await ctx.http.fetch({ url, politeness: ctx.jurisdiction.politeness });
  const fetch_ms = Math.round(performance.now() - started);
  const body = okBody(result, url);

  const parsed = parseLadbsDetail(body, { jurisdiction: ctx.jurisdiction, permitNumber });
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

// The HTTP client has already retried 5xx, 429, timeouts and network errors and waited out
// Retry-After; what reaches here is final. Every failure but an oversized body is the portal
// being unavailable.
function okBody(result: HttpResult, url: string): string {
  if (!result.ok) {
    const reason = result.reason === 'timeout' ? 'timeout' : result.reason === 'too_large' ? 'bad_response' : 'unavailable';
    throw new AdapterError({ reason, url, message: result.message, retryAfterSeconds: result.retryAfterSeconds });
  }
  const { status, body } = result.response;
  if (status === HTTP_OK) return body;
  // Every captured detail page came with 200; any other answer (a 404, a redirect to a login or
  // maintenance page) is one we cannot read, not evidence that the permit does not exist.
  throw new AdapterError({ reason: 'bad_response', url, message: `PCIS answered HTTP ${status}` });
}

/** LADBS PCIS (City of Los Angeles). Version 1: the detail page as captured in fixtures/ladbs/. */
export const ladbs: PlatformAdapter = {
  platform: 'ladbs',
  version: '1',
  lookup,
  parse: (body, input) => parseLadbsDetail(body, input),
};
