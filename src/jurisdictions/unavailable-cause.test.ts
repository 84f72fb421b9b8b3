import { describe, expect, it } from 'vitest';
import type { HttpFailure } from '../http/messages.ts';
import { causeOfHttpFailure } from './unavailable-cause.ts';

const failure = (f: Partial<HttpFailure>): HttpFailure => ({ ok: false, reason: 'network', message: 'x', url: 'https://portal.example/', ...f });

describe('causeOfHttpFailure', () => {
  it.each([
    [failure({ reason: 'network', code: 'ENOTFOUND' }), 'dns_failure'],
    [failure({ reason: 'network', code: 'EAI_AGAIN' }), 'dns_failure'],
    [failure({ reason: 'network', code: 'ECONNREFUSED' }), 'connection_refused'],
    [failure({ reason: 'network', code: 'ECONNRESET' }), 'connection_failed'],
    [failure({ reason: 'network' }), 'connection_failed'],
    [failure({ reason: 'timeout' }), 'timeout'],
    [failure({ reason: 'server_error', status: 502 }), 'http_5xx'],
    [failure({ reason: 'rate_limited', status: 429 }), 'http_429'],
    [failure({ reason: 'circuit_open' }), 'breaker_open'],
    [failure({ reason: 'queue_full' }), 'queue_full'],
    [failure({ reason: 'too_large' }), 'bad_response'],
  ])('%o is %s', (given, cause) => {
    expect(causeOfHttpFailure(given)).toBe(cause);
  });
});
