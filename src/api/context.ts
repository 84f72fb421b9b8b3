import type { Db } from '../db/db.ts';
import type { ApiKey } from '../accounts/keys.ts';
import type { Plan } from '../accounts/plans.ts';
import type { HttpHealth } from '../http/client.ts';
import type { Catalog } from '../jurisdictions/catalog.ts';
import type { LookupService } from '../ingest/lookup.ts';
import type { Meter } from './metering.ts';
import type { ResponseHeaders } from './response-headers.ts';

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
}

/** Who is calling, as the auth middleware decided. */
export type Caller = { kind: 'key'; key: ApiKey; plan: Plan } | { kind: 'anonymous' };

export type AppEnv = {
  Variables: {
    requestId: string;
    /** Headers every answer to this request carries (response-headers.ts). */
    responseHeaders: ResponseHeaders;
    caller: Caller;
    plane: DataPlane;
    meter: Meter;
  };
};
