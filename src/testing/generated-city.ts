import type { ObserveInput } from '../ingest/observe.ts';
import { CATEGORIES, STATUS_PHASES, type PermitRecord } from '../permits/record.ts';
import { testRecord } from './test-record.ts';

// Words the descriptions are drawn from: trades a permit portal's free text names.
const WORDS = ['solar', 'panels', 'reroof', 'kitchen', 'remodel', 'bathroom', 'addition', 'garage', 'seismic', 'retrofit', 'heat', 'pump', 'water', 'heater', 'deck', 'fence', 'window', 'replacement', 'electrical', 'service', 'upgrade', 'demolition', 'adu', 'foundation'];
const STREETS = ['California St', 'Market St', 'Mission St', 'Valencia St', 'Geary Blvd', 'Irving St', 'Judah St', 'Taraval St', 'Noriega St', 'Clement St'];
const ZIPS = ['94102', '94103', '94104', '94110', '94114', '94116', '94118', '94121', '94122', '94131'];

/** A seeded generator (mulberry32): the same seed gives the same city on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * `count` permits of an invented city laid over San Francisco's grid (jurisdiction `socrata:sf`)
 * for search tests and benchmarks: numbers from `start`, every filterable field varied, about a
 * tenth without an issue date and a tenth without coordinates, as real datasets have.
 */
export function generatedCity(count: number, options: { seed?: number; start?: number; jurisdiction?: string } = {}): PermitRecord[] {
  const rng = seededRandom(options.seed ?? 1);
  const start = options.start ?? 0;
  return Array.from({ length: count }, (_, i) => {
    const filedMs = Date.UTC(2020, 0, 1) + Math.floor(rng() * 6 * 365) * DAY_MS;
    const filed = dayOf(filedMs);
    const issued = rng() < 0.1 ? null : dayOf(filedMs + Math.floor(rng() * 120) * DAY_MS);
    const placed = rng() >= 0.1;
    const words = Array.from({ length: 3 + Math.floor(rng() * 4) }, () => pick(rng, WORDS)).join(' ');
    return testRecord({
      jurisdiction: options.jurisdiction ?? 'socrata:sf',
      permit_number: `G${String(start + i).padStart(9, '0')}`,
      status: 'generated',
      portal_status: 'generated',
      status_phase: pick(rng, STATUS_PHASES),
      category: pick(rng, CATEGORIES),
      permit_type: 'Generated',
      work_description: words,
      address: { street: `${1 + Math.floor(rng() * 3000)} ${pick(rng, STREETS)}`, city: 'San Francisco', state: 'CA', zip: pick(rng, ZIPS) },
      valuation: rng() < 0.05 ? null : Math.round(rng() * 2_000_000),
      latitude: placed ? 37.70 + rng() * 0.11 : null,
      longitude: placed ? -122.51 + rng() * 0.14 : null,
      dates: { applied: filed, issued },
    });
  });
}

/** What observe() takes for a generated permit, seen by a feed at `observedAt`. */
export function generatedObservation(record: PermitRecord, observedAt: string): ObserveInput {
  return {
    record,
    source: 'feed',
    source_url: `https://data.sfgov.org/resource/i98e-djp9.json?permit_number=${record.permit_number}`,
    meta: { adapter: 'generated', adapter_version: '1', request_id: null, fetch_ms: null },
    observedAt,
  };
}
