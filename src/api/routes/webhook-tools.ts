import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { Agent } from 'undici';
import { DELIVERIES_LIMIT_DEFAULT, DELIVERIES_LIMIT_MAX, getDelivery, listDeliveries, requeueDelivery } from '../../webhooks/deliveries.ts';
import { WEBHOOK_EVENTS } from '../../webhooks/events.ts';
import { addressPayload } from '../../webhooks/payloads.ts';
import { sampleDraft } from '../../webhooks/samples.ts';
import { payloadNames } from '../../webhooks/payloads.ts';
import { signAndPost } from '../../webhooks/sign-and-post.ts';
import { permission } from '../require-permission.ts';
import { ApiError } from '../errors.ts';
import { createRouter } from '../router.ts';
import { ONE_CALL } from '../metering.ts';
import { authErrorResponses, bodyErrorResponses, errorResponses, meteredResponse } from '../schemas.ts';
import { notFound, ownedOr404, WebhookIdParams } from './webhooks.ts';
import type { Clock } from '../../lib/clock.ts';

const tags = ['Webhooks'];

export interface WebhookToolDeps {
  clock: Clock;
  agent: Agent;
  /** Pokes the dispatcher so a manual retry goes out at once rather than at the next poll. */
  wake: () => void;
}

const Attempt = z.object({
  attempt: z.number().int(),
  started_at: z.string(),
  duration_ms: z.number().int(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  response_preview: z.string().nullable(),
});

const Delivery = z
  .object({
    id: z.string().openapi({ description: 'Stable across retries; equals the webhook-id header' }),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    stream: z.string(),
    stream_version: z.number().int(),
    payload: z.unknown().openapi({ description: 'The exact signed body that is POSTed' }),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    last_attempt_at: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    attempt_log: z.array(Attempt),
  })
  .openapi('WebhookDelivery');

const deliveries = createRoute({
  method: 'get',
  path: '/webhooks/{webhook_id}/deliveries',
  tags,
  summary: 'Delivery history, newest first: status, attempts, exact payload, last error, next attempt',
  middleware: permission('read'),
  request: {
    params: WebhookIdParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(DELIVERIES_LIMIT_MAX).default(DELIVERIES_LIMIT_DEFAULT),
      status: z.enum(['pending', 'delivered', 'dead']).optional(),
    }),
  },
  responses: {
    200: meteredResponse(z.object({ webhook_id: z.string(), deliveries: z.array(Delivery) }), 'Deliveries'),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const retry = createRoute({
  method: 'post',
  path: '/webhooks/{webhook_id}/deliveries/{delivery_id}/retry',
  tags,
  summary: 'Send a delivery again now: same id, same body',
  middleware: permission('write'),
  request: {
    params: WebhookIdParams.extend({
      delivery_id: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: 'delivery_id', in: 'path' } }),
    }),
  },
  responses: {
    202: meteredResponse(z.object({ status: z.literal('queued'), delivery: Delivery, note: z.string().optional() }), 'Queued'),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const test = createRoute({
  method: 'post',
  path: '/webhooks/{webhook_id}/test',
  tags,
  summary: 'Reachability ping: a signed `event: "test"` delivery',
  middleware: permission('write'),
  request: { params: WebhookIdParams },
  responses: {
    200: meteredResponse(
      z.object({
        success: z.boolean(),
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
        delivery_id: z.string(),
        body_preview: z.string().optional().openapi({ description: "The start of the receiver's answer, when one came" }),
      }),
      "What the receiver answered; on failure `error` is `HTTP <code>` (with `body_preview`, the start of the receiver's body), or (status_code null) target_blocked, connection_failed, timeout or tls_error",
    ),
    400: errorResponses[400],
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

const simulate = createRoute({
  method: 'post',
  path: '/webhooks/{webhook_id}/simulate',
  tags,
  summary: 'POST a canonical payload of one event with live headers plus X-SignedOff-Test: true',
  middleware: permission('write'),
  request: {
    params: WebhookIdParams,
    body: {
      required: false,
      content: { 'application/json': { schema: z.object({ event: z.enum(WEBHOOK_EVENTS).default('status_change') }).strict() } },
    },
  },
  responses: {
    200: meteredResponse(
      z.object({
        ok: z.literal(true),
        delivery: z.object({
          delivery_id: z.string(),
          event: z.string(),
          status_code: z.number().int().openapi({ description: '0 on a transport failure' }),
          body_preview: z.string().optional(),
          error: z.string().optional().openapi({ description: '`HTTP <code>` for a non-2xx answer, or a transport failure word' }),
        }),
      }),
      'What the receiver answered',
    ),
    ...bodyErrorResponses,
    ...authErrorResponses,
    404: notFound,
    429: errorResponses[429],
  },
});

/** The receiver's tools: delivery log, manual retry, test ping, simulated events. */
export function webhookToolRoutes(deps: WebhookToolDeps) {
  const app = createRouter();
  app.openapi(deliveries, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    await c.get('meter')(c, ONE_CALL);
    const q = c.req.valid('query');
    const list = await listDeliveries(c.get('plane').db, sub.id, { limit: q.limit, status: q.status });
    return c.json({ webhook_id: sub.id, deliveries: list }, 200);
  });
  app.openapi(retry, async (c) => {
    const { webhook_id, delivery_id } = c.req.valid('param');
    const sub = await ownedOr404(c, webhook_id);
    await c.get('meter')(c, ONE_CALL);
    const db = c.get('plane').db;
    if (!(await getDelivery(db, sub.id, delivery_id)))
      throw new ApiError(404, 'delivery_not_found', `no delivery ${delivery_id} for webhook ${sub.id}`);
    await requeueDelivery(db, delivery_id, deps.clock.now());
    deps.wake();
    const delivery = (await getDelivery(db, sub.id, delivery_id))!;
    const note = sub.is_active ? undefined : 'the webhook is inactive: the delivery waits until it is re-enabled (PATCH is_active: true)';
    return c.json({ status: 'queued' as const, delivery, ...(note ? { note } : {}) }, 202);
  });
  app.openapi(test, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    await c.get('meter')(c, ONE_CALL);
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      event: 'test',
      webhook_id: sub.id,
      delivery_id: deliveryId,
      timestamp: new Date(deps.clock.now()).toISOString(),
      message: 'Permitwatch reachability test: verify the signature, then answer 2xx',
    });
    const out = await signAndPost({ agent: deps.agent, sub, eventType: 'test', body, deliveryId, test: true, clock: deps.clock });
    // Only `HTTP <code>` or a DeliveryError word: never raw socket errors (a port-scan oracle).
    // What the receiver itself said goes beside it, as an excerpt, not as the error.
    const preview = out.status_code === null ? {} : { body_preview: out.response_preview ?? '' };
    return c.json({ success: out.ok, status_code: out.status_code, error: out.ok ? null : out.error, delivery_id: deliveryId, ...preview }, 200);
  });
  app.openapi(simulate, async (c) => {
    const sub = await ownedOr404(c, c.req.valid('param').webhook_id);
    await c.get('meter')(c, ONE_CALL);
    // The body is optional (no body simulates status_change); the validator skips an absent one.
    const event = (c.req.valid('json') as { event?: (typeof WEBHOOK_EVENTS)[number] } | undefined)?.event ?? 'status_change';
    const plane = c.get('plane');
    const draft = sampleDraft(event, payloadNames(plane.catalog), new Date(deps.clock.now()));
    const deliveryId = randomUUID();
    const body = addressPayload(draft, sub.id, deliveryId);
    const out = await signAndPost({ agent: deps.agent, sub, eventType: event, body, deliveryId, test: true, clock: deps.clock });
    const delivery =
      out.status_code === null
        ? { delivery_id: deliveryId, event, status_code: 0, error: out.error ?? 'connection_failed' }
        : {
            delivery_id: deliveryId,
            event,
            status_code: out.status_code,
            body_preview: out.response_preview ?? '',
            ...(out.ok ? {} : { error: out.error ?? `HTTP ${out.status_code}` }),
          };
    return c.json({ ok: true as const, delivery }, 200);
  });
  return app;
}
