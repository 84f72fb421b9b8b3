import { performance } from 'node:perf_hooks';
import { PermitRecord } from '../../permits/record.ts';
import type { HttpRequest } from '../../http/messages.ts';
import type { AdapterContext, AdapterLookup, PlatformAdapter } from '../adapter.ts';
import { AdapterError } from '../adapter-error.ts';
import { okResponse, portalFailure } from '../portal-answer.ts';
import { sameRecordNumber } from './aca-text.ts';
import { acaSettings } from './aca-settings.ts';
import { capDetailUrl, capHomeUrl } from './aca-urls.ts';
import { hasPostbackState, postbackBody, readFormFields } from './aspnet-form.ts';
import { parseAcaDetail } from './parse-detail.ts';
import { readSearchAnswer } from './search-answer.ts';
import { cookieHeader } from './session-cookies.ts';

/** The general search's Record Number box (real Osceola search form; COSPRINGS and Lee County scrapers). */
export const PERMIT_NUMBER_FIELD = 'ctl00$PlaceHolderMain$generalSearchForm$txtGSPermitNumber';
/** The Search LinkButton a postback names as `__EVENTTARGET` (COSPRINGS script, Dallas connector tests). */
export const SEARCH_BUTTON = 'ctl00$PlaceHolderMain$btnNewSearch';

/**
 * Looks one record up the way a resident does: GET CapHome (search form, WebForms state, session
 * cookie) → POST the search with the record number → ACA redirects to the record's CapDetail, or
 * lists matches (the row whose number equals the one asked for is taken) → GET CapDetail → parse.
 * No matching record is `not_found`; the portal failing, or answering something we cannot read,
 * throws AdapterError.
 */
async function lookup(permitNumber: string, ctx: AdapterContext): Promise<AdapterLookup> {
  const number = permitNumber.trim();
  const settings = acaSettings(ctx.jurisdiction);
  const homeUrl = capHomeUrl(ctx.baseUrl, settings);
  const started = performance.now();
  const fetchPage = (req: Omit<HttpRequest, 'politeness'>) => ctx.http.fetch({ ...req, politeness: ctx.jurisdiction.politeness });

  const home = okResponse(await fetchPage({ url: homeUrl }), homeUrl, 'ACA');
  const fields = readFormFields(home.body);
  if (!hasPostbackState(fields) || !fields.has(PERMIT_NUMBER_FIELD)) {
    throw new AdapterError({ reason: 'bad_response', url: homeUrl, message: 'CapHome page has no record search form' });
  }
  const cookie = cookieHeader(home.headers['set-cookie']);
  const session: Record<string, string> = cookie ? { cookie } : {};

  const searched = await fetchPage({
    url: homeUrl,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(homeUrl).origin, referer: homeUrl, ...session },
    body: postbackBody(fields, { eventTarget: SEARCH_BUTTON, values: { [PERMIT_NUMBER_FIELD]: number } }),
  });
  if (!searched.ok) throw portalFailure(searched);
  const answer = readSearchAnswer(searched.response, number);
  if (answer.kind === 'unexpected') throw new AdapterError({ reason: 'bad_response', url: homeUrl, message: answer.message });
  if (answer.kind === 'not_found') {
    ctx.log.debug({ permit_number: number, why: answer.why }, 'accela: search found no record');
    return { found: false, reason: 'not_found', source_url: homeUrl };
  }

  const detailUrl = capDetailUrl(ctx.baseUrl, settings, answer.capId);
  const detail = okResponse(await fetchPage({ url: detailUrl, headers: { referer: homeUrl, ...session } }), detailUrl, 'ACA');
  const fetch_ms = Math.round(performance.now() - started);

  const parsed = parseAcaDetail(detail.body, { jurisdiction: ctx.jurisdiction, permitNumber: number });
  if (!parsed.found) {
    const why = parsed.reason === 'bad_response' ? parsed.message : 'shows no record';
    throw new AdapterError({ reason: 'bad_response', url: detailUrl, message: `CapDetail page is not a whole detail page: ${why}` });
  }
  const { record } = parsed;
  if (!sameRecordNumber(record.permit_number, number)) {
    throw new AdapterError({ reason: 'bad_response', url: detailUrl, message: `ACA answered with record ${record.permit_number}` });
  }
  const checked = PermitRecord.safeParse(record);
  if (!checked.success) {
    throw new AdapterError({ reason: 'bad_response', url: detailUrl, message: `parsed record is invalid: ${checked.error.message}` });
  }
  if (record.status_phase === 'unknown') {
    ctx.log.warn(
      { status: record.portal_status, permit_number: record.permit_number, jurisdiction: record.jurisdiction },
      'accela: unmapped ACA status',
    );
  }
  return { found: true, observation: { record: checked.data, source_url: detailUrl, fetch_ms } };
}


/** Accela Citizen Access (ASP.NET WebForms): CapHome search postback → CapDetail, as in fixtures/accela/. Version 2: only a whole CapDetail page is read (issue 20). */
export const accela: PlatformAdapter = {
  platform: 'accela',
  version: '2',
  lookup,
  parse: (body, input) => parseAcaDetail(body, input),
};
