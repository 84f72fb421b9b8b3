import type { Db, Queryable } from '../db/db.ts';

export interface HostShare {
  /** Hosts this worker holds now (renewed). */
  held: string[];
  /** Held hosts beyond this worker's fair share: stop their work, then `releaseHost` them. */
  surplus: string[];
}

export interface ShareRequest {
  worker: string;
  /** Hosts that have permits to check. */
  hosts: readonly string[];
  nowMs: number;
  leaseMs: number;
  /**
   * `fair`: a long-running worker announces itself and holds at most its share of the hosts
   * (hosts ÷ live workers, rounded up). `free`: a one-off pass takes only hosts nobody holds,
   * without announcing itself, so running workers keep theirs.
   */
  mode: 'fair' | 'free';
}

async function heartbeat(tx: Queryable, worker: string, nowMs: number, leaseMs: number): Promise<number> {
  await tx.run('DELETE FROM sync_workers WHERE seen_until < ?', [nowMs]);
  await tx.run(
    'INSERT INTO sync_workers (worker, seen_until) VALUES (?, ?) ON CONFLICT(worker) DO UPDATE SET seen_until = excluded.seen_until',
    [worker, nowMs + leaseMs],
  );
  const row = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_workers');
  return row?.n ?? 1;
}

/**
 * Renews this worker's host leases and takes free hosts up to its share, in one transaction.
 * A host is checked by one worker at a time, through that worker's host queue, so the catalog's
 * politeness budget for the host holds however many processes run; a dead worker's hosts are
 * free once their lease lapses. Hosts no longer listed are let go.
 */
export function shareHosts(db: Db, r: ShareRequest): Promise<HostShare> {
  return db.transaction(async (tx) => {
    const workers = r.mode === 'fair' ? await heartbeat(tx, r.worker, r.nowMs, r.leaseMs) : 1;
    const wanted = new Set(r.hosts);
    const rows = await tx.all<{ host: string; lease_owner: string | null; lease_until: number | null }>(
      'SELECT host, lease_owner, lease_until FROM sync_hosts',
    );
    const known = new Map(rows.map((row) => [row.host, row]));
    const mine = rows.filter((row) => row.lease_owner === r.worker && wanted.has(row.host)).map((row) => row.host);
    for (const row of rows) {
      if (row.lease_owner === r.worker && !wanted.has(row.host)) await releaseHost(tx, r.worker, row.host);
    }
    const share = r.mode === 'fair' ? Math.ceil(wanted.size / workers) : wanted.size;
    for (const host of [...wanted].sort()) {
      if (mine.length >= share) break;
      const row = known.get(host);
      if (row?.lease_owner === r.worker) continue;
      if (row && row.lease_owner !== null && (row.lease_until ?? 0) >= r.nowMs) continue;
      mine.push(host);
    }
    for (const host of mine) {
      await tx.run(
        `INSERT INTO sync_hosts (host, lease_owner, lease_until) VALUES (?, ?, ?)
         ON CONFLICT(host) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until`,
        [host, r.worker, r.nowMs + r.leaseMs],
      );
    }
    return { held: mine, surplus: mine.slice(share) };
  });
}

/** Lets a host go at once (its work stopped), so another worker need not wait out the lease. */
export async function releaseHost(db: Queryable, worker: string, host: string): Promise<void> {
  await db.run('UPDATE sync_hosts SET lease_owner = NULL, lease_until = NULL WHERE host = ? AND lease_owner = ?', [host, worker]);
}

/** A stopping worker leaves: its hosts are free now and it no longer counts in the shares. */
export async function leaveHosts(db: Db, worker: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('UPDATE sync_hosts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?', [worker]);
    await tx.run('DELETE FROM sync_workers WHERE worker = ?', [worker]);
  });
}
