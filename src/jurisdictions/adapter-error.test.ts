import { describe, expect, it } from 'vitest';
import { AdapterError } from './adapter-error.ts';

describe('AdapterError', () => {
  it('carries its reason, url and retry hint', () => {
    const err = new AdapterError({ reason: 'unavailable', url: 'http://x/y', message: 'HTTP 503', retryAfterSeconds: 5 });
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.reason, err.url, err.retryAfterSeconds, err.message]).toEqual([
      'AdapterError',
      'unavailable',
      'http://x/y',
      5,
      'HTTP 503',
    ]);
  });
});
