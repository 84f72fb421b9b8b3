import { Agent } from '../runtime/undici.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { HttpFailure, HttpRequest, HttpResult } from './messages.ts';
import type { Politeness } from './politeness.ts';
import { BREAKER_COOL_DOWN_MS, createBreaker, type Breaker, type BreakerSnapshot } from './breaker.ts';
import { createHostQueues } from './host-queue.ts';
import { createHostStats, type HostStats, type HostStatsSnapshot } from './host-stats.ts';
import { classifyAttempt, isHostFailure } from './classify.ts';
import { nextRetry } from './retry.ts';
import { sendOnce } from './send.ts';

/** A portal that has not sent headers in this long is treated as down. */
export const HEADERS_TIMEOUT_MS = 20_000;
/** Gap allowed between body chunks; PCIS pages arrive in one burst, slow trickles are stuck connections. */
export const BODY_TIMEOUT_MS = 20_000;
/** A TCP + TLS handshake slower than this means the host is unreachable, not busy. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** The largest captured page is ~464 KB (Keller eTRAKiT search page); 5 MB leaves room and stops runaways. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
/** Honest: names the software and where its operator can read what it does. */
export const USER_AGENT = 'Permitwatch/0.1 (+https://github.com/permitwatch/permitwatch; self-hosted permit status service)';

/** What adapters need: one polite fetch. */
export interface HttpClient {
  fetch(req: HttpRequest): Promise<HttpResult>;
  close(): Promise<void>;
}

/** What a health endpoint reads, per host (`new URL(url).host`, port included). */
export interface HttpHealth {
  /** Hosts fetched from since start-up. */
  hosts(): string[];
  /** Counters and median fetch time; zeros for a host never fetched from. */
  stats(host: string): HostStatsSnapshot;
  /** The host's circuit; closed for a host never fetched from. */
  breakerState(host: string): BreakerSnapshot;
}

export interface HttpClientOptions {
  clock?: Clock;
  /** Uniform in [0, 1): jitter for retry delays. */
  rng?: () => number;
  userAgent?: string;
  maxResponseBytes?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  retryDelaysMs?: readonly number[];
  maxRetryAfterMs?: number;
  breakerFailureThreshold?: number;
  breakerCoolDownMs?: number;
  /**
   * Replaces every request's politeness. For a client that only ever talks to our own
   * loopback fixture portal (the demo plane), where pacing protects nobody.
   */
  politeness?: Politeness;
}

const cancelled = (req: HttpRequest, message: string): HttpFailure => ({ ok: false, reason: 'cancelled', message, url: req.url });

/** Waits `ms` on the clock; resolves false at once if `signal` aborts first. */
async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) {
    await clock.sleep(ms);
    return true;
  }
  if (signal.aborted) return false;
  let onAbort!: () => void;
  const aborted = new Promise<false>((resolve) => (onAbort = () => resolve(false)));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([clock.sleep(ms).then(() => true as const), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

interface HostState {
  breaker: Breaker;
  stats: HostStats;
}

/**
 * Polite fetching for adapters. A fetch goes: circuit check → the host's queue (catalog rate and
 * concurrency, tenants in turn, bounded: `queue_full` when this caller's share is taken) → one
 * undici request (timeouts, size cap, honest User-Agent) → retry with back-off on 5xx, 429,
 * timeouts and network errors, honouring Retry-After. Each attempt is a call through the breaker
 * (retry outside, breaker inside), so a retrying lookup stops as soon as the circuit opens, and an
 * open circuit answers `circuit_open` without touching the network. The request's signal cancels
 * the fetch wherever it is (queued, on the wire, backing off): `cancelled`. 4xx answers are
 * returned as responses: a 404 is the portal working. Throws only on a URL that does not parse.
 *
 * cockatiel was weighed for the retry, breaker and bulkhead: its bulkhead is one FIFO queue (the
 * per-tenant turn is what issue 16 asks for), its breaker and back-off read the wall clock rather
 * than our Clock (the half-open and Retry-After tests run on a manual clock), and its retry would
 * need a custom back-off to honour Retry-After; the hand-written pieces stay smaller than the glue.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient & HttpHealth {
  const clock = options.clock ?? systemClock;
  const rng = options.rng ?? Math.random;
  const userAgent = options.userAgent ?? USER_AGENT;
  const coolDownMs = options.breakerCoolDownMs ?? BREAKER_COOL_DOWN_MS;
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS },
    headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
    bodyTimeout: options.bodyTimeoutMs ?? BODY_TIMEOUT_MS,
    maxResponseSize: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
  });
  const queues = createHostQueues({ clock });
  const hostStates = new Map<string, HostState>();

  const newHostState = (): HostState => ({
    breaker: createBreaker({ clock, failureThreshold: options.breakerFailureThreshold, coolDownMs }),
    stats: createHostStats(),
  });
  function stateFor(host: string): HostState {
    let state = hostStates.get(host);
    if (!state) hostStates.set(host, (state = newHostState()));
    return state;
  }

  /** One attempt, run inside the host's queue; feeds the breaker and the stats. */
  async function attempt(req: HttpRequest, host: HostState): Promise<HttpResult> {
    // The caller may have given up while the call waited for its rate slot.
    if (req.signal?.aborted) return cancelled(req, 'the caller gave up before the request was sent');
    const startedAt = clock.now();
    const sent = await sendOnce(agent, req, userAgent);
    const durationMs = clock.now() - startedAt;
    const result = classifyAttempt(sent, { url: req.url, nowMs: clock.now(), durationMs });
    if (!result.ok && result.reason === 'cancelled') {
      // Cut off by our caller: no verdict on the host, and no request the portal finished.
      host.breaker.abandon();
      return result;
    }
    if (isHostFailure(result)) host.breaker.recordFailure();
    else host.breaker.recordSuccess();
    host.stats.record({ ok: result.ok, at: clock.now(), durationMs });
    return result;
  }

  /** One attempt through the host's queue; a call the queue refused or dropped releases its breaker permit. */
  async function queued(hostName: string, req: HttpRequest, host: HostState): Promise<HttpResult> {
    const politeness = options.politeness ?? req.politeness;
    const out = await queues.run(hostName, politeness, () => attempt(req, host), { tenant: req.tenant, signal: req.signal });
    if (out.ok) return out.value;
    host.breaker.abandon();
    if (out.reason === 'cancelled') return cancelled(req, out.message);
    const retryAfterSeconds = Math.max(1, Math.ceil(out.retryAfterMs / 1000));
    return { ok: false, reason: 'queue_full', message: out.message, url: req.url, retryAfterSeconds };
  }

  /** When the caller may try again: the portal's Retry-After (else one cool-down), never before the circuit allows. */
  function withRetryAfter(failure: HttpFailure, host: HostState): HttpFailure {
    const portalMs = failure.retryAfterSeconds === undefined ? coolDownMs : failure.retryAfterSeconds * 1000;
    const ms = Math.max(portalMs, host.breaker.snapshot().retry_after_ms);
    return { ...failure, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
  }

  return {
    async fetch(req) {
      const hostName = new URL(req.url).host;
      const host = stateFor(hostName);
      let last: HttpFailure | undefined;
      for (let attemptNo = 1; ; attemptNo++) {
        const permit = host.breaker.tryAcquire();
        if (!permit.allowed) {
          // Another lookup's failure opened the circuit while this one backed off: report our own failure.
          if (last) return withRetryAfter(last, host);
          const retryAfterSeconds = Math.ceil(permit.retryAfterMs / 1000);
          const message = `circuit open for ${hostName}: the portal failed repeatedly`;
          return withRetryAfter({ ok: false, reason: 'circuit_open', message, url: req.url, retryAfterSeconds }, host);
        }
        const result = await queued(hostName, req, host);
        if (!isHostFailure(result)) return result;
        // This failure may have opened the circuit: answer now rather than back off only to be refused.
        if (host.breaker.snapshot().state === 'open') return withRetryAfter(result, host);
        const decision = nextRetry({
          attempt: attemptNo,
          retryAfterMs: result.retryAfterSeconds === undefined ? undefined : result.retryAfterSeconds * 1000,
          rng,
          delaysMs: options.retryDelaysMs,
          maxRetryAfterMs: options.maxRetryAfterMs,
        });
        if (!decision.retry) return withRetryAfter(result, host);
        last = result;
        if (!(await sleepUnlessAborted(clock, decision.delayMs, req.signal)))
          return cancelled(req, 'the caller gave up during the back-off');
      }
    },
    hosts: () => [...hostStates.keys()],
    stats: (host) => (hostStates.get(host) ?? newHostState()).stats.snapshot(),
    breakerState: (host) => (hostStates.get(host) ?? newHostState()).breaker.snapshot(),
    async close() {
      // Shutdown must not wait out a hanging portal's 20 s timeout: abort what is in flight.
      await agent.destroy();
    },
  };
}
