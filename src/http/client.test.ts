import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../lib/manual-clock.ts';
import { BREAKER_COOL_DOWN_MS, BREAKER_FAILURE_THRESHOLD } from './breaker.ts';
import { USER_AGENT, createHttpClient, type HttpClientOptions } from './client.ts';
import type { HttpResult } from './messages.ts';

const START = Date.parse('2026-03-02T10:00:00Z');
/** Fast enough that the rate gate never delays these tests unless a test says so. */
const POLITENESS = { requests_per_second: 1000, concurrency: 4 };
const noJitter = () => 0.5;

interface TestServer {
  url: string;
  hits: number;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A portal stand-in on 127.0.0.1 with an OS-chosen port; `handle` gets the 1-based hit number. */
async function startServer(handle: (hit: number, req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => handle(++state.hits, req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: TestServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: 0,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy(); // sockets left hanging by the timeout test
        server.close(() => resolve());
      }),
  };
  cleanups.push(state.close);
  return state;
}

function client(clock: ManualClock, options: HttpClientOptions = {}) {
  const http = createHttpClient({ clock, rng: noJitter, ...options });
  cleanups.push(() => http.close());
  return http;
}

const fetchThrough = (clock: ManualClock, http: ReturnType<typeof client>, url: string): Promise<HttpResult> =>
  clock.runUntilSettled(http.fetch({ url, politeness: POLITENESS }));

const hostOf = (url: string) => new URL(url).host;

describe('http client against a local portal', () => {
  it('retries a portal that fails with 503 twice, on the schedule, then returns its page', async () => {
    const portal = await startServer((hit, _req, res) => {
      res.writeHead(hit <= 2 ? 503 : 200, { 'content-type': 'text/html' }).end(hit <= 2 ? 'busy' : '<h1>PERMIT</h1>');
    });
    const clock = createManualClock(START);
    const http = client(clock);

    const result = await fetchThrough(clock, http, `${portal.url}/permit/1`);

    expect(result).toMatchObject({ ok: true, response: { status: 200, body: '<h1>PERMIT</h1>' } });
    expect(portal.hits).toBe(3);
    expect(clock.now() - START).toBe(500 + 2000);
    expect(http.stats(hostOf(portal.url))).toEqual({
      requests: 3,
      errors: 2,
      last_success_at: '2026-03-02T10:00:02.500Z',
      median_fetch_ms: 0, // measured on the manual clock, which stands still during I/O
    });
    expect(http.breakerState(hostOf(portal.url)).state).toBe('closed');
  });

  it('sends the honest User-Agent', async () => {
    let userAgent: string | undefined;
    const portal = await startServer((_hit, req, res) => {
      userAgent = req.headers['user-agent'];
      res.end('ok');
    });
    const clock = createManualClock(START);
    await fetchThrough(clock, client(clock), portal.url);
    expect(userAgent).toBe(USER_AGENT);
  });

  it('waits out a Retry-After longer than the scheduled delay', async () => {
    const portal = await startServer((hit, _req, res) => {
      if (hit === 1) res.writeHead(503, { 'retry-after': '3' }).end();
      else res.end('ok');
    });
    const clock = createManualClock(START);
    const result = await fetchThrough(clock, client(clock), portal.url);
    expect(result.ok).toBe(true);
    expect(clock.now() - START).toBe(3000);
  });

  it('gives up at once on a Retry-After past the cap and passes it on', async () => {
    const portal = await startServer((_hit, _req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
    const clock = createManualClock(START);
    const result = await fetchThrough(clock, client(clock), portal.url);
    expect(result).toMatchObject({ ok: false, reason: 'rate_limited', status: 429, retryAfterSeconds: 120 });
    expect(portal.hits).toBe(1);
  });

  it('returns a 404 as the portal’s answer, without retrying', async () => {
    const portal = await startServer((_hit, _req, res) => res.writeHead(404).end('no such permit'));
    const clock = createManualClock(START);
    const result = await fetchThrough(clock, client(clock), portal.url);
    expect(result).toMatchObject({ ok: true, response: { status: 404, body: 'no such permit' } });
    expect(portal.hits).toBe(1);
  });

  it('opens the circuit on a portal that keeps failing, then closes it once the portal recovers', async () => {
    let down = true;
    const portal = await startServer((_hit, _req, res) => res.writeHead(down ? 503 : 200).end(down ? 'down' : 'back'));
    const clock = createManualClock(START);
    const http = client(clock);
    const host = hostOf(portal.url);

    // Lookup 1: three attempts, all 503. Lookup 2: two more reach the threshold and open the circuit.
    expect(await fetchThrough(clock, http, portal.url)).toMatchObject({ ok: false, reason: 'server_error', status: 503 });
    const second = await fetchThrough(clock, http, portal.url);
    expect(portal.hits).toBe(BREAKER_FAILURE_THRESHOLD);
    expect(second).toMatchObject({ ok: false, reason: 'server_error', retryAfterSeconds: BREAKER_COOL_DOWN_MS / 1000 });
    expect(http.breakerState(host)).toMatchObject({ state: 'open', consecutive_failures: BREAKER_FAILURE_THRESHOLD });

    // While open: answered at once, the portal never sees it.
    await clock.advance(10_000);
    expect(await fetchThrough(clock, http, portal.url)).toMatchObject({
      ok: false,
      reason: 'circuit_open',
      retryAfterSeconds: (BREAKER_COOL_DOWN_MS - 10_000) / 1000,
    });
    expect(portal.hits).toBe(BREAKER_FAILURE_THRESHOLD);

    // The portal recovers; after the cool-down one probe goes through and closes the circuit.
    down = false;
    await clock.advance(BREAKER_COOL_DOWN_MS - 10_000);
    expect(http.breakerState(host).state).toBe('half_open');
    expect(await fetchThrough(clock, http, portal.url)).toMatchObject({ ok: true, response: { body: 'back' } });
    expect(http.breakerState(host)).toEqual({ state: 'closed', consecutive_failures: 0, opened_at: null, retry_after_ms: 0 });
    expect(http.stats(host)).toMatchObject({ requests: BREAKER_FAILURE_THRESHOLD + 1, errors: BREAKER_FAILURE_THRESHOLD });
  });

  it('times out a portal that never sends headers, retrying once', async () => {
    const portal = await startServer(() => {}); // accepts, reads the request, never answers
    const clock = createManualClock(START);
    const http = client(clock, { headersTimeoutMs: 100, retryDelaysMs: [500] });
    const result = await fetchThrough(clock, http, portal.url);
    expect(result).toMatchObject({ ok: false, reason: 'timeout', retryAfterSeconds: BREAKER_COOL_DOWN_MS / 1000 });
    expect(portal.hits).toBe(2);
  });

  it('reports a refused connection as a network failure', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const clock = createManualClock(START);
    const result = await fetchThrough(clock, client(clock, { retryDelaysMs: [] }), gone.url);
    expect(result).toMatchObject({ ok: false, reason: 'network' });
  });

  it('stops reading a body over the size cap, without retrying or blaming the host', async () => {
    const portal = await startServer((_hit, _req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }); // chunked: no content-length to refuse early on
      res.write('x'.repeat(600));
      res.end('y'.repeat(600));
    });
    const clock = createManualClock(START);
    const http = client(clock, { maxResponseBytes: 1024 });
    const result = await fetchThrough(clock, http, portal.url);
    expect(result).toMatchObject({ ok: false, reason: 'too_large' });
    expect(result).not.toHaveProperty('retryAfterSeconds');
    expect(portal.hits).toBe(1);
    expect(http.breakerState(hostOf(portal.url)).consecutive_failures).toBe(0);
  });

  it('lets the portal see lookups at its catalog rate', async () => {
    const seenAt: number[] = [];
    const clock = createManualClock(START);
    const portal = await startServer((_hit, _req, res) => {
      seenAt.push(clock.now() - START);
      res.end('ok');
    });
    const http = client(clock);
    // One in flight, so each request has reached the server before the next waits on the clock:
    // the server's reading of the manual clock is then the time the client sent it.
    const politeness = { requests_per_second: 2, concurrency: 1 };
    const lookups = [1, 2, 3, 4].map((n) => http.fetch({ url: `${portal.url}/permit/${n}`, politeness }));
    await clock.runUntilSettled(Promise.all(lookups));
    expect(seenAt).toEqual([0, 500, 1000, 1500]);
  });
});
