import { z } from 'zod';
import { PermitRecord } from '../permits/record.ts';

export const PERMIT_OBSERVED = 'permit.observed';
/**
 * Bump with an upcaster in upcast.ts when the payload's shape changes.
 * v1: the first record. v2: `conditions[].date`, `contacts[].license_class` (issue 20).
 * v3: the optional `trade_valuations` (issue 20, Austin's trade valuations).
 * v4: `latitude` and `longitude` (issue 18, search near a point).
 * v5: the optional `backfill` mark (issue 18, feeds).
 */
export const PERMIT_OBSERVED_SCHEMA_VERSION = 5;

/**
 * The one fact Permitwatch stores: what a portal or feed showed for a permit at a moment.
 * The record is nested (not spread beside the observation fields) so a future record field can
 * never collide with `source` or `observed_at`.
 */
export const PermitObservedData = z.object({
  record: PermitRecord,
  observed_at: z.iso.datetime(),
  source: z.enum(['portal', 'feed']),
  source_url: z.string(),
  content_hash: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * Set on what a feed's first sync of a jurisdiction read (its backfill window): history, for
   * which PermitStack sends no webhook ("webhooks fire for new permits going forward only"). In
   * the event, so a rebuild sees the same mark.
   */
  backfill: z.literal(true).optional(),
});
export type PermitObservedData = z.infer<typeof PermitObservedData>;

export const PermitObservedMeta = z.object({
  adapter: z.string(),
  adapter_version: z.string(),
  request_id: z.string().nullable(),
  fetch_ms: z.number().nullable(),
  /** Where the bytes actually came from when a base-URL override (mirror, fixture portal) was in force. */
  fetched_url: z.string().optional(),
});
export type PermitObservedMeta = z.infer<typeof PermitObservedMeta>;

/** `permit/<jurisdiction>/<permit_number>` (DESIGN.md §3). */
export function permitStream(jurisdiction: string, permitNumber: string): string {
  return `permit/${jurisdiction}/${permitNumber}`;
}
