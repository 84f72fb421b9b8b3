import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, startHarness, type Harness } from './harness.ts';
import { call, connect, errorBody, text } from './mcp-client.ts';

// Issue 19, item 1: the watchlist tools, watch_permit and list_watched_permits, over Streamable
// HTTP with the SDK's client, on the real captures the fixture portal serves.
const PLAN_CHECK = '26014-10000-00017';
const FINALED = '16041-10000-23545';
/** Two real Accela agencies (Boise, South Pasadena) share this number's format. */
const AMBIGUOUS = 'BLD26-02789';

/** The client with the key as a Bearer token (none: the demo caller). */
const connectAs = (h: Harness, key?: string) => connect(h, key ? { Authorization: `Bearer ${key}` } : {});

describe('MCP watchlist tools', () => {
  let h: Harness;
  let writer: string;
  beforeAll(async () => {
    h = await startHarness();
    writer = await h.key('developer', { permissions: ['read', 'write'] });
  });
  afterAll(() => h.close());

  it('lists both with the REST routes’ schemas: POST /watchlist’s body and GET /permits’s query', async () => {
    const { client, close } = await connectAs(h);
    const { tools } = await client.listTools();
    const watch = tools.find((t) => t.name === 'watch_permit')!;
    expect(watch.inputSchema.required).toEqual(['permit_number']);
    expect(Object.keys(watch.inputSchema.properties ?? {}).sort()).toEqual(['jurisdiction', 'label', 'note', 'permit_number']);
    expect(watch.outputSchema?.required).toEqual(expect.arrayContaining(['id', 'current_status', 'created']));
    expect(watch.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
    const list = tools.find((t) => t.name === 'list_watched_permits')!;
    expect(Object.keys(list.inputSchema.properties ?? {}).sort()).toEqual(['cursor', 'jurisdiction', 'limit', 'status_phase']);
    expect(list.outputSchema?.required).toEqual(['permits', 'next_cursor']);
    await close();
  });

  it('watch_permit watches through the REST write path (one credit, the same watch REST shows); again answers the existing watch', async () => {
    const { client, lastHeaders, close } = await connectAs(h, writer);
    const added = await call(client, 'watch_permit', { permit_number: PLAN_CHECK, label: 'Midvale addition' });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({
      id: expect.stringMatching(/^wat_[0-9a-f]{16}$/),
      permit_number: PLAN_CHECK,
      jurisdiction: 'ladbs',
      label: 'Midvale addition',
      created: true,
      current_status: { permit_number: PLAN_CHECK, status_phase: 'in_review' },
    });
    const id = (added.structuredContent as { id: string }).id;
    expect(text(added)).toBe(
      `Now watching ${PLAN_CHECK} (LADBS (City of Los Angeles)): Quality Review Completed on 2/12/2026 [in_review], Bldg-Addition, 3030 S MIDVALE AVE LOS ANGELES CA 90034; watch ${id}`,
    );
    expect(lastHeaders().get('x-ratelimit-remaining')).not.toBeNull();

    const rest = await callApi(h.server.url, 'GET', '/api/v1/watchlist', writer);
    expect(rest.body.watchlist).toEqual([expect.objectContaining({ id, label: 'Midvale addition' })]);

    const again = await call(client, 'watch_permit', { permit_number: PLAN_CHECK, label: 'ignored' });
    expect(again.structuredContent).toMatchObject({ id, label: 'Midvale addition', created: false });
    expect(text(again)).toMatch(/^Already watching /);
    await close();
  });

  it('list_watched_permits pages the key’s watched permits with their status, filtered as GET /permits is', async () => {
    const { client, close } = await connectAs(h, writer);
    expect((await call(client, 'watch_permit', { permit_number: FINALED, jurisdiction: 'ladbs' })).isError).toBeFalsy();
    const all = await call(client, 'list_watched_permits');
    expect(all.isError).toBeFalsy();
    const body = all.structuredContent as { permits: { permit_number: string; status_phase: string }[]; next_cursor: string | null };
    expect(body.permits.map((p) => p.permit_number).sort()).toEqual([FINALED, PLAN_CHECK].sort());
    expect(body.next_cursor).toBeNull();
    expect(text(all)).toMatch(/^2 watched permits; /);
    expect(text(all)).toContain(`${FINALED} (ladbs): Permit Finaled on 8/8/2018 [closed]`);

    const closed = await call(client, 'list_watched_permits', { status_phase: 'closed' });
    expect((closed.structuredContent as typeof body).permits.map((p) => p.permit_number)).toEqual([FINALED]);
    const first = await call(client, 'list_watched_permits', { limit: 1 });
    const page = first.structuredContent as typeof body;
    expect(page.permits).toHaveLength(1);
    expect(text(first)).toMatch(/^1 watched permit \(more: pass next_cursor\)/);
    const second = (await call(client, 'list_watched_permits', { limit: 1, cursor: page.next_cursor })).structuredContent as typeof body;
    expect(second.permits[0]!.permit_number).not.toBe(page.permits[0]!.permit_number);
    // The same answer as REST's GET /permits.
    const rest = await callApi(h.server.url, 'GET', '/api/v1/permits', writer);
    expect(rest.body).toEqual(all.structuredContent);

    expect(errorBody(await call(client, 'list_watched_permits', { cursor: 'nope' }))).toMatchObject({ error: 'invalid_request' });
    await close();
  });

  it('answers an ambiguous or unknown number, a read-only key and no key as tool errors with the REST error keys', async () => {
    const { client, close } = await connectAs(h, writer);
    expect(errorBody(await call(client, 'watch_permit', { permit_number: AMBIGUOUS }))).toMatchObject({
      error: 'multiple_jurisdictions',
      candidates: [{ slug: 'aca:boise' }, { slug: 'aca:cosp' }],
    });
    expect(errorBody(await call(client, 'watch_permit', { permit_number: '99999-10000-00001' }))).toMatchObject({
      error: 'permit_not_found',
    });
    await close();

    const reader = await connectAs(h, await h.key('developer', { permissions: ['read'] }));
    expect(errorBody(await call(reader.client, 'watch_permit', { permit_number: PLAN_CHECK }))).toMatchObject({
      error: 'insufficient_permissions',
      required_permission: 'write',
    });
    expect((await call(reader.client, 'list_watched_permits')).structuredContent).toEqual({ permits: [], next_cursor: null });
    await reader.close();

    // No key: the lookups serve the demo dataset, but a watchlist belongs to a key (REST's 401).
    const anonymous = await connectAs(h);
    expect(errorBody(await call(anonymous.client, 'watch_permit', { permit_number: PLAN_CHECK }))).toMatchObject({
      error: 'invalid_api_key',
    });
    expect(errorBody(await call(anonymous.client, 'list_watched_permits'))).toMatchObject({
      error: 'invalid_api_key',
      message: expect.stringContaining('sandbox key'),
    });
    await anonymous.close();
  });

  it('a sandbox key watches on the demo plane', async () => {
    const sandbox = await h.key('developer', { sandbox: true, permissions: ['read', 'write'] });
    const { client, lastHeaders, close } = await connectAs(h, sandbox);
    const added = await call(client, 'watch_permit', { permit_number: FINALED });
    expect(added.structuredContent).toMatchObject({ permit_number: FINALED, created: true, current_status: { source: 'cached' } });
    expect(lastHeaders().get('x-sandbox-mode')).toBe('true');
    const listed = (await call(client, 'list_watched_permits')).structuredContent as { permits: { permit_number: string }[] };
    expect(listed.permits.map((p) => p.permit_number)).toEqual([FINALED]);
    await close();
  });
});
