import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase, type TempDatabase } from '../../test/temp-database.ts';
import type { Db } from '../db/db.ts';
import { testRecord } from '../testing/test-record.ts';
import { PROJECTIONS } from '../projections/all.ts';
import { createPermitReader } from '../projections/permits.ts';
import { createProjector, type Projector } from '../projections/projector.ts';
import { appendPlaced } from '../store/append.ts';
import { readAll } from '../store/read.ts';
import { createObserveQueue } from './observe-queue.ts';
import { observe, observeMany, type ObserveInput } from './observe.ts';

let temp: TempDatabase;
let db: Db;
let projector: Projector;
beforeEach(async () => {
  temp = await openTempDatabase('observe');
  db = temp.db;
  projector = createProjector(PROJECTIONS);
});
afterEach(() => temp.close());

const meta = { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 };
const input = (n: string, portal_status: string, minute = 0): ObserveInput => ({
  record: testRecord({ permit_number: n, portal_status }),
  source: 'portal',
  source_url: `https://example.test/${n}`,
  meta,
  observedAt: new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString(),
});
const checkpoints = async () =>
  (await db.all<{ name: string; position: number }>('SELECT name, position FROM projection_checkpoints')).filter((c) =>
    PROJECTIONS.some((p) => p.name === c.name),
  );
const transactionsOf = (target: Db) => {
  const counter = { n: 0 };
  const counted: Db = { ...target, transaction: (fn) => (counter.n++, target.transaction(fn)) };
  return { counted, counter };
};

describe('observeMany', () => {
  it('appends what changed, skips what did not, keeps one stream’s observations in order, and projects once', async () => {
    await observe(db, projector, input('16041-10000-00001', 'Plan Check'));
    const { counted, counter } = transactionsOf(db);
    const results = await observeMany(counted, projector, [
      input('16041-10000-00001', 'Plan Check', 1),
      input('16041-10000-00002', 'Submitted', 1),
      input('16041-10000-00001', 'Issued', 2),
      input('16041-10000-00001', 'Permit Finaled', 3),
      // Unchanged from the observation just before it in this batch: nothing appended.
      input('16041-10000-00001', 'Permit Finaled', 4),
    ]);
    expect(counter.n).toBe(1);
    expect(results.map((r) => r.ok && [r.appended, r.version])).toEqual([
      [false, 1],
      [true, 1],
      [true, 2],
      [true, 3],
      [false, 3],
    ]);
    // Every check counts, changed or not, and the latest time stays.
    expect(await db.all('SELECT stream, last_checked_at, checks FROM permit_freshness ORDER BY stream')).toEqual([
      { stream: 'permit/ladbs/16041-10000-00001', last_checked_at: input('16041-10000-00001', 'x', 4).observedAt, checks: 5 },
      { stream: 'permit/ladbs/16041-10000-00002', last_checked_at: input('16041-10000-00001', 'x', 1).observedAt, checks: 1 },
    ]);
    const events = await readAll(db, 0, 100);
    expect(events.map((e) => `${e.stream}#${e.version}`)).toEqual([
      'permit/ladbs/16041-10000-00001#1',
      'permit/ladbs/16041-10000-00002#1',
      'permit/ladbs/16041-10000-00001#2',
      'permit/ladbs/16041-10000-00001#3',
    ]);
    expect(new Set((await checkpoints()).map((c) => c.position))).toEqual(new Set([events.at(-1)!.position]));
    expect(await db.get('SELECT portal_status, version FROM permits WHERE permit_number = ?', ['16041-10000-00001'])).toEqual({
      portal_status: 'Permit Finaled',
      version: 3,
    });
  });
});

describe('projecting what a batch appended', () => {
  const projectedTables = async (target: Db) => {
    const out: Record<string, unknown[]> = {};
    for (const t of PROJECTIONS.flatMap((p) => p.tables)) {
      const columns = await target.all(`SELECT name FROM pragma_table_info(?)`, [t]);
      out[t] = await target.all(`SELECT * FROM ${t} ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`);
    }
    return out;
  };
  const history = [
    [input('16041-10000-00001', 'Plan Check'), input('16041-10000-00002', 'Submitted')],
    [input('16041-10000-00001', 'Issued', 1), input('16041-10000-00003', 'Submitted', 1), input('16041-10000-00001', 'Permit Finaled', 2)],
  ];

  it('hands the events to the projections as the log would: the same tables as reading them back', async () => {
    for (const batch of history) await observeMany(db, projector, batch);
    // The same history through a projector that can only read the log back.
    const other = await openTempDatabase('observe-log');
    try {
      const fromLog: Projector = { ...createProjector(PROJECTIONS), catchUpAppended: (tx) => fromLog.catchUp(tx) };
      for (const batch of history) await observeMany(other.db, fromLog, batch);
      expect(await projectedTables(db)).toEqual(await projectedTables(other.db));
    } finally {
      await other.close();
    }
  });

  it('reads the log when it numbered the batch otherwise than from the head on', async () => {
    await observeMany(db, projector, history[0]!);
    // A position handed out and never used (AUTOINCREMENT keeps counting past it): the batch's
    // events land after a gap, so the positions the writer would hand over are not theirs.
    await db.run("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'events'");
    await observeMany(db, projector, history[1]!);
    const events = await readAll(db, 0, 100);
    expect(events.at(-1)!.position - events.at(-4)!.position).toBe(8);
    expect(new Set((await checkpoints()).map((c) => c.position))).toEqual(new Set([events.at(-1)!.position]));
    expect(await db.get('SELECT portal_status, version, position FROM permits WHERE permit_number = ?', ['16041-10000-00001'])).toEqual({
      portal_status: 'Permit Finaled',
      version: 3,
      position: events.at(-1)!.position,
    });
  });

  it('reads the log when events another writer appended are still to project', async () => {
    await observeMany(db, projector, history[0]!);
    // Appended, not projected: the checkpoints stay behind the head.
    await db.transaction((tx) =>
      appendPlaced(tx, [
        { stream: 'permit/ladbs/16041-10000-00009', version: 1, type: 'permit.observed', schema_version: 1, recorded_at: input('x', 'x').observedAt, meta,
          data: { record: testRecord({ permit_number: '16041-10000-00009' }), observed_at: input('x', 'x').observedAt, source: 'portal', source_url: 'https://example.test/9', content_hash: 'a'.repeat(64) } },
      ]),
    );
    await observeMany(db, projector, history[1]!);
    expect((await db.all<{ permit_number: string }>('SELECT permit_number FROM permits ORDER BY permit_number')).map((r) => r.permit_number)).toEqual([
      '16041-10000-00001',
      '16041-10000-00002',
      '16041-10000-00003',
      '16041-10000-00009',
    ]);
    const head = (await readAll(db, 0, 100)).at(-1)!.position;
    expect(new Set((await checkpoints()).map((c) => c.position))).toEqual(new Set([head]));
  });
});

describe('the permit read cache', () => {
  it('is told by the write path which permits it wrote: changes and re-checks are read at once', async () => {
    const reader = createPermitReader(db);
    const stream = 'permit/ladbs/16041-10000-00001';
    expect(await reader.row(stream)).toBeUndefined();
    expect(await reader.jurisdictionsOf('16041-10000-00001')).toEqual([]);
    await observe(db, projector, input('16041-10000-00001', 'Plan Check'));
    expect(await reader.row(stream)).toMatchObject({ portal_status: 'Plan Check', version: 1 });
    expect(await reader.jurisdictionsOf('16041-10000-00001')).toEqual(['ladbs']);
    await observeMany(db, projector, [input('16041-10000-00001', 'Issued', 5), input('16041-10000-00002', 'Submitted', 5)]);
    expect(await reader.row(stream)).toMatchObject({ portal_status: 'Issued', version: 2 });
    // An unchanged re-check appends nothing but moves the freshness the row carries.
    await observe(db, projector, input('16041-10000-00001', 'Issued', 9));
    expect(await reader.row(stream)).toMatchObject({ version: 2, last_checked_at: '2026-11-01T08:09:00.000Z' });
  });
});

describe('createObserveQueue (group commit)', () => {
  it('lets observations that arrive together share transactions, each caller getting its own result', async () => {
    const { counted, counter } = transactionsOf(db);
    const observeQueued = createObserveQueue(counted, projector);
    const numbers = Array.from({ length: 40 }, (_, i) => `16041-10000-${String(i).padStart(5, '0')}`);
    const results = await Promise.all(numbers.map((n) => observeQueued(input(n, 'Submitted'))));
    expect(results.map((r) => r.ok && r.stream)).toEqual(numbers.map((n) => `permit/ladbs/${n}`));
    expect(results.every((r) => r.ok && r.appended)).toBe(true);
    // The first goes alone at once; everything that arrived while it ran shares the next.
    expect(counter.n).toBe(2);
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permits'))!.n).toBe(40);
  });

  it('retries each observation of a failed shared transaction alone, so only the bad one fails', async () => {
    const bad = 'permit/ladbs/16041-10000-00666';
    // A projection that cannot take one permit's event (as a corrupt record would fail it).
    const failing: Projector = {
      ...projector,
      async catchUp(tx, options) {
        if (await tx.get('SELECT 1 FROM events WHERE stream = ?', [bad])) throw new Error('projection failed');
        return projector.catchUp(tx, options);
      },
      async catchUpAppended(tx, head, events) {
        if (events.some((e) => e.stream === bad)) throw new Error('projection failed');
        return projector.catchUpAppended(tx, head, events);
      },
    };
    const observeQueued = createObserveQueue(db, failing);
    const settled = await Promise.allSettled(
      ['16041-10000-00001', '16041-10000-00002', '16041-10000-00666', '16041-10000-00003'].map((n) => observeQueued(input(n, 'Submitted'))),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await readAll(db, 0, 100)).map((e) => e.stream)).not.toContain(bad);
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permits'))!.n).toBe(3);
  });

  it('refuses a record its event schema refuses before it reaches the log, and the others still land', async () => {
    const observeQueued = createObserveQueue(db, projector);
    const broken = { ...input('16041-10000-00666', 'Submitted') };
    broken.record = { ...broken.record, status_phase: 'nonsense' as never };
    const settled = await Promise.allSettled([
      observeQueued(input('16041-10000-00001', 'Submitted')),
      observeQueued(input('16041-10000-00002', 'Submitted')),
      observeQueued(broken),
      observeQueued(input('16041-10000-00003', 'Submitted')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/16041-10000-00666: not a valid permit\.observed event: record\.status_phase/);
    expect((await readAll(db, 0, 100)).map((e) => e.stream)).not.toContain('permit/ladbs/16041-10000-00666');
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permits'))!.n).toBe(3);
  });
});
