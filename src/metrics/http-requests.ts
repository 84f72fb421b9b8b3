import type { Counter, Histogram, Registry } from 'prom-client';
import { innerMap } from '../lib/inner-map.ts';

/** One route and method's tallies: latency buckets (not cumulative), sum, and counts by status. */
interface RouteTally {
  labels: { route: string; method: string };
  buckets: number[];
  count: number;
  sum: number;
  statuses: Map<number, { labels: { route: string; method: string; status: string }; count: number }>;
}

/** What prom-client's registry reads from a metric when it renders /metrics. */
interface RenderedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: { labels: Record<string, string | number>; sharedLabels?: Record<string, string>; value: number; metricName?: string }[];
}

/**
 * HTTP request counts and latency, tallied in plain objects on the request path and rendered
 * by prom-client only when /metrics is scraped. prom-client's own Counter and Histogram hash
 * the label object on every call, even through a label child: about 2 µs of a cached lookup.
 * The rendered text is the same as theirs (names, labels, cumulative `le` buckets, _sum, _count).
 */
export function createHttpRequestMetrics(
  registry: Registry,
  names: { requests: string; duration: string },
  upperBounds: readonly number[],
): (route: string, method: string, status: number, seconds: number) => void {
  const routes = new Map<string, Map<string, RouteTally>>();
  // Rendered in first-seen order, as prom-client renders its label sets.
  const tallies: RouteTally[] = [];
  const counts: { labels: { route: string; method: string; status: string }; count: number }[] = [];

  function render(kind: 'requests' | 'duration'): RenderedMetric {
    const values: RenderedMetric['values'] = [];
    if (kind === 'requests') for (const s of counts) values.push({ labels: s.labels, value: s.count });
    else {
      for (const t of tallies) {
        let cumulative = 0;
        upperBounds.forEach((le, i) => {
          cumulative += t.buckets[i]!;
          values.push({ labels: { le }, sharedLabels: t.labels, value: cumulative, metricName: `${names.duration}_bucket` });
        });
        values.push({ labels: { le: '+Inf' }, sharedLabels: t.labels, value: t.count, metricName: `${names.duration}_bucket` });
        values.push({ labels: {}, sharedLabels: t.labels, value: t.sum, metricName: `${names.duration}_sum` });
        values.push({ labels: {}, sharedLabels: t.labels, value: t.count, metricName: `${names.duration}_count` });
      }
    }
    return kind === 'requests'
      ? { name: names.requests, help: 'HTTP requests by route and status', type: 'counter', aggregator: 'sum', values }
      : { name: names.duration, help: 'HTTP request latency by route', type: 'histogram', aggregator: 'sum', values };
  }

  for (const kind of ['requests', 'duration'] as const) {
    const metric = {
      name: names[kind],
      type: kind === 'requests' ? 'counter' : 'histogram',
      help: render(kind).help,
      getForPromString: async () => render(kind),
      // JSON form (getMetricsAsJSON): shared labels folded into each value's labels, as prom-client does.
      get: async () => {
        const r = render(kind);
        return { ...r, values: r.values.map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } })) };
      },
      reset: () => {
        routes.clear();
        tallies.length = 0;
        counts.length = 0;
      },
    };
    // The registry only reads name, type and the two getters; it does not need the class.
    registry.registerMetric(metric as unknown as Counter | Histogram);
  }

  return (route, method, status, seconds) => {
    const methods = innerMap(routes, route);
    let t = methods.get(method);
    if (!t) {
      methods.set(method, (t = { labels: { route, method }, buckets: upperBounds.map(() => 0), count: 0, sum: 0, statuses: new Map() }));
      tallies.push(t);
    }
    const i = upperBounds.findIndex((le) => seconds <= le);
    if (i >= 0) t.buckets[i]!++;
    t.count++;
    t.sum += seconds;
    const s = t.statuses.get(status);
    if (s) s.count++;
    else {
      const added = { labels: { route, method, status: String(status) }, count: 1 };
      t.statuses.set(status, added);
      counts.push(added);
    }
  };
}
