import { describe, expect, it } from 'vitest';
import { LADBS_JURISDICTION as LADBS } from '../../jurisdictions/ladbs/jurisdiction.ts';
import type { PermitRow } from '../../projections/permits.ts';
import { statusBody, statusJson } from './permits.ts';

const ROW: PermitRow = {
  stream: 'permit-ladbs-16041-10000-23545',
  jurisdiction: 'ladbs',
  permit_number: '16041-10000-23545',
  version: 3,
  status: 'Permit Finaled',
  portal_status: 'Permit Finaled',
  status_phase: 'closed',
  permit_type: 'Bldg-Alter/Repair',
  category: 'residential_alteration',
  address_line: '1120 S LUCERNE BLVD, Los Angeles, CA 90019',
  work_description: 'Kitchen remodel: "new" cabinets, \\ backslash, ünïcode, tab\there\nand a newline',
  first_seen_at: '2026-12-01T10:00:00.000Z',
  last_changed_at: '2026-12-02T10:00:00.000Z',
  source_url: 'https://www.ladbsservices2.lacity.org/OnlineServices/PermitReport/PcisPermitDetail?id1=16041&id2=10000&id3=23545',
  last_checked_at: '2026-12-06T10:00:00.000Z',
};

type Found = Parameters<typeof statusBody>[0];

describe('statusJson', () => {
  const cases: [string, Found, boolean][] = [
    ['cached, refresh available', { ok: true, source: 'cached', row: ROW, jurisdiction: LADBS, age_seconds: 42 }, true],
    ['cached, no refresh', { ok: true, source: 'cached', row: ROW, jurisdiction: LADBS, age_seconds: 0 }, false],
    ['live', { ok: true, source: 'live', row: ROW, jurisdiction: LADBS, age_seconds: 0 }, true],
    [
      'stale after a portal outage',
      {
        ok: true,
        source: 'cached',
        row: ROW,
        jurisdiction: LADBS,
        age_seconds: 99_999,
        stale_because: 'portal timeout: "no answer" in 10 s',
      },
      true,
    ],
    [
      'null fields',
      {
        ok: true,
        source: 'cached',
        row: {
          ...ROW,
          status: null,
          portal_status: null,
          permit_type: null,
          address_line: null,
          work_description: null,
          last_checked_at: null,
        },
        jurisdiction: LADBS,
        age_seconds: 7,
      },
      false,
    ],
  ];

  it.each(cases)('is JSON.stringify(statusBody(...)) byte for byte: %s', (_, found, refresh) => {
    expect(statusJson(found, refresh)).toBe(JSON.stringify(statusBody(found, refresh)));
  });

  it('serves the same row with a new age, a new source and a new jurisdiction from its kept head correctly', () => {
    const row = { ...ROW };
    const found = (over: Partial<Found>): Found =>
      ({ ok: true, source: 'cached', row, jurisdiction: LADBS, age_seconds: 1, ...over }) as Found;
    for (const f of [
      found({}),
      found({ age_seconds: 3600 }),
      found({ source: 'live', age_seconds: 0 }),
      found({}),
      found({ jurisdiction: { ...LADBS, slug: 'ladbs-mirror', display_name: 'Mirror' } }),
    ]) {
      expect(JSON.parse(statusJson(f, true))).toEqual(statusBody(f, true));
    }
  });
});
