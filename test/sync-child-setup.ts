import type { Jurisdiction } from '../src/jurisdictions/jurisdiction.ts';
import { LADBS_JURISDICTION } from '../src/jurisdictions/ladbs/jurisdiction.ts';

/** Two LADBS-platform jurisdictions on two portal hosts, paced at 4 requests/s so the test is short. */
export const SYNC_CHILD_JURISDICTIONS: Jurisdiction[] = [
  { ...LADBS_JURISDICTION, politeness: { requests_per_second: 4, concurrency: 2 } },
  {
    ...LADBS_JURISDICTION,
    slug: 'ladbs-b',
    display_name: 'LADBS mirror B',
    auto_detect: false,
    politeness: { requests_per_second: 4, concurrency: 2 },
  },
];

/**
 * Seconds instead of hours: a dead worker's hosts move on within 4 s and its checks within 6 s.
 * Not shorter: on this shared 2-core machine a live child has been seen stalled for 4 s, and a
 * lease that lapses under a live worker lets the other one repeat its check (at least once).
 */
export const SYNC_CHILD_TIMING = { intervalMs: 60_000, tickMs: 200, checkLeaseMs: 6_000, hostLeaseMs: 4_000 };
