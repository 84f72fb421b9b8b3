import { parse } from 'csv-parse/sync';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaneProjector } from '../src/app.ts';
import { EXPORT_PAGE_SIZE } from '../src/cli/export-sources.ts';
import { createCatalog } from '../src/jurisdictions/catalog.ts';
import { observeTestRecord } from '../src/testing/observe-test-record.ts';
import { testRecord } from '../src/testing/test-record.ts';
import { startHarness, type Harness } from './harness.ts';
import { runCliCaptured } from './run-cli.ts';

/** More permits than one page, so paging (and the page boundary) is part of every export. */
const PERMITS = EXPORT_PAGE_SIZE + 37;
/** Text a CSV writer must quote: a comma, quotes, CRLF and LF line breaks, a formula lead. */
const AWKWARD = 'NEW 2-STORY ADU, "PER PLAN"\r\nSEE SHEET A-1\nNO WORK ON "GARAGE"';

describe('permitwatch export', () => {
  let h: Harness;
  let dir: string;
  let env: Record<string, string>;
  const storedEvents = () => h.server.app.live.db.all<Record<string, unknown>>('SELECT * FROM events ORDER BY position');

  beforeAll(async () => {
    h = await startHarness({ demo: false });
    dir = mkdtempSync(join(tmpdir(), 'permitwatch-export-'));
    env = { PERMITWATCH_DATABASE_URL: h.config.database_url, PERMITWATCH_DEMO: 'false', PERMITWATCH_LOG_LEVEL: 'silent' };
    // A real permit through the real server and portal capture, then enough recorded ones to page.
    const key = await h.key();
    expect((await h.get('/api/v1/permits/26014-10000-00017/status', key)).status).toBe(200);
    const db = h.server.app.live.db;
    const projector = createPlaneProjector(createCatalog());
    for (let i = 0; i < PERMITS; i++) {
      const record = testRecord({
        permit_number: `16041-30000-${String(i).padStart(5, '0')}`,
        work_description: i % 2 === 0 ? AWKWARD : `=HYPERLINK("http://example.invalid") ${i}`,
        address: { street: `${i}, S "MIDVALE" AVE` },
      });
      await observeTestRecord(db, projector, record);
    }
  });

  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('NDJSON of the events round-trips to the same events, on stdout with nothing else there', async () => {
    const result = await runCliCaptured(['export', '--format', 'ndjson'], env);
    expect(result.code, result.err).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    const events = await storedEvents();
    expect(lines).toHaveLength(events.length);
    // Every line is an event, and writing data and meta back as text gives the stored bytes.
    const back = lines.map((l) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      return { ...e, data: JSON.stringify(e.data), meta: JSON.stringify(e.meta) };
    });
    expect(back).toEqual(events);
  });

  it('CSV of the events parses back with a CSV library to the same events, quoting intact', async () => {
    const file = join(dir, 'events.csv');
    const result = await runCliCaptured(['export', '--format', 'csv', '--output', file], env);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^exported \d+ events as csv to .*events\.csv\n$/);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    const events = await storedEvents();
    expect(rows).toHaveLength(events.length);
    expect(rows).toEqual(events.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]))));
    expect(rows.some((r) => JSON.parse(r.data!).record.work_description === AWKWARD)).toBe(true);
  });

  it('permits as CSV: one row per permit, awkward text intact, formulas defused for spreadsheets', async () => {
    const file = join(dir, 'permits.csv');
    const result = await runCliCaptured(['export', '--format', 'csv', '--what', 'permits', '--output', file], env);
    expect(result.code, result.err).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(PERMITS + 1);
    const byNumber = new Map(rows.map((r) => [r.permit_number, r]));
    expect(byNumber.get('16041-30000-00000')!.work_description).toBe(AWKWARD);
    expect(byNumber.get('16041-30000-00000')!.address_line).toMatch(/^0, S "MIDVALE" AVE/);
    // csv-stringify's escape_formulas: a leading = gains a quote so a spreadsheet shows text.
    expect(byNumber.get('16041-30000-00001')!.work_description).toBe(`'=HYPERLINK("http://example.invalid") 1`);
    expect(byNumber.get('26014-10000-00017')!.jurisdiction).toBe('ladbs');
    expect(Object.keys(rows[0]!)).toContain('last_checked_at');
  });

  it('permits as NDJSON carry the whole record as an object', async () => {
    const result = await runCliCaptured(['export', '--format', 'ndjson', '--what', 'permits'], env);
    expect(result.code, result.err).toBe(0);
    const permits = result.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { permit_number: string; record: { work_description: string } });
    expect(permits).toHaveLength(PERMITS + 1);
    expect(permits.find((p) => p.permit_number === '16041-30000-00002')!.record.work_description).toBe(AWKWARD);
  });

  it('refuses a bad format, an unknown --what, an existing file and a database file that is not there', async () => {
    const format = await runCliCaptured(['export', '--format', 'xml'], env);
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/--format must be ndjson or csv/);
    const what = await runCliCaptured(['export', '--format', 'csv', '--what', 'keys'], env);
    expect(what.code).toBe(2);
    const again = await runCliCaptured(['export', '--format', 'csv', '--output', join(dir, 'events.csv')], env);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already exists/);
    // A mistyped database path is said, not exported from an empty database made on the spot.
    const missing = join(dir, 'no-such.db');
    const none = await runCliCaptured(['export', '--format', 'ndjson'], { ...env, PERMITWATCH_DATABASE_URL: `file:${missing}` });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no-such\.db does not exist/);
    expect(existsSync(missing)).toBe(false);
  });
});
