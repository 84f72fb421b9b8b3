import type { Agent } from 'undici';
import type { Clock } from '../lib/clock.ts';
import { postDelivery, type PostOutcome } from './post.ts';
import { deliveryHeaders } from './sign.ts';
import type { Subscription } from './subscriptions.ts';

/**
 * Signs a body for a subscription (its current secret, and the previous one while the rotation
 * overlap lasts) and POSTs it. The dispatcher, `/test` and `/simulate` all send through here,
 * so a simulated delivery carries exactly the headers of a live one.
 */
export async function signAndPost(input: {
  agent: Agent;
  sub: Subscription;
  eventType: string;
  body: string;
  deliveryId: string;
  test: boolean;
  clock: Clock;
  /** The whole attempt's budget; DELIVERY_TIMEOUT_MS unless the caller's lease needs less. */
  timeoutMs?: number;
}): Promise<PostOutcome> {
  const at = input.clock.now();
  const previous = input.sub.previous_secret && (input.sub.previous_secret_expires_at ?? 0) > at ? input.sub.previous_secret : null;
  const headers = deliveryHeaders({
    body: input.body,
    deliveryId: input.deliveryId,
    eventType: input.eventType,
    secrets: { current: input.sub.secret, previous },
    now: new Date(at),
    test: input.test,
  });
  return postDelivery(input.agent, input.sub.url, input.body, headers, input.clock, input.timeoutMs);
}
