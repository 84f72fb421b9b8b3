import { Agent } from 'undici';
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

interface HostState {
  breaker: Breaker;
  stats: HostStats;
}

/**
 * Polite fetching for adapters. A fetch goes: circuit check → the host's queue (catalog rate and
 * concurrency) → one undici request (timeouts, size cap, honest User-Agent) → retry with back-off
 * on 5xx, 429, timeouts and network errors, honouring Retry-After. Each attempt is a call through
 * the breaker (retry outside, breaker inside), so a retrying lookup stops as soon as the circuit
 * opens, and an open circuit answers `circuit_open` without touching the network. 4xx answers are
 * returned as responses: a 404 is the portal working. Throws only on a URL that does not parse.
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
    const startedAt = clock.now();
    const sent = await sendOnce(agent, req, userAgent);
    const durationMs = clock.now() - startedAt;
    const result = classifyAttempt(sent, { url: req.url, nowMs: clock.now(), durationMs });
    if (isHostFailure(result)) host.breaker.recordFailure();
    else host.breaker.recordSuccess();
    host.stats.record({ ok: result.ok, at: clock.now(), durationMs });
    return result;
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
        const result = await queues.run(hostName, options.politeness ?? req.politeness, () => attempt(req, host));
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
        await clock.sleep(decision.delayMs);
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
