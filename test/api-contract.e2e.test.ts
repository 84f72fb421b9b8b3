import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../src/accounts/keys.ts';
import { openApiDocument } from '../src/api/app.ts';
import { MAX_REQUEST_BODY_BYTES } from '../src/api/middleware/request-limits.ts';
import { request, startHarness, UNDOCUMENTED_BY_DESIGN, type Harness } from './harness.ts';

const FINALED = '16041-10000-23545';
/** Read routes that still need a key: usage and webhooks belong to the key that asks, so an anonymous caller has none. */
const isKeyScoped = (path: string) =>
  path === '/api/v1/usage' ||
  path.startsWith('/api/v1/webhooks') ||
  // The watchlist and the portfolio reads over it belong to a key (issue 17).
  path.startsWith('/api/v1/watchlist') ||
  // The event feed is what the key's webhooks would get (issue 18).
  ['/api/v1/permits', '/api/v1/contacts', '/api/v1/conditions', '/api/v1/events'].includes(path);
/** Sample values for path parameters, so every route can be called for real. */
const PARAM_VALUES: Record<string, string> = { permit_number: FINALED, slug: 'ladbs', id: 'key_0000000000000000' };

interface ServedRoute {
  method: string;
  /** Hono's pattern, `/api/v1/permits/:permit_number/status`. */
  path: string;
  /** The OpenAPI form, `/api/v1/permits/{permit_number}/status`. */
  docPath: string;
  /** The permission its middleware checks; undefined when it has no permission middleware. */
  permission?: Permission;
}

/**
 * Every concrete route the app serves, with the permission its `permission()` middleware
 * declares. Walks the router itself, so a route added later is checked without editing this file.
 */
function servedRoutes(h: Harness): ServedRoute[] {
  const byRoute = new Map<string, ServedRoute>();
  for (const r of h.server.app.api.routes) {
    if (r.method === 'ALL') continue;
    const id = `${r.method} ${r.path}`;
    const route = byRoute.get(id) ?? { method: r.method, path: r.path, docPath: r.path.replace(/:(\w+)/g, '{$1}') };
    const tagged = (r.handler as { requiredPermission?: Permission }).requiredPermission;
    if (tagged) route.permission = tagged;
    byRoute.set(id, route);
  }
  return [...byRoute.values()].filter((r) => !UNDOCUMENTED_BY_DESIGN.has(`${r.method} ${r.docPath}`));
}

function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(PARAM_VALUES[name] ?? 'x'));
}

async function call(h: Harness, route: ServedRoute, headers: Record<string, string> = {}) {
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
  return request(`${h.server.url}${concretePath(route.path)}`, {
    method: route.method,
    headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? '{}' : undefined,
  });
}

describe('permission matrix, walked from the router', () => {
  let h: Harness;
  let closed: Harness;
  const keys: Partial<Record<Permission, string>> = {};
  let routes: ServedRoute[];
  let doc: { paths: Record<string, Record<string, any>> };
  beforeAll(async () => {
    h = await startHarness();
    closed = await startHarness({ demo: false });
    for (const p of ['read', 'write', 'admin'] as const) keys[p] = await h.key('enterprise', { permissions: [p] });
    routes = servedRoutes(h);
    doc = openApiDocument(h.server.app.api) as unknown as typeof doc;
  });
  afterAll(async () => {
    await h.close();
    await closed.close();
  });

  it('finds the routes and their permissions', () => {
    expect(routes.length).toBeGreaterThan(15);
    const permissions = new Set(routes.map((r) => r.permission));
    expect(permissions).toContain('read');
    expect(permissions).toContain('admin');
    expect(routes.find((r) => r.path === '/api/v1/keys' && r.method === 'POST')?.permission).toBe('admin');
  });

  it('checks every permission-guarded route: the keys that lack it get 403, the ones that hold it get in', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.permission)) {
      for (const held of ['read', 'write', 'admin'] as const) {
        // Plotwise: Admin is "Full API access"; read and write grant only themselves.
        const allowed = held === route.permission || held === 'admin';
        const res = await call(h, route, { 'x-api-key': keys[held]! });
        const denied = res.status === 403 && res.body?.error === 'insufficient_permissions';
        if (allowed && (res.status === 401 || res.status === 403))
          failures.push(`${route.method} ${route.path} with ${held}: ${res.status} ${JSON.stringify(res.body)}`);
        if (!allowed && !denied) failures.push(`${route.method} ${route.path} with ${held}: expected 403, got ${res.status}`);
      }
      const anonymous = await call(h, route);
      const keyOnly = route.permission !== 'read' || isKeyScoped(route.path);
      if (!keyOnly && anonymous.status === 401) failures.push(`${route.method} ${route.path} anonymous read: 401`);
      if (keyOnly && !(anonymous.status === 401 && anonymous.body?.error === 'invalid_api_key')) {
        failures.push(`${route.method} ${route.path} anonymous ${route.permission}: expected 401, got ${anonymous.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('leaves only public routes without a permission check, and they answer without a key even with demo mode off', async () => {
    const unguarded = routes.filter((r) => !r.permission);
    expect(unguarded.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v1/jurisdictions',
      'GET /api/v1/jurisdictions/requests',
      'GET /api/v1/watchlist/calendar.ics',
      'GET /healthz',
      'GET /metrics',
      'GET /readyz',
    ]);
    for (const route of unguarded) {
      // The calendar feed's credential is its ?token= (issue 17): without one it is a bad request, not a 401.
      const expected = route.path === '/api/v1/watchlist/calendar.ics' ? 400 : 200;
      expect((await call(closed, route)).status, route.path).toBe(expected);
    }
  });

  it('documents every route with the responses it can give', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const op = doc.paths[route.docPath]?.[route.method.toLowerCase()];
      if (!op) {
        failures.push(`${route.method} ${route.docPath} is not in /openapi.json`);
        continue;
      }
      const documented = Object.keys(op.responses);
      const need = (status: string, why: string) => {
        if (!documented.includes(status)) failures.push(`${route.method} ${route.docPath} does not document ${status} (${why})`);
      };
      if (route.permission) {
        need('401', 'needs a key');
        need('403', 'needs a permission');
        if (op.security !== undefined) failures.push(`${route.method} ${route.docPath} overrides security`);
      } else if (JSON.stringify(op.security) !== '[]') {
        failures.push(`${route.method} ${route.docPath} is public but its security is ${JSON.stringify(op.security)}`);
      }
      if (route.path.includes(':') || op.parameters?.some((p: { in: string }) => p.in === 'query')) need('400', 'has parameters');
      if (op.requestBody) {
        need('400', 'reads a body');
        need('413', 'reads a body');
        need('415', 'reads a JSON body');
      }
      // A route whose answers carry the quota headers documents them and its 429.
      const res = await call(h, route, route.permission ? { 'x-api-key': keys.admin! } : {});
      if (res.headers.get('x-ratelimit-limit')) {
        need('429', 'is metered');
        const ok = op.responses['200'] ?? op.responses['201'];
        for (const header of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
          if (!ok?.headers?.[header]) failures.push(`${route.method} ${route.docPath} sends ${header} but does not document it`);
        }
        if (!op.responses['429']?.headers?.['Retry-After']) failures.push(`${route.method} ${route.docPath}: 429 lacks Retry-After`);
      }
    }
    expect(failures).toEqual([]);
  });
});

/** Sends raw bytes to the server and returns what it answers, for requests fetch() refuses to make. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function rawJson(answer: string): { status: number; body: any } {
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head!.split(' ')[1]), body: JSON.parse(body!) };
}

describe('bad input always gets a documented JSON error', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness();
    key = await h.key('developer');
  });
  afterAll(() => h.close());

  const batch = (body: string, headers: Record<string, string>) =>
    fetch(`${h.server.url}/api/v1/permits/batch-status`, { method: 'POST', headers: { 'x-api-key': key, ...headers }, body }).then(
      async (r) => ({
        status: r.status,
        body: (await r.json()) as any,
      }),
    );

  it('413 invalid_request for a body over the limit, before it is parsed', async () => {
    const huge = JSON.stringify({ permit_numbers: ['x'.repeat(MAX_REQUEST_BODY_BYTES)] });
    expect(await batch(huge, { 'content-type': 'application/json' })).toEqual({
      status: 413,
      body: { error: 'invalid_request', message: `request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes` },
    });
  });

  it('415 invalid_request for a body that is not sent as JSON, 400 for JSON that is not an object', async () => {
    const form = await batch('{"permit_numbers":["16041-10000-23545"]}', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form).toMatchObject({ status: 415, body: { error: 'invalid_request' } });
    expect(form.body.message).toContain('Content-Type: application/json');
    for (const body of ['null', '[]', '"x"', '{"permit_numbers":[null]}', '{"permit_numbers":[{"permit_number":5}]}']) {
      expect(await batch(body, { 'content-type': 'application/json' }), body).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });

  it('401 invalid_api_key for a credential header that holds no key, instead of the demo dataset', async () => {
    const malformed: Record<string, string>[] = [{ authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, { 'x-api-key': '' }];
    for (const headers of malformed) {
      const res = await h.get(`/api/v1/permits/${FINALED}/status`, undefined, headers);
      expect(res, JSON.stringify(headers)).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
      expect(res.headers.get('x-demo-mode')).toBeNull();
    }
  });

  it('answers requests Node refuses to parse with a JSON body too', async () => {
    const control = await rawRequest(h.server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-API-Key: sk_\x01\r\n\r\n`);
    expect(rawJson(control)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const big = await rawRequest(h.server.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(rawJson(big)).toEqual({ status: 431, body: { error: 'invalid_request', message: 'request headers are too large' } });
    expect(rawJson(await rawRequest(h.server.url, 'NOT HTTP AT ALL\r\n\r\n'))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });

  it('odd permit numbers and query values are 400 or 404 with their key, never a 500', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/v1/permits/%00/status', 400, 'invalid_permit_number'],
      ['/api/v1/permits/%ZZ/status', 400, 'invalid_permit_number'],
      ['/api/v1/permits/%20/status', 400, 'invalid_permit_number'],
      ['/api/v1/permits/16041%E2%80%9310000%E2%80%9323545/status', 400, 'invalid_permit_number'],
      ["/api/v1/permits/1'%20OR%201=1/status?jurisdiction=socrata:chicago", 400, 'invalid_permit_number'],
      ['/api/v1/permits/a%2Fb/status', 404, 'jurisdiction_not_supported'],
      [`/api/v1/permits/${FINALED}/status?jurisdiction=`, 400, 'invalid_request'],
      [`/api/v1/permits/${FINALED}/status?jurisdiction=ladbs&jurisdiction=aca:boise`, 400, 'invalid_request'],
      [`/api/v1/permits/${FINALED}/status?force_refresh=yes`, 400, 'invalid_request'],
      [`/api/v1/permits/${FINALED}/status?jurisdiction=ladbs%00`, 404, 'jurisdiction_not_supported'],
      [`/api/v1/jurisdictions/${'s'.repeat(101)}/stats`, 400, 'invalid_request'],
      [`/api/v1/usage?key_id=${'k'.repeat(65)}`, 400, 'invalid_request'],
    ];
    for (const [path, status, error] of cases) expect(await h.get(path, key), path).toMatchObject({ status, body: { error } });
  });
});
