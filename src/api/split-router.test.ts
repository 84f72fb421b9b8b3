import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { createAppRouter, JURISDICTION_PATHS } from './split-router.ts';

/** The shapes of the app's table: wildcard middleware, the literal/parameter pair, parameters elsewhere. */
const ROUTES: [string, string][] = [
  ['ALL', '*'],
  ['ALL', '/api/v1/*'],
  ['GET', '/healthz'],
  ['GET', '/api/v1/permits/:permit_number/status'],
  ['GET', '/api/v1/permits/:permit_number'],
  ['POST', '/api/v1/permits/batch-status'],
  ['GET', '/api/v1/jurisdictions'],
  ['GET', '/api/v1/jurisdictions/requests'],
  ['POST', '/api/v1/jurisdictions/request'],
  ['GET', '/api/v1/jurisdictions/:slug/stats'],
  ['GET', '/api/v1/jurisdictions/:slug/health'],
  ['DELETE', '/api/v1/keys/:id'],
  ['POST', '/api/v1/webhooks/:webhook_id/deliveries/:delivery_id/retry'],
];

const REQUESTS: [string, string][] = [
  ['GET', '/api/v1/permits/16041-10000-23545/status'],
  ['GET', '/api/v1/permits/16041-10000-23545'],
  ['POST', '/api/v1/permits/batch-status'],
  ['GET', '/api/v1/jurisdictions'],
  ['GET', '/api/v1/jurisdictions/'],
  ['GET', '/api/v1/jurisdictions/requests'],
  ['POST', '/api/v1/jurisdictions/request'],
  ['GET', '/api/v1/jurisdictions/ladbs/stats'],
  ['GET', '/api/v1/jurisdictions/aca:hcfl/health'],
  ['GET', '/api/v1/jurisdictions/requests/stats'],
  ['DELETE', '/api/v1/keys/key_1'],
  ['POST', '/api/v1/webhooks/wh_1/deliveries/dl_2/retry'],
  ['GET', '/healthz'],
  ['GET', '/nowhere'],
  ['PUT', '/api/v1/permits/1/status'],
];

/** A match as handler names in order, each with its parameters, whichever form the router returns. */
function normalise(result: Result<string>): [string, Record<string, string>][] {
  const [matches, stash] = result as [[string, Record<string, string | number>][], string[] | undefined];
  return matches.map(([handler, params]) => [
    handler,
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, stash ? stash[v as number]! : (v as string)])),
  ]);
}

function filled(router: Router<string>): Router<string> {
  ROUTES.forEach(([method, path], i) => router.add(method, path, `${i} ${method} ${path}`));
  return router;
}

describe('createAppRouter', () => {
  it('matches every request exactly as one TrieRouter holding every route', () => {
    const split = filled(createAppRouter<string>());
    const trie = filled(new TrieRouter<string>());
    for (const [method, path] of REQUESTS)
      expect(normalise(split.match(method, path)), `${method} ${path}`).toEqual(normalise(trie.match(method, path)));
  });

  it('is needed: one RegExpRouter refuses the table, and the paths outside the jurisdiction prefix are accepted by it', () => {
    expect(() => filled(new RegExpRouter<string>()).match('GET', '/healthz')).toThrow();
    const outside = new RegExpRouter<string>();
    ROUTES.filter(([, path]) => path.includes('*') || !path.startsWith(JURISDICTION_PATHS)).forEach(([m, p], i) =>
      outside.add(m, p, String(i)),
    );
    expect(() => outside.match('GET', '/healthz')).not.toThrow();
  });
});
