import { Counter, Histogram, Registry } from 'prom-client';
import { createHttpRequestMetrics } from './http-requests.ts';
import { innerMap } from '../lib/inner-map.ts';

/** Request latency buckets (seconds): cached lookups are sub-millisecond, live ones take portal time. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  registry: Registry;
  request(route: string, method: string, status: number, seconds: number): void;
  lookup(plane: string, outcome: string): void;
  portalFetch(jurisdiction: string, outcome: string, seconds: number): void;
  /** One webhook delivery attempt: delivered, retry, dead, gone (410) or blocked/transport. */
  webhookAttempt(plane: string, outcome: string, seconds: number): void;
}

/**
 * Prometheus metrics for `/metrics` (prom-client): one registry per app, no global default
 * registry, so two apps in one process (tests) never share counters.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const request = createHttpRequestMetrics(
    registry,
    { requests: 'permitwatch_http_requests_total', duration: 'permitwatch_http_request_duration_seconds' },
    LATENCY_BUCKETS,
  );
  // Every lookup counts here: plain numbers, folded into the prom-client counter when /metrics
  // is scraped (its collect hook), since prom-client hashes the label object on every inc.
  const pendingLookups = new Map<string, Map<string, number>>();
  new Counter({
    name: 'permitwatch_lookups_total',
    help: 'Permit lookups by data plane and outcome (cached, live, or error key)',
    labelNames: ['plane', 'outcome'],
    registers: [registry],
    collect() {
      for (const [plane, outcomes] of pendingLookups) {
        for (const [outcome, n] of outcomes) {
          if (n === 0) continue;
          this.inc({ plane, outcome }, n);
          outcomes.set(outcome, 0);
        }
      }
    },
  });
  const fetches = new Counter({
    name: 'permitwatch_portal_fetches_total',
    help: 'Portal fetches by jurisdiction and outcome',
    labelNames: ['jurisdiction', 'outcome'],
    registers: [registry],
  });
  const fetchTime = new Histogram({
    name: 'permitwatch_portal_fetch_duration_seconds',
    help: 'Portal fetch time by jurisdiction',
    labelNames: ['jurisdiction'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'permitwatch_webhook_attempts_total',
    help: 'Webhook delivery attempts by data plane and outcome',
    labelNames: ['plane', 'outcome'],
    registers: [registry],
  });
  const attemptTime = new Histogram({
    name: 'permitwatch_webhook_attempt_duration_seconds',
    help: 'Webhook delivery attempt time (POST to response)',
    labelNames: ['plane'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    webhookAttempt(plane, outcome, seconds) {
      attempts.inc({ plane, outcome });
      attemptTime.observe({ plane }, seconds);
    },
    request,
    lookup(plane, outcome) {
      const outcomes = innerMap(pendingLookups, plane);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    },
    portalFetch(jurisdiction, outcome, seconds) {
      fetches.inc({ jurisdiction, outcome });
      fetchTime.observe({ jurisdiction }, seconds);
    },
  };
}
