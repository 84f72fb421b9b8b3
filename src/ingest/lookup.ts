import type { Logger } from 'pino';
import type { UnavailableCause } from '../jurisdictions/unavailable-cause.ts';
import type { Db } from '../db/db.ts';
import { permitStream } from '../events/permit-observed.ts';
import type { HttpClient } from '../http/client.ts';
import type { PlatformAdapter } from '../jurisdictions/adapter.ts';
import { AdapterError } from '../jurisdictions/adapter-error.ts';
import type { Catalog } from '../jurisdictions/catalog.ts';
import type { Jurisdiction } from '../jurisdictions/jurisdiction.ts';
import { matchJurisdictions } from '../jurisdictions/match.ts';
import type { Clock } from '../lib/clock.ts';
import type { Metrics } from '../metrics/registry.ts';
import { createSingleFlight } from '../lib/single-flight.ts';
import { createPermitReader, type PermitRow } from '../projections/permits.ts';
import type { Projector } from '../projections/projector.ts';
import { createAgeReader } from './freshness.ts';
import { createObserveQueue } from './observe-queue.ts';
import { portalSourceUrl } from './source-url.ts';

/** When a portal gives no Retry-After, this is how long we tell clients to wait. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** `stale_because` of a held permit the portal now says it does not know: the portal answered, so not an outage. */
export const NO_SUCH_PERMIT_ANSWER = 'portal reports no such permit';

export type ResolveResult =
  | { ok: true; jurisdiction: Jurisdiction }
  | { ok: false; reason: 'jurisdiction_not_supported'; message: string }
  | { ok: false; reason: 'multiple_jurisdictions'; candidates: Jurisdiction[] };

export type LookupResult =
  | {
      ok: true;
      source: 'cached' | 'live';
      row: PermitRow;
      jurisdiction: Jurisdiction;
      age_seconds: number;
      stale_because?: string;
      /** Live only: whether this observation appended an event (the record changed). */
      changed?: boolean;
    }
  | Extract<ResolveResult, { ok: false }>
  | { ok: false; reason: 'permit_not_found'; jurisdiction: Jurisdiction }
  | {
      ok: false;
      reason: 'jurisdiction_unavailable';
      jurisdiction: Jurisdiction;
      retry_after_seconds: number;
      /** The cause class (jurisdictions/unavailable-cause.ts), also named in `message`. */
      cause: UnavailableCause;
      message: string;
    }
  /** The caller's signal aborted before the portal answered: nobody waits for this lookup any more. */
  | { ok: false; reason: 'cancelled'; jurisdiction: Jurisdiction };

export interface LookupInput {
  permitNumber: string;
  jurisdiction?: string;
  forceRefresh?: boolean;
  requestId?: string;
  /**
   * The API key looking: it may see this permit from now on (its webhooks hear about it), and a
   * portal host's queue serves keys in turn. Without one (CLI, demo seeding) the lookup queues as
   * the background tenant and records no viewer.
   */
  viewer?: string;
  /**
   * Aborts when the caller gives up (its request closed, a batch's deadline): the portal fetch
   * leaves its host's queue or is cut off, unless another caller still waits for the same permit.
   * A function is called only if the lookup goes to the portal (a web request builds its signal
   * on first read, which a cached lookup need not pay for).
   */
  signal?: AbortSignal | (() => AbortSignal);
}

export interface LookupDeps {
  db: Db;
  projector: Projector;
  catalog: Catalog;
  adapters: Readonly<Record<string, PlatformAdapter>>;
  http: HttpClient;
  clock: Clock;
  log: Logger;
  cacheTtlSeconds: number;
  /** slug → base URL (mirror, proxy, fixture portal); `*` covers every slug not named. */
  portalOverrides: Readonly<Record<string, string>>;
  /** Counts lookups by outcome and portal fetches by outcome (Prometheus /metrics). */
  metrics?: Pick<Metrics, 'lookup' | 'portalFetch'>;
  /** Label for the metrics: which data plane this service serves. */
  plane?: string;
  /**
   * Told which key looked up which permit, once the number resolves to a stream and before
   * any fetch, so the observation a live lookup appends already reaches that key's webhooks
   * (webhooks/visibility.ts). A lookup without a viewer (CLI, demo seeding) records nothing.
   */
  recordViewer?: (viewer: string, stream: string) => Promise<void>;
}

export interface LookupService {
  resolve(permitNumber: string, jurisdictionSlug?: string): Promise<ResolveResult>;
  lookup(input: LookupInput): Promise<LookupResult>;
  /** Where a jurisdiction's requests go: its override, the `*` override, or its own base URL. */
  baseUrlFor(j: Jurisdiction): string;
}

/** Where a jurisdiction's portal is fetched: its override, else the `*` override, else its own base URL. */
export function portalBaseUrl(j: Jurisdiction, overrides: Readonly<Record<string, string>>): string {
  return overrides[j.slug] ?? overrides['*'] ?? j.base_url;
}

/**
 * Cached or live (DESIGN.md §1): a permit checked within the cache window is answered from the
 * projection; otherwise the adapter fetches the portal and `observe` appends what changed.
 * Concurrent lookups of one permit share one fetch (single flight); the stream's version check
 * covers other processes.
 */
export function createLookupService(deps: LookupDeps): LookupService {
  const flights = createSingleFlight<LookupResult>();
  const permits = createPermitReader(deps.db);
  const ageSeconds = createAgeReader();
  const observe = createObserveQueue(deps.db, deps.projector);

  const baseUrlFor = (j: Jurisdiction) => portalBaseUrl(j, deps.portalOverrides);

  async function resolve(permitNumber: string, slug?: string): Promise<ResolveResult> {
    if (slug !== undefined) {
      const j = deps.catalog.get(slug);
      return j
        ? { ok: true, jurisdiction: j }
        : { ok: false, reason: 'jurisdiction_not_supported', message: `unknown jurisdiction "${slug}"` };
    }
    // A permit once found under a jurisdiction resolves there without the parameter (reference).
    const known = (await permits.jurisdictionsOf(permitNumber)).map((s) => deps.catalog.get(s)).filter((j): j is Jurisdiction => !!j);
    if (known.length === 1) return { ok: true, jurisdiction: known[0]! };
    const candidates = known.length > 1 ? known : matchJurisdictions(deps.catalog, permitNumber);
    if (candidates.length === 0) {
      return {
        ok: false,
        reason: 'jurisdiction_not_supported',
        message: `no supported jurisdiction uses permit numbers like "${permitNumber}"`,
      };
    }
    if (candidates.length > 1) return { ok: false, reason: 'multiple_jurisdictions', candidates };
    return { ok: true, jurisdiction: candidates[0]! };
  }

  function cachedResult(row: PermitRow, j: Jurisdiction, stale_because?: string): LookupResult {
    return {
      ok: true,
      source: 'cached',
      row,
      jurisdiction: j,
      age_seconds: ageSeconds(row.last_checked_at, deps.clock.now()) ?? 0,
      stale_because,
    };
  }

  async function fetchLive(
    j: Jurisdiction,
    permitNumber: string,
    requestId: string | undefined,
    caller: { tenant: string | undefined; signal: AbortSignal },
  ): Promise<LookupResult> {
    const adapter = deps.adapters[j.platform];
    const stream = permitStream(j.slug, permitNumber);
    if (!adapter) {
      return {
        ok: false,
        reason: 'jurisdiction_unavailable',
        jurisdiction: j,
        retry_after_seconds: DEFAULT_RETRY_AFTER_SECONDS,
        cause: 'no_adapter',
        message: `${j.display_name} is unavailable (no_adapter): this build has no adapter for platform ${j.platform}`,
      };
    }
    const log = deps.log.child({ jurisdiction: j.slug, permit_number: permitNumber, request_id: requestId });
    // Every fetch the adapter makes carries the caller: its turn in the host's queue, its signal.
    const http: HttpClient = { ...deps.http, fetch: (req) => deps.http.fetch({ ...req, tenant: caller.tenant, signal: caller.signal }) };
    let fetched;
    const started = performance.now();
    try {
      fetched = await adapter.lookup(permitNumber, { jurisdiction: j, baseUrl: baseUrlFor(j), http, log });
      deps.metrics?.portalFetch(j.slug, fetched.found ? 'found' : 'not_found', (performance.now() - started) / 1000);
    } catch (err) {
      if (!(err instanceof AdapterError)) throw err;
      if (caller.signal.aborted) {
        deps.metrics?.portalFetch(j.slug, 'cancelled', (performance.now() - started) / 1000);
        return { ok: false, reason: 'cancelled', jurisdiction: j };
      }
      deps.metrics?.portalFetch(j.slug, err.reason, (performance.now() - started) / 1000);
      log.warn({ reason: err.reason, url: err.url, err: err.message }, 'portal fetch failed');
      const cached = await permits.row(stream);
      // A portal outage must not hide what we already know: serve it with its true age.
      if (cached) return cachedResult(cached, j, `portal ${err.causeClass}: ${err.message}`);
      return {
        ok: false,
        reason: 'jurisdiction_unavailable',
        jurisdiction: j,
        retry_after_seconds: err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
        cause: err.causeClass,
        message: `${j.display_name} portal is temporarily unavailable (${err.causeClass})`,
      };
    }
    if (!fetched.found) {
      // A permit the log already holds does not vanish because one answer says so: permits are
      // not deleted from portals, so it is served as known, with its true age and the reason.
      const known = await permits.row(stream);
      if (known) {
        log.warn({ url: fetched.source_url }, 'portal reports no such permit for a permit already held');
        return cachedResult(known, j, NO_SUCH_PERMIT_ANSWER);
      }
      return { ok: false, reason: 'permit_not_found', jurisdiction: j };
    }
    const { record, fetch_ms } = fetched.observation;
    const fetchedUrl = fetched.observation.source_url;
    const source_url = portalSourceUrl(fetchedUrl, baseUrlFor(j), j.base_url);
    const observed = await observe({
      record,
      source: 'portal',
      source_url,
      observedAt: new Date(deps.clock.now()).toISOString(),
      meta: {
        adapter: adapter.platform,
        adapter_version: adapter.version,
        request_id: requestId ?? null,
        fetch_ms: Math.round(fetch_ms),
        fetched_url: fetchedUrl,
      },
    });
    // observe() committed, so the cache reloads the row (and keeps it for the next cached lookup).
    const row = await permits.row(observed.stream);
    if (!row) throw new Error(`projection has no row for ${observed.stream} after observe`);
    return { ok: true, source: 'live', row, jurisdiction: j, age_seconds: 0, changed: observed.appended };
  }

  return {
    resolve,
    baseUrlFor,
    async lookup(input) {
      const result = await lookupOnce(input);
      deps.metrics?.lookup(deps.plane ?? 'live', result.ok ? result.source : result.reason);
      return result;
    },
  };

  async function lookupOnce({
    permitNumber,
    jurisdiction,
    forceRefresh = false,
    requestId,
    viewer,
    signal,
  }: LookupInput): Promise<LookupResult> {
    const resolved = await resolve(permitNumber, jurisdiction);
    if (!resolved.ok) return resolved;
    const j = resolved.jurisdiction;
    const stream = permitStream(j.slug, permitNumber);
    if (viewer !== undefined) await deps.recordViewer?.(viewer, stream);
    if (!forceRefresh) {
      const row = await permits.row(stream);
      const age = row ? ageSeconds(row.last_checked_at, deps.clock.now()) : null;
      if (row && age !== null && age < deps.cacheTtlSeconds) return cachedResult(row, j);
    }
    const callerSignal = typeof signal === 'function' ? signal() : signal;
    try {
      return await flights.run(stream, (shared) => fetchLive(j, permitNumber, requestId, { tenant: viewer, signal: shared }), callerSignal);
    } catch (err) {
      // This caller gave up; the shared fetch goes on while another caller still waits for it.
      if (callerSignal?.aborted) return { ok: false, reason: 'cancelled', jurisdiction: j };
      throw err;
    }
  }
}
