import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

// Issue 21, defect 1: the public lists (no key needed) read the live plane, not the demo
// database, while permit routes without a key keep answering from the demo dataset.
describe('public jurisdiction lists without a key', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness();
    key = await h.key('developer');
  });
  afterAll(() => h.close());

  it('lists the jurisdiction requests keyed users made, with no demo-mode header', async () => {
    await h.post('/api/v1/jurisdictions/request', { jurisdiction_name: 'City of Phoenix', state: 'AZ' }, key);
    const list = await h.get('/api/v1/jurisdictions/requests');
    expect(list.status).toBe(200);
    expect(list.body.requests).toEqual([expect.objectContaining({ jurisdiction_name: 'City of Phoenix', request_count: 1 })]);
    expect(list.headers.get('x-demo-mode')).toBeNull();
  });

  it('counts live permits in /jurisdictions, not the demo dataset', async () => {
    const before = await h.get('/api/v1/jurisdictions');
    expect(before.status).toBe(200);
    expect(before.headers.get('x-demo-mode')).toBeNull();
    const ladbs = () => before.body.jurisdictions.find((j: { slug: string }) => j.slug === 'ladbs');
    // The demo database holds active LADBS permits from its first start; the live one none yet.
    expect(ladbs().active_permits_count).toBe(0);
    expect((await h.get('/api/v1/permits/26014-10000-00017/status', key)).status).toBe(200);
    const after = await h.get('/api/v1/jurisdictions');
    const live = after.body.jurisdictions.find((j: { slug: string }) => j.slug === 'ladbs');
    expect(live.active_permits_count).toBe(1);
  });

  it('still serves permit routes without a key from the demo dataset', async () => {
    const res = await h.get('/api/v1/permits/16041-10000-23545/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-demo-mode')).toBe('true');
  });
});
