import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Sent as User-Agent, so receivers can tell our deliveries from other traffic. */
export const WEBHOOK_USER_AGENT = 'Permitwatch-Webhooks/0.1';

export interface SigningInput {
  body: string;
  deliveryId: string;
  eventType: string;
  /** The current secret, and the previous one while the rotation overlap lasts. */
  secrets: { current: string; previous: string | null };
  now: Date;
  /** `/simulate` marks its deliveries so receivers can tell them from live events. */
  test?: boolean;
}

/** PermitStack names its events `permit.*`; our reachability test event is `test` (reference/signedoff-api.txt). */
const PERMITSTACK_TEST_EVENT = 'permit.test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `X-PermitStack-Delivery-Id`: "the permit ID for real events", "it's the permit's UUID"
 * (reference/permitstack-webhooks.txt, Headers and Idempotency), so a `permit.created` carries its
 * body's `data.id` (events/permit-id.ts); every other delivery, whose permit may be delivered for
 * several changes, keeps its own delivery id so a receiver deduplicating on it drops nothing.
 */
export function permitstackDeliveryId(eventType: string, body: string, deliveryId: string): string {
  if (eventType !== 'permit.created') return deliveryId;
  try {
    const id = (JSON.parse(body) as { data?: { id?: unknown } }).data?.id;
    return typeof id === 'string' && UUID.test(id) ? id : deliveryId;
  } catch {
    return deliveryId;
  }
}

/** Hex HMAC-SHA256 of the raw body keyed by the whole `whsec_` string: the reference's scheme. */
export function hexSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Every header of a delivery. Two signature schemes over the same bytes with the same secret:
 * - `X-SignedOff-Signature` (and PermitStack's `X-PermitStack-Signature`): hex HMAC, exactly
 *   what the reference's verification code recomputes; during a rotation overlap the previous
 *   secret's one is in `X-SignedOff-Signature-Previous`, since the reference compares one value.
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), made by the
 *   `standardwebhooks` library itself, with replay protection; both secrets' `v1,` signatures
 *   sit space-separated in one header during the overlap, as that spec allows.
 */
export function deliveryHeaders(input: SigningInput): Record<string, string> {
  const { body, deliveryId, eventType, secrets, now } = input;
  const all = [secrets.current, ...(secrets.previous ? [secrets.previous] : [])];
  const hex = hexSignature(body, secrets.current);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'x-signedoff-event': eventType,
    'x-signedoff-signature': hex,
    'x-permitstack-event': eventType === 'test' ? PERMITSTACK_TEST_EVENT : eventType,
    'x-permitstack-signature': hex,
    'x-permitstack-delivery-id': permitstackDeliveryId(eventType, body, deliveryId),
    'x-permitwatch-delivery-id': deliveryId,
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': all.map((secret) => new Webhook(secret).sign(deliveryId, now, body)).join(' '),
  };
  if (secrets.previous) headers['x-signedoff-signature-previous'] = hexSignature(body, secrets.previous);
  if (input.test) headers['x-signedoff-test'] = 'true';
  return headers;
}
