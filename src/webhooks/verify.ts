import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface Verification {
  /** `X-SignedOff-Signature` matches, checked the way the reference's receiver code does. */
  signedoff: boolean;
  /** The Standard Webhooks headers verify with the `standardwebhooks` library (incl. replay window). */
  standard: boolean;
  /** What the library said when it refused. */
  standard_error?: string;
}

/** What a receiver does with a delivery: both schemes, with the secret exactly as we returned it. */
export function verifyDelivery(rawBody: string, headers: Record<string, string>, secret: string): Verification {
  const header = headers['x-signedoff-signature'] ?? '';
  // The reference's Node verification code, verbatim in substance (signedoff-api.txt).
  const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
  const signedoff = expected.length === header.length && timingSafeEqual(Buffer.from(expected), Buffer.from(header));
  try {
    new Webhook(secret).verify(rawBody, headers);
    return { signedoff, standard: true };
  } catch (err) {
    return { signedoff, standard: false, standard_error: (err as Error).message };
  }
}
