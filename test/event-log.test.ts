import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { observe } from '../src/ingest/observe.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { PROJECTIONS } from '../src/projections/all.ts';
import { createProjector } from '../src/projections/projector.ts';
import { searchPermits } from '../src/projections/search-query.ts';
import { append } from '../src/store/append.ts';
import { openTempDatabase, type TempDatabase } from './temp-database.ts';
import { readAll, readStream } from '../src/store/read.ts';

let temp: TempDatabase;
let db: Db;
beforeEach(async () => {
  temp = await openTempDatabase('log');
  db = temp.db;
});
afterEach(() => temp.close());

const meta = { adapter: 'ladbs', adapter_version: '1', request_id: null, fetch_ms: 1 };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString();

describe('the event log', () => {
  it('refuses UPDATE and DELETE at the database level', async () => {
    await db.transaction((tx) =>
      append(tx, 'permit/ladbs/1', 0, [{ type: 'permit.observed', schema_version: 1, data: {}, meta: {} }], at(0)),
    );
    await expect(db.run("UPDATE events SET type = 'x'")).rejects.toThrow(/immutable/);
    await expect(db.run('DELETE FROM events')).rejects.toThrow(/immutable/);
    expect(await readStream(db, 'permit/ladbs/1')).toHaveLength(1);
  });

  it('appends with optimistic concurrency and names a conflict', async () => {
    const e = { type: 'permit.observed', schema_version: 1, data: {}, meta: {} };
    expect(await db.transaction((tx) => append(tx, 's', 0, [e, e], at(0)))).toEqual({ ok: true, positions: [1, 2], version: 2 });
    expect(await db.transaction((tx) => append(tx, 's', 1, [e], at(1)))).toEqual({
      ok: false,
      reason: 'version_conflict',
      expected: 1,
      actual: 2,
    });
    expect((await readAll(db, 0, 10)).map((r) => r.version)).toEqual([1, 2]);
  });

  it('refuses INSERT OR REPLACE, REPLACE and upserts that would overwrite an event (issue 16)', async () => {
    const e = { type: 'permit.observed', schema_version: 1, data: { n: 1 }, meta: {} };
    await db.transaction((tx) => append(tx, 'permit/ladbs/1', 0, [e, e], at(0)));
    const before = await readAll(db, 0, 10);
    const cols = '(position, stream, version, type, schema_version, data, meta, recorded_at)';
    const forged = "'permit.observed', 1, '{\"forged\":true}', '{}', '2026-01-01T00:00:00.000Z'";
    const attempts = [
      // Same position and same (stream, version): conflict resolution would delete the old row.
      `INSERT OR REPLACE INTO events ${cols} VALUES (1, 'permit/ladbs/1', 1, ${forged})`,
      `REPLACE INTO events ${cols} VALUES (2, 'permit/ladbs/1', 2, ${forged})`,
      // A new position over an existing (stream, version), and an existing position under a new stream.
      `INSERT OR REPLACE INTO events ${cols} VALUES (99, 'permit/ladbs/1', 1, ${forged})`,
      `INSERT OR REPLACE INTO events ${cols} VALUES (1, 'permit/ladbs/other', 1, ${forged})`,
      `INSERT OR REPLACE INTO events (stream, version, type, schema_version, data, meta, recorded_at) VALUES ('permit/ladbs/1', 2, ${forged})`,
      `INSERT INTO events ${cols} VALUES (1, 'permit/ladbs/1', 1, ${forged}) ON CONFLICT DO UPDATE SET data = excluded.data`,
      `INSERT INTO events ${cols} VALUES (5, 'permit/ladbs/1', 1, ${forged}) ON CONFLICT (stream, version) DO UPDATE SET data = excluded.data`,
      `INSERT OR IGNORE INTO events ${cols} VALUES (1, 'permit/ladbs/1', 1, ${forged})`,
    ];
    for (const sql of attempts) await expect(db.run(sql), sql).rejects.toThrow(/immutable/);
    expect(await readAll(db, 0, 10)).toEqual(before);
    // Ordinary appends still work, with a new stream and the next version.
    expect(await db.transaction((tx) => append(tx, 'permit/ladbs/1', 2, [e], at(1)))).toMatchObject({ ok: true, version: 3 });
    expect(await db.transaction((tx) => append(tx, 'permit/ladbs/2', 0, [e], at(1)))).toMatchObject({ ok: true, version: 1 });
  });
});

async function dumpTables(names: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of names) {
    // Every column in the order: the search model's FTS table has only two.
    const columns = await db.all(`SELECT name FROM pragma_table_info(?)`, [t]);
    out[t] = await db.all(`SELECT * FROM ${t} ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`);
  }
  return out;
}

describe('rebuild', () => {
  it('replays the log into byte-identical tables', async () => {
    const projector = createProjector(PROJECTIONS);
    // A realistic history: several permits, status changes, inspections arriving, portal history growing.
    for (let p = 0; p < 20; p++) {
      const number = `16041-10000-${String(p).padStart(5, '0')}`;
      const steps = [
        testRecord({
          permit_number: number,
          portal_status: 'Corrections Issued',
          status: 'Corrections Issued',
          status_phase: 'corrections',
          portal_history: [{ status: 'Corrections Issued', date: '2026-01-26' }],
        }),
        testRecord({
          permit_number: number,
          portal_history: [
            { status: 'Corrections Issued', date: '2026-01-26' },
            { status: 'Issued', date: '2026-03-10' },
          ],
        }),
        testRecord({
          permit_number: number,
          status_phase: 'inspections',
          inspections: [
            {
              type: 'Foundation',
              date: '2026-04-02',
              result: p % 3 === 0 ? 'Not Approved' : 'Approved',
              inspector: 'JOHNNY MIRANDA',
              status: 'completed',
            },
          ],
        }),
      ];
      for (const [i, record] of steps.slice(0, 1 + (p % 3)).entries()) {
        const r = await observe(db, projector, {
          record,
          source: 'portal',
          source_url: 'https://example.invalid',
          meta,
          observedAt: at(p + i),
        });
        expect(r.ok).toBe(true);
      }
    }
    const tables = PROJECTIONS.flatMap((p) => p.tables);
    const live = await dumpTables(tables);
    expect(live.permits).toHaveLength(20);
    expect(live.timeline!.length).toBeGreaterThan(40);

    // Damage the read models so a rebuild that replays nothing cannot pass.
    await db.run('DELETE FROM permits WHERE rowid % 2 = 0');
    await db.run("UPDATE timeline SET status = 'tampered'");
    await db.run('DELETE FROM inspections');
    expect(JSON.stringify(await dumpTables(tables))).not.toBe(JSON.stringify(live));

    const replayed = await createProjector(PROJECTIONS).rebuild(db);
    expect(replayed).toBe(20 + 13 + 6);
    expect(JSON.stringify(await dumpTables(tables))).toBe(JSON.stringify(live));
  });
  it('answers searches as before: the FTS index it fills after the replay holds each permit’s latest text', async () => {
    const projector = createProjector(PROJECTIONS);
    const permit = (n: number, work_description: string) =>
      testRecord({ permit_number: `16041-10000-${String(n).padStart(5, '0')}`, work_description });
    // Permit 2's description changes, so a stale text (from its first event) would still match "fence".
    const history = [permit(1, 'Install rooftop solar panels'), permit(2, 'New fence along the lot line'), permit(3, 'Reroof'), permit(2, 'Kitchen remodel')];
    for (const [i, record] of history.entries()) {
      const r = await observe(db, projector, { record, source: 'portal', source_url: 'https://example.invalid', meta, observedAt: at(i) });
      expect(r.ok).toBe(true);
    }
    const queries = [['solar'], ['fence'], ['kitchen'], ['reroof'], ['remod']];
    const answers = async () => {
      const out: string[][] = [];
      for (const words of queries) out.push((await searchPermits(db, { words }, '-issued', undefined, 10)).map((r) => r.permit_number));
      return out;
    };
    const before = await answers();
    expect(before).toEqual([['16041-10000-00001'], [], ['16041-10000-00002'], ['16041-10000-00003'], ['16041-10000-00002']]);
    await db.exec('DELETE FROM permit_search_fts');
    expect(await answers()).not.toEqual(before);

    await createProjector(PROJECTIONS).rebuild(db);
    expect(await answers()).toEqual(before);
  });
});

describe('rebuild by stream', () => {
  const tables = PROJECTIONS.flatMap((p) => p.tables);
  const schema = () => db.all("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
  const shadows = () => db.all("SELECT name FROM sqlite_master WHERE name LIKE 'rebuild%'");
  const record = (overrides: Parameters<typeof testRecord>[0]) => testRecord({ permit_number: '16041-10000-00001', ...overrides });
  const observeAll = async (projector: ReturnType<typeof createProjector>, records: ReturnType<typeof testRecord>[], from = 0) => {
    for (const [i, r] of records.entries()) {
      const result = await observe(db, projector, { record: r, source: 'portal', source_url: 'https://example.invalid', meta, observedAt: at(from + i) });
      expect(result.ok).toBe(true);
    }
  };

  // Histories where a rebuild (stream by stream) and catch-up (event by event) could part ways: a portal
  // entry that disappears and comes back, an entry listed twice, an undated entry, inspections
  // that change and change back, a status that returns to an earlier one.
  const corrections = (portal_history: { status: string; date: string | null }[]) =>
    record({
      status: 'Corrections Issued',
      portal_status: 'Corrections Issued',
      status_phase: 'corrections',
      portal_history,
      inspections: [{ type: 'Foundation', date: '2026-02-01', result: 'Approved', inspector: 'A', status: 'completed' }],
    });
  const edgeCases = [
    record({ portal_history: [{ status: 'Submitted', date: '2026-01-02' }] }),
    corrections([
      { status: 'Submitted', date: '2026-01-02' },
      { status: 'Corrections Issued', date: '2026-01-20' },
      { status: 'Corrections Issued', date: '2026-01-20' },
      { status: 'Plan Check', date: null },
    ]),
    record({
      portal_history: [{ status: 'Submitted', date: '2026-01-02' }],
      inspections: [{ type: 'Framing', date: '2026-02-03', result: null, inspector: null, status: 'scheduled' }],
    }),
    corrections([
      { status: 'Submitted', date: '2026-01-02' },
      { status: 'Corrections Issued', date: '2026-01-20' },
      { status: 'Issued', date: '2026-03-01' },
    ]),
  ];

  it('replays awkward histories into the rows catch-up leaves, keeps the indexes, and rebuilds again', async () => {
    const projector = createProjector(PROJECTIONS);
    await observeAll(projector, edgeCases);
    const live = await dumpTables(tables);
    const indexes = await schema();
    expect(live.timeline!.length).toBeGreaterThan(4);

    expect(await createProjector(PROJECTIONS).rebuild(db)).toBe(edgeCases.length);
    expect(await dumpTables(tables)).toEqual(live);
    expect(await schema()).toEqual(indexes);
    // A second rebuild reads the definitions SQLite rewrote when the first renamed its tables.
    expect(await createProjector(PROJECTIONS).rebuild(db, { only: ['timeline'] })).toBe(edgeCases.length);
    expect(await dumpTables(tables)).toEqual(live);
    expect(await shadows()).toEqual([]);
    // The unique index still guards the rebuilt table.
    await expect(
      db.run("INSERT INTO timeline (stream, position, seq, source, status, portal_status, changed_at) VALUES ('permit/ladbs/16041-10000-00001', 99, 0, 'portal', 'Issued', 'Issued', '2026-03-01')"),
    ).rejects.toThrow(/UNIQUE/);
  });

  it('keeps what is appended while it replays, and leaves no shadow behind', async () => {
    const projector = createProjector(PROJECTIONS);
    await observeAll(projector, edgeCases.slice(0, 2));
    // A shadow a crashed rebuild left behind, holding junk.
    await db.exec('CREATE TABLE rebuild__permits (junk TEXT)');
    let concurrent: Promise<unknown> | undefined;
    const replayed = await createProjector(PROJECTIONS).rebuild(db, {
      onProgress: () => {
        // Another writer appends while the rebuild has read the log but not swapped yet.
        concurrent ??= observeAll(projector, edgeCases.slice(2), 10);
      },
    });
    await concurrent;
    expect(replayed).toBe(edgeCases.length);
    const afterConcurrent = await dumpTables(tables);
    const permit = await db.get<{ version: number }>('SELECT version FROM permits');
    expect(permit?.version).toBe(edgeCases.length);
    expect(await shadows()).toEqual([]);
    expect(await createProjector(PROJECTIONS).rebuild(db)).toBe(edgeCases.length);
    expect(await dumpTables(tables)).toEqual(afterConcurrent);
  });

  it('stops at an event it cannot decode, naming its position, with the live tables untouched', async () => {
    const projector = createProjector(PROJECTIONS);
    await observeAll(projector, edgeCases.slice(0, 1));
    const live = await dumpTables(tables);
    await db.transaction((tx) => append(tx, 'permit/ladbs/16041-10000-00009', 0, [{ type: 'permit.observed', schema_version: 1, data: {}, meta: {} }], at(5)));
    await expect(createProjector(PROJECTIONS).rebuild(db)).rejects.toMatchObject({ position: 2 });
    expect(await dumpTables(tables)).toEqual(live);
    expect(await shadows()).toEqual([]);
  });
});
