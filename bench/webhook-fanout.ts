/**
 * The outbox's fan-out cost inside the write transaction (issue 16, defect 6: 3,000
 * non-matching subscriptions made 2,000 events take 41.7 s instead of 0.7 s).
 *
 * What: changed observations/s through `observe()` (one transaction each, as live lookups
 * commit), half from a portal (a lookup) and half from a feed (a discovery), against a database
 * holding SUBSCRIPTIONS subscriptions that match none of them: other keys' subscriptions (the
 * permits are not theirs to see) with a city filter no record has (so a feed discovery's
 * filter-index seek finds nothing). Baseline, in the same run: the same observations against a
 * database with no subscription. Rounds alternate between the two, in rotated order.
 * Target: loaded / baseline ≥ 0.8.
 * Run: `node --import tsx bench/webhook-fanout.ts` (BENCH_FANOUT_SUBSCRIPTIONS, BENCH_FANOUT_OBSERVATIONS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlaneProjector, openDatabase } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { observe } from '../src/ingest/observe.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { createSubscription } from '../src/webhooks/subscriptions.ts';
import { median, rotate } from './support.ts';
import { lifecycleRecord, observation } from './workload.ts';

const SUBSCRIPTIONS = Number(process.env.BENCH_FANOUT_SUBSCRIPTIONS ?? 10_000);
/** Observations per scenario per round: bounded, so a slow outbox cannot run for minutes. */
const OBSERVATIONS = Number(process.env.BENCH_FANOUT_OBSERVATIONS ?? 1_000);
const ROUNDS = 5;
/** Keys the non-matching subscriptions belong to: many tenants, none of which looked these permits up. */
const KEYS = 500;
const TARGET_RATIO = 0.8;

const dir = mkdtempSync(join(tmpdir(), 'permitwatch-bench-fanout-'));
const projector = createPlaneProjector(createCatalog());

async function database(name: string, subscriptions: number): Promise<{ name: string; db: Db; next: number }> {
  const db = await openDatabase(`file:${join(dir, `${name}.db`)}`);
  const now = new Date();
  for (let i = 0; i < subscriptions; i++) {
    await createSubscription(
      db,
      {
        key_id: `key_${i % KEYS}`,
        url: `https://hooks-${i}.example/in`,
        events: ['permit.created', 'status_change', 'permit_approved'],
        jurisdiction_filter: i % 2 ? ['ladbs'] : null,
        city: 'Nowhere',
        state: null,
        category: null,
        zip_code: null,
      },
      now,
    );
  }
  return { name, db, next: 0 };
}

/** OBSERVATIONS new permits observed one transaction each; returns observations/s. */
async function run(s: { db: Db; next: number }): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < OBSERVATIONS; i++) {
    const n = s.next++;
    const input = { ...observation(lifecycleRecord(n, 0), new Date().toISOString()), ...(i % 2 ? { source: 'feed' as const } : {}) };
    const r = await observe(s.db, projector, input);
    if (!r.ok || !r.appended) throw new Error(`observe ${n}: ${JSON.stringify(r)}`);
  }
  return OBSERVATIONS / ((performance.now() - started) / 1000);
}

try {
  const seeding = performance.now();
  const scenarios = [await database('none', 0), await database('loaded', SUBSCRIPTIONS)];
  console.log(`${SUBSCRIPTIONS} non-matching subscriptions created in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
  for (const s of scenarios) await run(s); // warm-up
  const rates: Record<string, number[]> = { none: [], loaded: [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of rotate(scenarios, round)) rates[s.name]!.push(await run(s));
    ratios.push(rates.loaded!.at(-1)! / rates.none!.at(-1)!);
    console.log(
      `round ${round + 1}: none ${rates.none!.at(-1)!.toFixed(0)}/s, loaded ${rates.loaded!.at(-1)!.toFixed(0)}/s, ratio ${ratios.at(-1)!.toFixed(3)}`,
    );
  }
  const deliveries = (await scenarios[1]!.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM webhook_deliveries'))!.n;
  if (deliveries !== 0) throw new Error(`${deliveries} deliveries enqueued for subscriptions that match nothing`);
  const ratio = median(ratios);
  console.log(
    `\nobservations/s (median of ${ROUNDS}): none ${median(rates.none!).toFixed(0)}, ${SUBSCRIPTIONS} non-matching ${median(rates.loaded!).toFixed(0)}`,
  );
  console.log(
    `ratio loaded/none (median of per-round ratios): ${ratio.toFixed(3)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}`,
  );
  for (const s of scenarios) await s.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
