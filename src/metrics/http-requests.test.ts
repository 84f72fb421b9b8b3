import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createHttpRequestMetrics } from './http-requests.ts';

const NAMES = { requests: 'permitwatch_http_requests_total', duration: 'permitwatch_http_request_duration_seconds' };
const BOUNDS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: [string, string, number, number][] = [
  ['/api/v1/permits/:permit_number/status', 'GET', 200, 0.0004],
  ['/api/v1/permits/:permit_number/status', 'GET', 200, 0.002],
  ['/api/v1/permits/:permit_number/status', 'GET', 404, 0.05],
  ['/api/v1/keys', 'POST', 201, 0.3],
  ['/api/v1/keys', 'POST', 201, 7],
  ['unmatched', 'GET', 404, 0.001],
  ['/api/v1/permits/:permit_number/status', 'GET', 429, 0.0001],
];

/** The same observations through prom-client's own Counter and Histogram. */
async function promClientText(): Promise<{ text: string; json: unknown }> {
  const registry = new Registry();
  const requests = new Counter({
    name: NAMES.requests,
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: NAMES.duration,
    help: 'HTTP request latency by route',
    labelNames: ['route', 'method'],
    buckets: BOUNDS,
    registers: [registry],
  });
  for (const [route, method, status, seconds] of OBSERVATIONS) {
    requests.inc({ route, method, status: String(status) });
    latency.observe({ route, method }, seconds);
  }
  return { text: await registry.metrics(), json: await registry.getMetricsAsJSON() };
}

describe('createHttpRequestMetrics', () => {
  it('renders /metrics exactly as prom-client renders the same observations', async () => {
    const registry = new Registry();
    const record = createHttpRequestMetrics(registry, NAMES, BOUNDS);
    for (const o of OBSERVATIONS) record(...o);
    const expected = await promClientText();
    expect(await registry.metrics()).toBe(expected.text);
    // JSON form too, less prom-client's exemplar slots (always null here: we record none).
    const withoutExemplars = (metrics: unknown) => JSON.parse(JSON.stringify(metrics, (k, v) => (k === 'exemplar' ? undefined : v)));
    expect(withoutExemplars(await registry.getMetricsAsJSON())).toEqual(withoutExemplars(expected.json));
  });

  it('renders nothing but the headers before the first request, and counts a value above every bound only in +Inf', async () => {
    const registry = new Registry();
    const record = createHttpRequestMetrics(registry, NAMES, BOUNDS);
    expect(await registry.metrics()).toBe(
      `# HELP ${NAMES.requests} HTTP requests by route and status\n# TYPE ${NAMES.requests} counter\n\n# HELP ${NAMES.duration} HTTP request latency by route\n# TYPE ${NAMES.duration} histogram\n`,
    );
    record('/healthz', 'GET', 200, 99);
    const text = await registry.metrics();
    expect(text).toContain(`${NAMES.duration}_bucket{le="1",route="/healthz",method="GET"} 0`);
    expect(text).toContain(`${NAMES.duration}_bucket{le="+Inf",route="/healthz",method="GET"} 1`);
    expect(text).toContain(`${NAMES.duration}_sum{route="/healthz",method="GET"} 99`);
  });
});
