import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiKey } from '../../accounts/keys.ts';
import { webhooksMax } from '../../accounts/plans.ts';
import { CATEGORIES } from '../../permits/record.ts';
import { WEBHOOK_EVENTS } from '../../webhooks/events.ts';
import {
  countHeldSubscriptions,
  createSubscription,
  deactivateSubscription,
  findSubscription,
  listSubscriptions,
  ownedSubscription,
  rotateSecret,
  updateSubscription,
  type Subscription,
  type SubscriptionCursor,
} from '../../webhooks/subscriptions.ts';
import type { ResolveHost } from '../../webhooks/target-guard.ts';
import { checkTarget } from '../../webhooks/target-url.ts';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { grants, permission } from '../require-permission.ts';
import { createRouter } from '../router.ts';
import type { Clock } from '../../lib/clock.ts';
import { ONE_CALL } from '../metering.ts';
import { authErrorResponses, bodyErrorResponses, errorResponses, ErrorBody, jsonBody, meteredResponse } from '../schemas.ts';

const tags = ['Webhooks'];
/** Slugs one subscription may filter on; more is a mistake, not a use. */
export const JURISDICTION_FILTER_MAX = 100;
/** The 404 of every webhook route: the id is unknown, or another key's (no existence leak). */
export const notFound = { description: 'webhook_not_found or delivery_not_found', content: { 'application/json': { schema: ErrorBody } } };
export const SECRET_WARNING = 'Store the secret securely. It will not be shown again.';
/** `?limit=` of GET /webhooks: 1–100 like the deliveries log; the default is a whole page. */
export const WEBHOOKS_LIMIT_MAX = 100;
export const WEBHOOKS_LIMIT_DEFAULT = WEBHOOKS_LIMIT_MAX;
/** The widest `near` radius: past a metro area, a city or state filter says it better. */
export const NEAR_RADIUS_MAX_M = 100_000;
/** A cursor longer than this is not one of ours. */
const CURSOR_MAX_CHARS = 200;

export interface WebhookRouteDeps {
  clock: Clock;
  allowPrivate: boolean;
  resolve: ResolveHost;
  secretOverlapMs: number;
}

const WebhookEventEnum = z.enum(WEBHOOK_EVENTS);
/** A subscription's filters as its body gives them; the pull feed (routes/events.ts) takes the same in its query. */
export const Filters = {
  jurisdiction_filter: z.array(z.string().min(1).max(100)).max(JURISDICTION_FILTER_MAX).nullable(),
  city: z.string().trim().min(1).max(100).nullable(),
  state: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'expected a 2-letter state code')
    .transform((s) => s.toUpperCase())
    .nullable(),
  category: z.enum(CATEGORIES).nullable(),
  zip_code: z
    .string()
    .regex(/^\d{5}(-\d{4})?$/, 'expected a 5-digit ZIP code')
    .nullable(),
  near: z
    .object({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      radius_m: z.number().positive().max(NEAR_RADIUS_MAX_M),
    })
    .strict()
    .nullable()
    .openapi({ description: `Only permits within radius_m metres (at most ${NEAR_RADIUS_MAX_M}) of lat, lng; a permit without coordinates never matches` }),
};

export const WebhookView = z
  .object({
    webhook_id: z.string(),
    url: z.string(),
    events: z.array(WebhookEventEnum),
    jurisdiction_filter: z.array(z.string()).nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    category: z.string().nullable(),
    zip_code: z.string().nullable(),
    near: Filters.near,
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    last_triggered_at: z.string().nullable(),
    consecutive_failures: z.number().int(),
    disabled_reason: z.string().nullable().openapi({ description: 'Why it is inactive: deleted, turned off, failures, 410 Gone' }),
  })
  .openapi('Webhook');

export function webhookView(s: Subscription): z.infer<typeof WebhookView> {
  return {
    webhook_id: s.id,
    url: s.url,
    events: [...s.events],
    jurisdiction_filter: s.jurisdiction_filter ? [...s.jurisdiction_filter] : null,
    city: s.city,
    state: s.state,
    category: s.category,
    zip_code: s.zip_code,
    near: s.near ?? null,
    is_active: s.is_active,
    created_at: s.created_at,
    updated_at: s.updated_at,
    last_triggered_at: s.last_triggered_at,
    consecutive_failures: s.consecutive_failures,
    disabled_reason: s.disabled_reason,
  };
}

export const WebhookIdParams = z.object({
  webhook_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'webhook_id', in: 'path' } }),
});

/** Webhooks belong to a key (reference: "scoped to the API key that registered it"). */
export function callerKey(c: Context<AppEnv>): ApiKey {
  const caller = c.get('caller');
  if (caller.kind !== 'key') throw new ApiError(401, 'invalid_api_key', 'webhooks belong to an API key: send X-API-Key');
  return caller.key;
}

/** The caller's own subscription, or 404 for none and for another key's (no existence leak). */
export async function ownedOr404(c: Context<AppEnv>, id: string): Promise<Subscription> {
  const sub = await ownedSubscription(c.get('plane').db, callerKey(c).id, id);
  if (!sub) throw new ApiError(404, 'webhook_not_found', `no webhook ${id} under this API key`);
  return sub;
}

/**
 * The key's plan cap on subscriptions (accounts/plans.ts), answered like the API's other limits:
 * 429 with an `_limit_exceeded` key (reference: Error Codes), here with the cap in `limit`.
 */
async function checkWebhookCap(c: Context<AppEnv>, db: Parameters<typeof countHeldSubscriptions>[0], except?: string): Promise<void> {
  const caller = c.get('caller');
  if (caller.kind !== 'key') return;
  const max = webhooksMax(caller.plan);
  if ((await countHeldSubscriptions(db, caller.key.id, except)) < max) return;
  throw new ApiError(
    429,
    'webhook_limit_exceeded',
    `The ${caller.plan.name} plan allows ${max} webhooks per API key. Delete one (DELETE /api/v1/webhooks/{webhook_id}) or upgrade.`,
    { limit: max },
  );
}

/** `next_cursor` is opaque to clients: the last row's (created_at, id), base64url JSON. */
function encodeCursor(cursor: SubscriptionCursor | null): string | null {
  return cursor ? Buffer.from(JSON.stringify([cursor.created_at, cursor.id])).toString('base64url') : null;
}

function decodeCursor(text: string | undefined): SubscriptionCursor | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { created_at: value[0], id: value[1] };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new ApiError(400, 'invalid_request', 'cursor: not a next_cursor this API returned');
}

async function checkUrl(url: string, deps: WebhookRouteDeps): Promise<string> {
  const checked = await checkTarget(url, deps);
  if (!checked.ok) throw new ApiError(400, 'invalid_request', checked.message);
  return checked.url;
}

function checkJurisdictions(c: Context<AppEnv>, slugs: readonly string[] | null | undefined): void {
  for (const slug of slugs ?? []) {
    if (!c.get('plane').catalog.get(slug)) {
      throw new ApiError(400, 'invalid_request', `jurisdiction_filter: unknown jurisdiction "${slug}" (see GET /api/v1/jurisdictions)`);
    }
  }
}

const createBody = z
  .object({
    url: z.string().min(1).openapi({ example: 'https://your-app.example.com/webhooks/permitwatch' }),
    events: z
      .array(WebhookEventEnum)
      .min(1)
      .default(['permit.created'])
      .openapi({ description: 'Default `["permit.created"]` (PermitStack registers filters only)' }),
    jurisdiction_filter: Filters.jurisdiction_filter.optional(),
    city: Filters.city.optional(),
    state: Filters.state.optional(),
    category: Filters.category.optional(),
    zip_code: Filters.zip_code.optional(),
    near: Filters.near.optional(),
  })
  .strict();

const createWebhook = createRoute({
  method: 'post',
  path: '/webhooks',
  tags,
  summary: 'Register a webhook; the signing secret is in this response only',
  middleware: permission('write'),
  request: { body: jsonBody(createBody) },
  responses: {
    201: meteredResponse(WebhookView.extend({ secret: z.string(), warning: z.string() }), 'Registered'),
    ...bodyErrorResponses,
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

const listWebhooks = createRoute({
  method: 'get',
  path: '/webhooks',
  tags,
  summary: "Your key's webhooks, oldest first, a page at a time (secrets are never listed)",
  middleware: permission('read'),
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(WEBHOOKS_LIMIT_MAX).default(WEBHOOKS_LIMIT_DEFAULT),
      cursor: z.string().min(1).max(CURSOR_MAX_CHARS).optional().openapi({ description: 'The `next_cursor` of the previous page' }),
    }),
  },
  responses: {
    200: meteredResponse(
      z.object({
        webhooks: z.array(WebhookView),
        next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }),
      }),
      'Webhooks',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    429: errorResponses[429],
  },
});

const getWebhook = createRoute({
  method: 'get',
  path: '/webhooks/{webhook_id}',
  tags,
  summary: 'One webhook',
  middleware: permission('read'),
  request: { params: WebhookIdParams },
  responses: {
    200: meteredResponse(WebhookView, 'The webhook'),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const patchWebhook = createRoute({
  method: 'patch',
  path: '/webhooks/{webhook_id}',
  tags,
  summary: 'Change url, events, filters or is_active; is_active true re-enables and resets the failure counter',
  middleware: permission('write'),
  request: {
    params: WebhookIdParams,
    body: jsonBody(
      z
        .object({ url: z.string().min(1), events: z.array(WebhookEventEnum).min(1), is_active: z.boolean(), ...Filters })
        .partial()
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'send at least one field to change'),
    ),
  },
  responses: {
    200: meteredResponse(WebhookView, 'Updated'),
    ...bodyErrorResponses,
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const deleteWebhook = createRoute({
  method: 'delete',
  path: '/webhooks/{webhook_id}',
  tags,
  summary: 'Soft-deactivate a webhook (its delivery log is kept)',
  middleware: permission('write'),
  request: { params: WebhookIdParams },
  responses: {
    200: meteredResponse(z.object({ status: z.literal('deactivated'), webhook_id: z.string() }), 'Deactivated'),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const rotate = createRoute({
  method: 'post',
  path: '/webhooks/{webhook_id}/rotate-secret',
  tags,
  summary: 'New signing secret, shown once; the old one keeps signing alongside it for the overlap window',
  middleware: permission('write'),
  request: { params: WebhookIdParams },
  responses: {
    200: meteredResponse(
      z.object({ webhook_id: z.string(), secret: z.string(), warning: z.string(), previous_secret_valid_until: z.string().nullable() }),
      'Rotated',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const secret = createRoute({
  method: 'get',
  path: '/webhooks/{webhook_id}/secret',
  tags,
  summary: "A webhook's signing secret (PermitStack's recovery path): the owner key with write, or an admin key for any webhook of its plane",
  middleware: permission('write'),
  request: { params: WebhookIdParams },
  responses: {
    200: meteredResponse(
      z.object({
        webhook_id: z.string(),
        secret: z.string(),
        previous_secret: z.string().nullable(),
        previous_secret_valid_until: z.string().nullable(),
      }),
      'The secret',
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const validUntil = (s: Subscription, now: number) =>
  s.previous_secret && s.previous_secret_expires_at && s.previous_secret_expires_at > now
    ? new Date(s.previous_secret_expires_at).toISOString()
    : null;

/** Subscription management: SignedOff's bodies, PermitStack's filters, Plotwise's events. */
export function webhookRoutes(deps: WebhookRouteDeps) {
  const app = createRouter();
  app.openapi(createWebhook, async (c) => {
    const body = c.req.valid('json');
    const key = callerKey(c);
    checkJurisdictions(c, body.jurisdiction_filter);
    const db = c.get('plane').db;
    // A refusal at the cap costs nothing, nor does a refused URL; the count is taken again in the
    // creating transaction, so concurrent creates cannot pass it together. The URL is resolved
    // and judged before the transaction, so no DNS wait holds the write lock.
    await checkWebhookCap(c, db);
    const url = await checkUrl(body.url, deps);
    await c.get('meter')(c, ONE_CALL);
    const sub = await db.transaction(async (tx) => {
      await checkWebhookCap(c, tx);
      return createSubscription(
        tx,
        {
          key_id: key.id,
          url,
          events: body.events,
          jurisdiction_filter: body.jurisdiction_filter ?? null,
          city: body.city ?? null,
          state: body.state ?? null,
          category: body.category ?? null,
          zip_code: body.zip_code ?? null,
          near: body.near ?? null,
        },
        new Date(deps.clock.now()),
      );
    });
    return c.json({ ...webhookView(sub), secret: sub.secret, warning: SECRET_WARNING }, 201);
  });
  app.openapi(listWebhooks, async (c) => {
    const q = c.req.valid('query');
    const after = decodeCursor(q.cursor);
    const key = callerKey(c);
    await c.get('meter')(c, ONE_CALL);
    const page = await listSubscriptions(c.get('plane').db, key.id, { limit: q.limit, after });
    return c.json({ webhooks: page.subscriptions.map(webhookView), next_cursor: encodeCursor(page.next) }, 200);
  });
  app.openapi(getWebhook, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    await c.get('meter')(c, ONE_CALL);
    return c.json(webhookView(sub), 200);
  });
  app.openapi(patchWebhook, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    const body = c.req.valid('json');
    checkJurisdictions(c, body.jurisdiction_filter);
    // Re-enabling counts against the cap again (a deleted webhook does not hold a place).
    if (body.is_active === true && !sub.is_active) await checkWebhookCap(c, c.get('plane').db, sub.id);
    const patch = { ...body, ...(body.url !== undefined ? { url: await checkUrl(body.url, deps) } : {}) };
    await c.get('meter')(c, ONE_CALL);
    return c.json(webhookView(await updateSubscription(c.get('plane').db, sub, patch, new Date(deps.clock.now()))), 200);
  });
  app.openapi(deleteWebhook, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    await c.get('meter')(c, ONE_CALL);
    await deactivateSubscription(c.get('plane').db, sub, new Date(deps.clock.now()));
    return c.json({ status: 'deactivated' as const, webhook_id: sub.id }, 200);
  });
  app.openapi(rotate, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    await c.get('meter')(c, ONE_CALL);
    const now = deps.clock.now();
    const rotated = await rotateSecret(c.get('plane').db, sub, new Date(now), deps.secretOverlapMs);
    return c.json(
      { webhook_id: rotated.id, secret: rotated.secret, warning: SECRET_WARNING, previous_secret_valid_until: validUntil(rotated, now) },
      200,
    );
  });
  app.openapi(secret, async (c) => {
    const id = c.req.valid('param').webhook_id;
    const key = callerKey(c);
    const db = c.get('plane').db;
    // An admin key reads any webhook of its plane (each plane has its own database, so never across).
    const sub = grants(key.permissions, 'admin') ? await findSubscription(db, id) : await ownedSubscription(db, key.id, id);
    if (!sub) throw new ApiError(404, 'webhook_not_found', `no webhook ${id} under this API key`);
    await c.get('meter')(c, ONE_CALL);
    const now = deps.clock.now();
    const until = validUntil(sub, now);
    return c.json(
      { webhook_id: sub.id, secret: sub.secret, previous_secret: until ? sub.previous_secret : null, previous_secret_valid_until: until },
      200,
    );
  });
  return app;
}
