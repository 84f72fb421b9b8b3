import { createRoute, z } from '@hono/zod-openapi';
import { findKey, listKeys, managedScope } from '../../accounts/keys.ts';
import { readUsage } from '../../accounts/usage.ts';
import type { Db } from '../../db/db.ts';
import { ApiError } from '../errors.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses } from '../schemas.ts';
import type { Clock } from '../../lib/clock.ts';

const Counts = z.object({ today: z.number().int(), this_week: z.number().int(), this_month: z.number().int() });

const usageRoute = createRoute({
  method: 'get',
  path: '/usage',
  middleware: permission('read'),
  tags: ['Keys'],
  summary:
    'Requests per day/week/month, errors, top endpoints, per key (your key; admins: every key they manage or ?key_id=; a sandbox admin key manages sandbox keys only)',
  request: { query: z.object({ key_id: z.string().max(64).optional() }) },
  responses: {
    200: {
      description: 'Usage (UTC periods; recorded with up to a second of delay)',
      content: {
        'application/json': {
          schema: z
            .object({
              period: z.object({ day: z.string(), week_start: z.string(), month: z.string() }),
              requests: Counts,
              errors: Counts,
              top_endpoints: z.array(z.object({ endpoint: z.string(), requests: z.number().int(), errors: z.number().int() })),
              per_key: z.array(
                z.object({ key_id: z.string(), requests_this_month: z.number().int(), errors_this_month: z.number().int() }),
              ),
            })
            .openapi('Usage'),
        },
      },
    },
    400: errorResponses[400],
    ...authErrorResponses,
  },
});

export function usageRoutes(deps: { accountsDb: Db; clock: Clock; flush: () => Promise<void> }) {
  const app = createRouter();
  app.openapi(usageRoute, async (c) => {
    const caller = c.get('caller');
    if (caller.kind !== 'key') throw new ApiError(401, 'invalid_api_key', 'usage is per API key: send your key');
    const { key_id } = c.req.valid('query');
    const isAdmin = caller.key.permissions.includes('admin');
    if (key_id && key_id !== caller.key.id && !isAdmin) {
      throw new ApiError(403, 'insufficient_permissions', "reading another key's usage needs the admin permission");
    }
    const scope = managedScope(caller.key);
    // A sandbox admin reads sandbox keys only; unknown and live ids get the same answer.
    if (key_id && key_id !== caller.key.id && scope === 'sandbox_keys' && !(await findKey(deps.accountsDb, key_id, scope))) {
      throw new ApiError(403, 'insufficient_permissions', "a sandbox key may read sandbox keys' usage only");
    }
    await deps.flush();
    const everyKey = scope === 'every_key' ? 'all' : (await listKeys(deps.accountsDb, scope)).map((k) => k.id);
    const subjects = key_id ? [key_id] : isAdmin ? everyKey : [caller.key.id];
    return c.json(await readUsage(deps.accountsDb, subjects, deps.clock.now()), 200);
  });
  return app;
}
