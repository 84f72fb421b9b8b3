import type { Agent } from 'undici';
import type { Db } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';
import type { Jurisdiction } from '../jurisdictions/jurisdiction.ts';
import type { Clock } from '../lib/clock.ts';
import { request } from '../runtime/undici.ts';
import { checkTargetGuard } from '../webhooks/guard-check.ts';

/** A portal gets this long to answer the doctor's HEAD: a slow portal is a finding, not a hang. */
export const DOCTOR_PORTAL_TIMEOUT_MS = 5_000;
/**
 * Clock skew against a portal's `Date` header worth a warning: a tenth of the 5-minute
 * tolerance Standard Webhooks receivers apply to `webhook-timestamp`, well above the header's
 * 1-second resolution and a slow round trip.
 */
export const CLOCK_SKEW_WARN_MS = 30_000;
/** Skew at which receivers refuse our signatures as stale (Standard Webhooks' 5-minute tolerance): a failure. */
export const CLOCK_SKEW_FAIL_MS = 5 * 60_000;

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reachable (a read answers) and writable (a write transaction takes the lock and commits a rollback). */
export async function checkDatabase(db: Db): Promise<CheckResult[]> {
  const where = db.kind === 'embedded' ? (db.file ?? db.url) : db.url;
  try {
    await db.get('SELECT 1');
  } catch (err) {
    return [{ check: 'database', status: 'fail', detail: `${where} cannot be read: ${message(err)}` }];
  }
  const ROLLBACK = Symbol('rollback');
  try {
    // DDL is transactional: the probe table is created under the write lock, then rolled back.
    await db.transaction(async (tx) => {
      await tx.exec('CREATE TABLE permitwatch_doctor_probe (x INTEGER)');
      throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) return [{ check: 'database', status: 'fail', detail: `${where} is readable but not writable: ${message(err)}` }];
  }
  return [{ check: 'database', status: 'ok', detail: `${where} is reachable and writable (${db.kind})` }];
}

/** None pending (the server applies them at start), none unknown (a newer version wrote this database). */
export async function checkMigrations(db: Db, known: readonly Migration[]): Promise<CheckResult> {
  let applied: string[];
  try {
    const ledger = await db.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    applied = ledger ? (await db.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')).map((r) => r.id) : [];
  } catch (err) {
    return { check: 'migrations', status: 'fail', detail: `the migration ledger cannot be read: ${message(err)}` };
  }
  const knownIds = new Set(known.map((m) => m.id));
  const pending = known.map((m) => m.id).filter((id) => !applied.includes(id));
  const unknown = applied.filter((id) => !knownIds.has(id));
  if (unknown.length > 0)
    return {
      check: 'migrations',
      status: 'fail',
      detail: `${unknown.length} applied migration(s) this version does not know (${unknown.join(', ')}): the database was written by a newer permitwatch`,
    };
  if (pending.length > 0)
    return {
      check: 'migrations',
      status: 'warn',
      detail: `${pending.length} of ${known.length} pending (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', ...' : ''}): the server applies them when it starts`,
    };
  return { check: 'migrations', status: 'ok', detail: `all ${known.length} applied` };
}

export interface PortalProbe {
  origin: string;
  jurisdictions: string[];
}

/** The portal origins the catalog's jurisdictions are fetched from, after the overrides; each once. */
export function portalProbes(jurisdictions: readonly Jurisdiction[], baseUrlFor: (j: Jurisdiction) => string): PortalProbe[] {
  const byOrigin = new Map<string, string[]>();
  for (const j of jurisdictions) {
    const origin = new URL(baseUrlFor(j)).origin;
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), j.slug]);
  }
  return [...byOrigin].map(([origin, slugs]) => ({ origin, jurisdictions: slugs }));
}

/**
 * One HEAD per portal origin: any HTTP answer under 500 is reachable (a portal's root may well
 * be a 404 or 405); a 5xx is a warning; no answer within DOCTOR_PORTAL_TIMEOUT_MS is a failure.
 * The first portal `Date` header also measures this machine's clock.
 */
export async function checkPortals(
  probes: readonly PortalProbe[],
  clock: Clock,
  timeoutMs = DOCTOR_PORTAL_TIMEOUT_MS,
): Promise<CheckResult[]> {
  let skew: { origin: string; ms: number } | undefined;
  const results = await Promise.all(
    probes.map(async ({ origin, jurisdictions }): Promise<CheckResult> => {
      const check = `portal ${origin}`;
      const names =
        jurisdictions.length > 3
          ? `${jurisdictions.length} jurisdictions: ${jurisdictions.slice(0, 3).join(', ')}, ...`
          : jurisdictions.join(', ');
      const started = performance.now();
      try {
        const res = await request(`${origin}/`, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
        await res.body.dump();
        const ms = Math.round(performance.now() - started);
        const date = res.headers.date;
        if (typeof date === 'string' && !skew && !Number.isNaN(Date.parse(date))) {
          // The header is the second the portal answered in: compare it with the middle of the round trip.
          skew = { origin, ms: clock.now() - ms / 2 - Date.parse(date) };
        }
        const status: CheckStatus = res.statusCode >= 500 ? 'warn' : 'ok';
        return { check, status, detail: `HTTP ${res.statusCode} in ${ms} ms (${names})` };
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
        const why = timedOut ? `no answer within ${timeoutMs} ms` : message(err);
        return { check, status: 'fail', detail: `unreachable: ${why} (${names})` };
      }
    }),
  );
  return [...results, clockResult(skew)];
}

function clockResult(skew: { origin: string; ms: number } | undefined): CheckResult {
  if (!skew) return { check: 'clock', status: 'warn', detail: 'no portal answered with a Date header to compare with' };
  const off = Math.abs(skew.ms);
  const words = `${(off / 1000).toFixed(1)} s ${skew.ms >= 0 ? 'ahead of' : 'behind'} ${skew.origin}`;
  if (off >= CLOCK_SKEW_FAIL_MS)
    return { check: 'clock', status: 'fail', detail: `${words}: receivers refuse webhook timestamps this far off; sync the clock (NTP)` };
  if (off >= CLOCK_SKEW_WARN_MS) return { check: 'clock', status: 'warn', detail: `${words}: sync the clock (NTP)` };
  return { check: 'clock', status: 'ok', detail: words };
}

/** The webhook target guard: in force on this runtime, or switched off by configuration (a warning). */
export async function checkGuard(agent: Agent, allowPrivate: boolean): Promise<CheckResult> {
  if (allowPrivate)
    return {
      check: 'webhook target guard',
      status: 'warn',
      detail: 'off: PERMITWATCH_WEBHOOK_ALLOW_PRIVATE=true lets webhooks reach loopback and private addresses (development only)',
    };
  const guard = await checkTargetGuard(agent);
  return guard.ok
    ? { check: 'webhook target guard', status: 'ok', detail: 'refuses loopback, private and metadata targets on this runtime' }
    : { check: 'webhook target guard', status: 'fail', detail: guard.message };
}
