import type { Logger } from 'pino';
import type { PermitRecord } from '../permits/record.ts';
import type { HttpClient } from '../http/client.ts';
import type { Jurisdiction } from './jurisdiction.ts';

/** What an adapter is handed for one call: it fetches through `http` and never touches the store. */
export interface AdapterContext {
  jurisdiction: Jurisdiction;
  /** The base URL to fetch from: the jurisdiction's own, or an override (mirror, fixture portal). */
  baseUrl: string;
  http: HttpClient;
  log: Logger;
}

/** One fetched and parsed record, with where it came from. */
export interface Observation {
  record: PermitRecord;
  source_url: string;
  fetch_ms: number;
}

export type AdapterLookup = { found: true; observation: Observation } | { found: false; reason: 'not_found'; source_url: string };

/**
 * The result of parsing one saved page: a record; the portal's own "no such record"; or
 * `bad_response`, a page that is not a whole detail page (cut, an error or login page, a table
 * of the wrong shape), which must never be stored nor read as a missing permit.
 */
export type ParseResult =
  | { found: true; record: PermitRecord }
  | { found: false; reason: 'not_found' }
  | { found: false; reason: 'bad_response'; message: string };

/** The port every platform implements (DESIGN.md §6). Adapters are typed constants in their folder. */
export interface PlatformAdapter {
  platform: string;
  /** Bumped when parsing changes, stored in each event's meta so drift can be traced. */
  version: string;
  lookup(permitNumber: string, ctx: AdapterContext): Promise<AdapterLookup>;
  /** Parses a saved page or response body (the `permitwatch parse` command and the tests). */
  parse(body: string, input: { jurisdiction: Jurisdiction; permitNumber?: string }): ParseResult;
  changedSince?(since: Date, ctx: AdapterContext): AsyncIterable<Observation>;
}
