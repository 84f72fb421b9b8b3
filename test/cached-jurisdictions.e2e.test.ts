import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LADBS_JURISDICTION as LADBS } from '../src/jurisdictions/ladbs/jurisdiction.ts';
import { startHarness, type Harness } from './harness.ts';

const FINALED = '16041-10000-23545';
/** The same portal under a second slug that bare LADBS numbers do not auto-detect to. */
const MIRROR = { ...LADBS, slug: 'ladbs-mirror', display_name: 'LADBS mirror', auto_detect: false };

describe('a number already cached under two jurisdictions', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness({ jurisdictions: [LADBS, MIRROR] });
    key = await h.key('developer');
  });
  afterAll(() => h.close());

  it('answers 300 multiple_jurisdictions naming both, without touching the portal', async () => {
    for (const slug of ['ladbs', 'ladbs-mirror']) {
      const res = await h.get(`/api/v1/permits/${FINALED}/status?jurisdiction=${slug}`, key);
      expect(res).toMatchObject({ status: 200, body: { jurisdiction: slug, source: 'live' } });
    }
    const fetched = h.portal.requests.length;

    const res = await h.get(`/api/v1/permits/${FINALED}/status`, key);
    expect(res.status).toBe(300);
    expect(res.body).toMatchObject({ error: 'multiple_jurisdictions', example: expect.stringMatching(/\?jurisdiction=ladbs/) });
    expect(res.body.candidates).toEqual(
      expect.arrayContaining([
        { slug: 'ladbs', display_name: LADBS.display_name },
        { slug: 'ladbs-mirror', display_name: 'LADBS mirror' },
      ]),
    );
    expect(res.body.candidates).toHaveLength(2);
    expect(h.portal.requests.length).toBe(fetched);

    // Naming one of them still answers from its cache.
    const named = await h.get(`/api/v1/permits/${FINALED}/status?jurisdiction=ladbs-mirror`, key);
    expect(named).toMatchObject({ status: 200, body: { jurisdiction: 'ladbs-mirror', source: 'cached' } });
  });
});
