import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import { createHttpClient, type HttpClient } from '../http/client.ts';
import type { PlatformAdapter } from '../jurisdictions/adapter.ts';
import { AdapterError } from '../jurisdictions/adapter-error.ts';
import { createCatalog } from '../jurisdictions/catalog.ts';
import { LADBS_JURISDICTION as LADBS } from '../jurisdictions/ladbs/jurisdiction.ts';
import { createManualClock, type ManualClock } from '../lib/manual-clock.ts';
import { PROJECTIONS } from '../projections/all.ts';
import { createProjector } from '../projections/projector.ts';
import { testRecord } from '../testing/test-record.ts';
import { createLookupService, type LookupService } from './lookup.ts';

const CACHE_TTL_SECONDS = 4 * 3600;
const NUMBER = '16041-10000-23545';
/** A second jurisdiction on the same platform that a bare LADBS number does not auto-detect to. */
const MIRROR = { ...LADBS, slug: 'ladbs-mirror', display_name: 'LADBS mirror', auto_detect: false };

/**
 * The portal, as the lookup service sees it through the adapter port: answers the test record
 * for the jurisdiction asked, or fails while `down` is set; every call is counted.
 */
function scriptedPortal() {
  const calls: string[] = [];
  const state = { down: false };
  const adapter: PlatformAdapter = {
    platform: LADBS.platform,
    version: 'test',
    async lookup(permitNumber, ctx) {
      calls.push(`${ctx.jurisdiction.slug} ${permitNumber}`);
      const url = `${ctx.baseUrl}/permit/${permitNumber}`;
      if (state.down) throw new AdapterError({ reason: 'timeout', url, message: 'no answer in 20 s' });
      const record = testRecord({ jurisdiction: ctx.jurisdiction.slug, permit_number: permitNumber });
      return { found: true, observation: { record, source_url: url, fetch_ms: 1 } };
    },
    parse: () => ({ found: false, reason: 'not_found' }),
  };
  return { adapter, calls, state };
}

let temp: TempDatabase;
let clock: ManualClock;
let http: HttpClient;
let portal: ReturnType<typeof scriptedPortal>;
let service: LookupService;

beforeEach(async () => {
  temp = await openTempDatabase('lookup');
  clock = createManualClock(Date.UTC(2026, 11, 6, 8, 0, 0, 0));
  http = createHttpClient({ clock });
  portal = scriptedPortal();
  service = createLookupService({
    db: temp.db,
    projector: createProjector(PROJECTIONS),
    catalog: createCatalog([LADBS, MIRROR]),
    adapters: { [LADBS.platform]: portal.adapter },
    http,
    clock,
    log: pino({ level: 'silent' }),
    cacheTtlSeconds: CACHE_TTL_SECONDS,
    portalOverrides: {},
  });
});
afterEach(async () => {
  await http.close();
  await temp.close();
});

describe('lookup service on a manual clock', () => {
  it('answers from the cache until exactly 4 hours after the last check, then fetches live', async () => {
    expect(await service.lookup({ permitNumber: NUMBER })).toMatchObject({ ok: true, source: 'live', age_seconds: 0 });
    expect(portal.calls).toEqual([`ladbs ${NUMBER}`]);

    await clock.advance(CACHE_TTL_SECONDS * 1000 - 1);
    expect(await service.lookup({ permitNumber: NUMBER })).toMatchObject({ ok: true, source: 'cached', age_seconds: CACHE_TTL_SECONDS - 1 });
    expect(portal.calls).toHaveLength(1);

    await clock.advance(1);
    const refreshed = await service.lookup({ permitNumber: NUMBER });
    expect(refreshed).toMatchObject({ ok: true, source: 'live', age_seconds: 0 });
    expect(refreshed.ok && refreshed.row.last_checked_at).toBe(new Date(clock.now()).toISOString());
    expect(portal.calls).toHaveLength(2);

    // The window restarts at the new check.
    await clock.advance(CACHE_TTL_SECONDS * 1000 - 1);
    expect(await service.lookup({ permitNumber: NUMBER })).toMatchObject({ ok: true, source: 'cached' });
    expect(portal.calls).toHaveLength(2);
  });

  it('force_refresh fetches inside the window', async () => {
    await service.lookup({ permitNumber: NUMBER });
    await clock.advance(1000);
    expect(await service.lookup({ permitNumber: NUMBER, forceRefresh: true })).toMatchObject({ ok: true, source: 'live' });
    expect(portal.calls).toHaveLength(2);
  });

  it('serves a permit cached under two jurisdictions as multiple_jurisdictions with both, fetching nothing', async () => {
    await service.lookup({ permitNumber: NUMBER, jurisdiction: 'ladbs' });
    // Known under one jurisdiction: a bare number resolves there.
    expect(await service.lookup({ permitNumber: NUMBER })).toMatchObject({ ok: true, source: 'cached', jurisdiction: { slug: 'ladbs' } });
    await service.lookup({ permitNumber: NUMBER, jurisdiction: 'ladbs-mirror' });
    const calls = portal.calls.length;

    const answer = await service.lookup({ permitNumber: NUMBER });
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.reason).toBe('multiple_jurisdictions');
    expect(!answer.ok && answer.reason === 'multiple_jurisdictions' && answer.candidates.map((j) => j.slug).sort()).toEqual([
      'ladbs',
      'ladbs-mirror',
    ]);
    expect(portal.calls).toHaveLength(calls);
  });

  it('past the window with the portal down, serves what it has with its true age and the reason', async () => {
    await service.lookup({ permitNumber: NUMBER });
    portal.state.down = true;
    await clock.advance(CACHE_TTL_SECONDS * 1000);
    expect(await service.lookup({ permitNumber: NUMBER })).toMatchObject({
      ok: true,
      source: 'cached',
      age_seconds: CACHE_TTL_SECONDS,
      stale_because: 'portal timeout: no answer in 20 s',
    });
    expect(portal.calls).toHaveLength(2);
  });

  it('with the portal down and nothing cached, is jurisdiction_unavailable with a retry hint', async () => {
    portal.state.down = true;
    expect(await service.lookup({ permitNumber: NUMBER })).toMatchObject({
      ok: false,
      reason: 'jurisdiction_unavailable',
      jurisdiction: { slug: 'ladbs' },
      retry_after_seconds: 60,
    });
  });
});
