import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createKey, KEY_NAME_MAX, KEY_SHOWN_ONCE_WARNING, listKeys, managedScope, PERMISSIONS, type ApiKey, type KeyScope } from '../../accounts/keys.ts';
import type { Plan } from '../../accounts/plans.ts';
import type { Db } from '../../db/db.ts';
import { revokeKeyAndWebhooks } from '../../webhooks/key-revocation.ts';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import { authErrorResponses, errorResponses, jsonBody } from '../schemas.ts';
import type { Clock } from '../../lib/clock.ts';

const tags = ['Keys'];
const admin = permission('admin');

const KeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    key_prefix: z.string(),
    plan: z.string(),
    permissions: z.array(z.enum(PERMISSIONS)),
    sandbox: z.boolean(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const createRouteDef = createRoute({
  method: 'post',
  path: '/keys',
  tags,
  summary: 'Create an API key (admin). The key is in this response only.',
  middleware: admin,
  request: {
    body: jsonBody(
      z.object({
        name: z.string().trim().min(1).max(KEY_NAME_MAX),
        plan: z.string().min(1).openapi({ example: 'developer' }),
        permissions: z.array(z.enum(PERMISSIONS)).min(1).default(['read']),
        sandbox: z
          .boolean()
          .optional()
          .openapi({ description: 'Default false; a sandbox admin key creates sandbox keys only (true by default, false is 403)' }),
      }),
    ),
  },
  responses: {
    201: {
      description: 'The new key, shown once',
      content: { 'application/json': { schema: KeyView.extend({ key: z.string(), warning: z.string() }) } },
    },
    ...authErrorResponses,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/keys',
  tags,
  summary: 'List API keys (admin; a sandbox admin key sees sandbox keys only); secrets are never returned',
  middleware: admin,
  responses: {
    200: { description: 'Keys', content: { 'application/json': { schema: z.object({ keys: z.array(KeyView) }) } } },
    ...authErrorResponses,
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/keys/{id}',
  tags,
  summary: "Revoke an API key (admin): its next request is 401 and its webhooks stop; a sandbox admin key revokes sandbox keys only",
  middleware: admin,
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: z.object({ status: z.literal('revoked'), key: KeyView }) } } },
    400: errorResponses[400],
    ...authErrorResponses,
    404: { description: 'key_not_found, or key_already_revoked', content: errorResponses[404].content },
  },
});

const view = (k: ApiKey) => ({ ...k });

/** The keys the calling admin key manages (accounts/keys.ts KeyScope: its plane). */
export function callerScope(c: Context<AppEnv>): KeyScope {
  const caller = c.get('caller');
  // Anonymous callers never pass the admin check; were one to, it would get the narrowest scope.
  return caller.kind === 'key' ? managedScope(caller.key) : 'sandbox_keys';
}

/** Key management for admins (Plotwise's model: named keys with permissions, revocable, last used). */
export function keyRoutes(deps: { accountsDb: Db; demoDb?: Db; plans: readonly Plan[]; clock: Clock }) {
  const app = createRouter();
  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid('json');
    if (!deps.plans.some((p) => p.name === body.plan)) {
      throw new ApiError(400, 'invalid_request', `plan: unknown plan "${body.plan}"; one of ${deps.plans.map((p) => p.name).join(', ')}`);
    }
    const sandboxOnly = callerScope(c) === 'sandbox_keys';
    if (sandboxOnly && body.sandbox === false) {
      throw new ApiError(403, 'insufficient_permissions', 'a sandbox key can create sandbox keys only (sandbox: true)');
    }
    const input = { ...body, sandbox: body.sandbox ?? sandboxOnly };
    const { key, record } = await createKey(deps.accountsDb, input, new Date(deps.clock.now()));
    return c.json({ ...view(record), key, warning: KEY_SHOWN_ONCE_WARNING }, 201);
  });
  app.openapi(listRoute, async (c) => c.json({ keys: (await listKeys(deps.accountsDb, callerScope(c))).map(view) }, 200));
  app.openapi(revokeRoute, async (c) => {
    const result = await revokeKeyAndWebhooks({
      accountsDb: deps.accountsDb,
      demoDb: deps.demoDb,
      id: c.req.valid('param').id,
      now: new Date(deps.clock.now()),
      scope: callerScope(c),
    });
    if (!result.ok) {
      throw new ApiError(
        404,
        result.reason === 'not_found' ? 'key_not_found' : 'key_already_revoked',
        `no active key ${c.req.valid('param').id}`,
      );
    }
    return c.json({ status: 'revoked' as const, key: view(result.key) }, 200);
  });
  return app;
}
