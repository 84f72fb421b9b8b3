import { describe, expect, it } from 'vitest';
import { classifyAttempt, isHostFailure } from './classify.ts';
import type { HttpResponse } from './messages.ts';
import type { SendOutcome } from './send.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const at = { url: 'https://portal.example/permit/1', nowMs: NOW, durationMs: 42 };
const response = (status: number, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body: '', url: at.url });
const answer = (status: number, headers?: Record<string, string>): SendOutcome => ({ ok: true, response: response(status, headers) });

describe('classifyAttempt', () => {
  it('returns 2xx and 4xx answers as the response, timed', () => {
    expect(classifyAttempt(answer(200), at)).toEqual({ ok: true, response: { ...response(200), durationMs: 42 } });
    expect(classifyAttempt(answer(404), at)).toMatchObject({ ok: true, response: { status: 404 } });
  });

  it('makes a 5xx a server_error carrying the portal’s Retry-After', () => {
    expect(classifyAttempt(answer(503, { 'retry-after': 'Mon, 02 Mar 2026 10:00:09 GMT' }), at)).toEqual({
      ok: false,
      reason: 'server_error',
      status: 503,
      url: at.url,
      message: 'portal answered HTTP 503',
      retryAfterSeconds: 9,
    });
    expect(classifyAttempt(answer(500), at)).not.toHaveProperty('retryAfterSeconds');
  });

  it('makes a 429 rate_limited', () => {
    expect(classifyAttempt(answer(429, { 'retry-after': '30' }), at)).toMatchObject({
      reason: 'rate_limited',
      retryAfterSeconds: 30,
    });
  });

  it('passes transport failures through with the URL', () => {
    expect(classifyAttempt({ ok: false, reason: 'timeout', message: 'Headers Timeout Error' }, at)).toEqual({
      ok: false,
      reason: 'timeout',
      message: 'Headers Timeout Error',
      url: at.url,
    });
  });
});

describe('isHostFailure', () => {
  it('blames the host for everything but an answer and an oversized one', () => {
    const failure = (reason: 'timeout' | 'too_large') => ({ ok: false as const, reason, message: '', url: at.url });
    expect(isHostFailure(failure('timeout'))).toBe(true);
    expect(isHostFailure(failure('too_large'))).toBe(false);
    expect(isHostFailure(classifyAttempt(answer(502), at))).toBe(true);
    expect(isHostFailure(classifyAttempt(answer(404), at))).toBe(false);
  });
});
