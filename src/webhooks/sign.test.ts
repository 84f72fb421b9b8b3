import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSecret } from './secret.ts';
import { permitId } from '../events/permit-id.ts';
import { deliveryHeaders, hexSignature } from './sign.ts';

/** The reference's receiver code (reference/signedoff-api.txt, "Verifying the HMAC signature"), verbatim. */
function verifySignature(rawBody: Buffer, secret: string, headerSig: string) {
  const expected = crypto
    .createHmac('sha256', secret)
    .update(rawBody) // Buffer — do NOT JSON.parse first
    .digest('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(headerSig));
}

const body = JSON.stringify({ event: 'status_change', permit_number: '26014-10000-00017', data: { new_status: 'Issued on 3/10/2026' } });
const now = new Date('2026-12-04T12:00:00Z');

describe('delivery signatures', () => {
  it('makes secrets of the reference form whsec_<64 hex>', () => {
    expect(newSecret()).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(newSecret()).not.toBe(newSecret());
  });

  it('passes the reference verification code with the secret exactly as returned', () => {
    const secret = newSecret();
    const headers = deliveryHeaders({
      body,
      deliveryId: 'd1',
      eventType: 'status_change',
      secrets: { current: secret, previous: null },
      now,
    });
    expect(verifySignature(Buffer.from(body), secret, headers['x-signedoff-signature']!)).toBe(true);
    expect(verifySignature(Buffer.from(body + ' '), secret, headers['x-signedoff-signature']!)).toBe(false);
    expect(headers['x-permitstack-signature']).toBe(headers['x-signedoff-signature']);
  });

  it('matches a hex HMAC-SHA256 test vector (RFC 4231 case 2)', () => {
    expect(hexSignature('what do ya want for nothing?', 'Jefe')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('verifies with the standardwebhooks library, and refuses a tampered body or an old timestamp', () => {
    const secret = newSecret();
    const headers = deliveryHeaders({
      body,
      deliveryId: 'msg_1',
      eventType: 'status_change',
      secrets: { current: secret, previous: null },
      now: new Date(),
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    const stale = deliveryHeaders({
      body,
      deliveryId: 'msg_1',
      eventType: 'status_change',
      secrets: { current: secret, previous: null },
      now: new Date(Date.now() - 3_600_000),
    });
    expect(() => new Webhook(secret).verify(body, stale)).toThrow(/timestamp/i);
    expect(headers['webhook-id']).toBe('msg_1');
  });

  it('signs with both secrets during a rotation overlap, so either verifies', () => {
    const [oldSecret, newer] = [newSecret(), newSecret()];
    const headers = deliveryHeaders({
      body,
      deliveryId: 'd2',
      eventType: 'status_change',
      secrets: { current: newer, previous: oldSecret },
      now: new Date(),
    });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(newer).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(verifySignature(Buffer.from(body), newer, headers['x-signedoff-signature']!)).toBe(true);
    expect(verifySignature(Buffer.from(body), oldSecret, headers['x-signedoff-signature-previous']!)).toBe(true);
  });

  it('marks simulated deliveries and names the event and delivery in headers', () => {
    const headers = deliveryHeaders({
      body,
      deliveryId: 'd3',
      eventType: 'permit_approved',
      secrets: { current: newSecret(), previous: null },
      now,
      test: true,
    });
    expect(headers['x-signedoff-test']).toBe('true');
    expect(headers['x-signedoff-event']).toBe('permit_approved');
    expect(headers['x-permitwatch-delivery-id']).toBe('d3');
    expect(headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(headers['user-agent']).toMatch(/^Permitwatch-Webhooks\//);
  });

  // reference/permitstack-webhooks.txt, "Headers sent with each delivery": X-PermitStack-Event
  // ("e.g. permit.created, permit.test"), X-PermitStack-Signature, X-PermitStack-Delivery-Id ("the
  // permit ID for real events"; Idempotency: "which equals the permit ID").
  it("names PermitStack's headers as its reference does: a permit.created's delivery id is the permit's UUID", () => {
    const id = permitId('permit/socrata:chicago/100858763');
    const created = JSON.stringify({ event: 'permit.created', delivered_at: now.toISOString(), data: { id, permit_number: '100858763' } });
    const headers = deliveryHeaders({
      body: created,
      deliveryId: 'dlv_1',
      eventType: 'permit.created',
      secrets: { current: newSecret(), previous: null },
      now,
    });
    expect(headers['x-permitstack-event']).toBe('permit.created');
    expect(headers['x-permitstack-delivery-id']).toBe(id);
    // Ours and Standard Webhooks' stay unique per delivery.
    expect(headers['x-permitwatch-delivery-id']).toBe('dlv_1');
    expect(headers['webhook-id']).toBe('dlv_1');
  });

  it('keeps the delivery id for every other event, and for a permit.created body without a UUID', () => {
    const secrets = { current: newSecret(), previous: null };
    expect(deliveryHeaders({ body, deliveryId: 'dlv_2', eventType: 'status_change', secrets, now })['x-permitstack-delivery-id']).toBe(
      'dlv_2',
    );
    const noId = JSON.stringify({ event: 'permit.created', data: { id: 'permit/x/1' } });
    expect(
      deliveryHeaders({ body: noId, deliveryId: 'dlv_3', eventType: 'permit.created', secrets, now })['x-permitstack-delivery-id'],
    ).toBe('dlv_3');
  });

  it('names our reachability test event permit.test in X-PermitStack-Event, as PermitStack names its test event', () => {
    const headers = deliveryHeaders({
      body,
      deliveryId: 'dlv_4',
      eventType: 'test',
      secrets: { current: newSecret(), previous: null },
      now,
      test: true,
    });
    expect(headers['x-permitstack-event']).toBe('permit.test');
    expect(headers['x-signedoff-event']).toBe('test');
  });
});
