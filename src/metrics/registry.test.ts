import { describe, expect, it } from 'vitest';
import { createMetrics } from './registry.ts';

describe('createMetrics', () => {
  it('counts lookups between scrapes exactly once, by plane and outcome', async () => {
    const metrics = createMetrics();
    metrics.lookup('live', 'cached');
    metrics.lookup('live', 'cached');
    metrics.lookup('demo', 'live');
    const first = await metrics.registry.metrics();
    expect(first).toContain('permitwatch_lookups_total{plane="live",outcome="cached"} 2');
    expect(first).toContain('permitwatch_lookups_total{plane="demo",outcome="live"} 1');
    // A second scrape does not add the same lookups again; new ones are added to the total.
    expect(await metrics.registry.metrics()).toContain('permitwatch_lookups_total{plane="live",outcome="cached"} 2');
    metrics.lookup('live', 'cached');
    expect(await metrics.registry.metrics()).toContain('permitwatch_lookups_total{plane="live",outcome="cached"} 3');
  });
});
