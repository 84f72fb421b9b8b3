import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiError, renderError } from './errors.ts';

/** An app whose one route throws `err`, rendered by renderError with a captured log. */
function appThrowing(err: Error) {
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = new Hono();
  app.get('/boom', () => {
    throw err;
  });
  app.onError(renderError(pino({ level: 'error' }, sink)));
  return { app, lines };
}

const answer = async (res: Response) => ({ status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') });

describe('renderError', () => {
  it('writes an ApiError as its documented body, extras and headers', async () => {
    const { app, lines } = appThrowing(
      new ApiError(503, 'jurisdiction_unavailable', 'down', { retry_after_seconds: 60 }, { 'Retry-After': '60' }),
    );
    expect(await answer(await app.request('/boom'))).toEqual({
      status: 503,
      body: { error: 'jurisdiction_unavailable', message: 'down', retry_after_seconds: 60 },
      retryAfter: '60',
    });
    expect(lines).toEqual([]);
  });

  it('answers a framework 4xx as invalid_request, with a JSON hint for 415', async () => {
    const { app } = appThrowing(new HTTPException(415, { message: 'Unsupported Media Type' }));
    expect(await answer(await app.request('/boom'))).toMatchObject({
      status: 415,
      body: { error: 'invalid_request', message: 'request body must be JSON, sent with Content-Type: application/json' },
    });
  });

  it('answers anything unexpected with a plain 500 that leaks nothing, and logs it with context', async () => {
    const { app, lines } = appThrowing(new Error('SQLITE_CORRUPT: secret table detail'));
    const res = await answer(await app.request('/boom'));
    expect(res).toEqual({ status: 500, body: { error: 'internal_error', message: 'internal error' }, retryAfter: null });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'unhandled error',
      method: 'GET',
      path: '/boom',
      err: { message: 'SQLITE_CORRUPT: secret table detail' },
    });
  });
});
