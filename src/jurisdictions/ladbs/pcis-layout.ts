import { splitLadbsPermitNumber } from './permit-number.ts';
import type { PcisPage } from './pcis-page.ts';
import { PCIS_SECTION_TITLES } from './pcis-tables.ts';

/** The `<title>` of every PCIS detail capture (fixtures/ladbs/); the search form says "Online Services". */
export const PCIS_DETAIL_TITLE = 'Permit and Inspection Report Detail';
/** The list labels a record is made of: the permit's number, its type and its Current Status. */
const REQUIRED_FIELDS = ['Application / Permit', 'Type', 'Current Status'] as const;

export type PcisLayout = { kind: 'detail' } | { kind: 'no_permit' } | { kind: 'damaged'; message: string };

/**
 * Whether a page shows the whole layout of a detail page: the detail page's title, the permit's
 * list with a number and a Current Status, the six section headings each followed by its table,
 * and the site footer (a page cut anywhere before it has none).
 *
 * `no_permit` is the one page that says the permit does not exist. No capture of PCIS's answer for
 * an unknown number exists; a public LA scraper that fetches these pages by number records a
 * detail page with no permit content as "the not-found shell" (fixtures/ladbs/PROVENANCE.md). So
 * only a whole detail-page shell (title and footer present) holding no list and no section at all
 * is `no_permit`; anything else short of the full layout (a login, error or maintenance page, the
 * search form, an empty or cut body) is `damaged`, never a missing permit.
 */
export function pcisLayout(page: PcisPage): PcisLayout {
  if (page.title !== PCIS_DETAIL_TITLE) return damaged(`not a detail page (title "${page.title ?? ''}")`);
  if (!page.hasFooter) return damaged('the page ends before its footer');
  if (!page.hasList && page.headings.length === 0) return { kind: 'no_permit' };
  if (!page.hasList) return damaged('no permit list');
  for (const label of REQUIRED_FIELDS) {
    if (!page.fields.get(label)) return damaged(`no "${label}" value`);
  }
  if (!splitLadbsPermitNumber(page.fields.get('Application / Permit') ?? '')) return damaged('the permit number is not an LADBS number');
  for (const title of PCIS_SECTION_TITLES) {
    if (!page.headings.includes(title)) return damaged(`no "${title}" heading`);
    if (!page.sections.has(title)) return damaged(`the "${title}" heading is not followed by its table`);
  }
  return { kind: 'detail' };
}

function damaged(message: string): PcisLayout {
  return { kind: 'damaged', message };
}
