import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../app.ts';
import type { Db } from '../db/db.ts';
import { createUsageRecorder } from './usage.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('usage recorder', () => {
  it('counts each request under its UTC day, across midnight and back', async () => {
    db = await openDatabase(':memory:');
    const usage = createUsageRecorder(db);
    const at = (iso: string) => Date.parse(iso);
    const endpoint = 'GET /api/v1/permits/:permit_number/status';
    usage.record({ subject: 'k1', endpoint, status: 200, at: at('2026-12-04T23:59:59.999Z') });
    usage.record({ subject: 'k1', endpoint, status: 404, at: at('2026-12-05T00:00:00.000Z') });
    usage.record({ subject: 'k1', endpoint, status: 200, at: at('2026-12-05T13:00:00.000Z') });
    // A clock stepped back (NTP) still lands on the right day.
    usage.record({ subject: 'k1', endpoint, status: 500, at: at('2026-12-04T12:00:00.000Z') });
    await usage.close();
    expect(await db.all('SELECT day, requests, errors FROM usage_daily ORDER BY day')).toEqual([
      { day: '2026-12-04', requests: 2, errors: 1 },
      { day: '2026-12-05', requests: 2, errors: 1 },
    ]);
  });
});
