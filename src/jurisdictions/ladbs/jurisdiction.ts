import type { Jurisdiction } from '../jurisdiction.ts';
import { LADBS_PERMIT_NUMBER_PATTERN } from './permit-number.ts';

/**
 * The City of Los Angeles, served by LADBS's PCIS "Permit & Inspection Report" pages.
 * One request a second and two at a time: each lookup is a single page, and PCIS is a public city
 * service we share with residents.
 */
export const LADBS_JURISDICTION: Jurisdiction = {
  slug: 'ladbs',
  display_name: 'LADBS (City of Los Angeles)',
  platform: 'ladbs',
  state: 'CA',
  city: 'Los Angeles',
  base_url: 'https://www.ladbsservices2.lacity.org',
  permit_number_patterns: [LADBS_PERMIT_NUMBER_PATTERN],
  time_zone: 'America/Los_Angeles',
  politeness: { requests_per_second: 1, concurrency: 2 },
  settings: {},
};
