import type { Db } from '../db/db.ts';
import type { ApiKey } from '../accounts/keys.ts';
import type { Charge } from '../accounts/meter.ts';
import type { Plan } from '../accounts/plans.ts';
import type { HttpHealth } from '../http/client.ts';
import type { Catalog } from '../jurisdictions/catalog.ts';
import type { LookupService } from '../ingest/lookup.ts';
import type { WatchWriter } from '../watchlist/write.ts';
import type { Context } from 'hono';

/**
 * A set of permit data a request is served from. Real keys see `live`; anonymous callers and
 * sandbox keys see `demo`, a separate database, so the two never mix.
 */
export interface DataPlane {
  name: 'live' | 'demo';
  db: Db;
  lookup: LookupService;
  catalog: Catalog;
  /** Per-host fetch health of this process's HTTP client (in memory, since start-up). */
  http: HttpHealth;
  /** The watch write path of this plane's database (issue 17). */
  watches: WatchWriter;
}

/** Who is calling, as the auth middleware decided. */
export type Caller = { kind: 'key'; key: ApiKey; plan: Plan } | { kind: 'anonymous' };

export type AppEnv = {
  Variables: {
    /** Set by hono/request-id: the caller's safe X-Request-Id, else a fresh UUID. */
    requestId: string;
    caller: Caller;
    plane: DataPlane;
    meter: Meter;
    /** What the meter charged this request, until it is refunded (metering.ts). */
    charged: { charge: Charge; remaining: number } | undefined;
    /** Set by `markUnanswered`: the call failed though its HTTP status is not a 5xx (metering.ts). */
    unanswered: boolean | undefined;
  };
};

/**
 * Charges a metered request to the caller the auth middleware decided (metering.ts makes it);
 * `refund` gives back what this request was charged, for `units` of it (all by default).
 */
export type Meter = ((c: Context<AppEnv>, charge: { cost: number; forceRefresh: boolean }) => Promise<void>) & {
  refund(c: Context<AppEnv>, units?: number): Promise<void>;
};
