import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { SOCRATA_JURISDICTIONS } from '../src/jurisdictions/socrata/jurisdictions.ts';

export const FEED_CHILD_SLUG = 'socrata:chicago';
/** Twenty rows a page: the feed of the crash test is many pages long, each its own transaction. */
export const FEED_CHILD_PAGE = 20;
const chicago = SOCRATA_JURISDICTIONS.find((j) => j.slug === FEED_CHILD_SLUG)!;
/** Chicago at its real politeness (2 requests/s), with short pages. */
export const feedChildCatalog = () => createCatalog([{ ...chicago, settings: { ...chicago.settings, feed_page_size: FEED_CHILD_PAGE } }]);
