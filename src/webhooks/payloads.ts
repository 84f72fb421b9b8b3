import type { PermitObservedFacts } from '../events/decode.ts';
import { WATCH_ADDED, WATCH_REMOVED, WATCH_UPDATED, type WatchFacts } from '../events/watch.ts';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import { changedFields } from '../permits/changed-fields.ts';
import type { Change } from '../permits/diff.ts';
import type { PermitRecord } from '../permits/record.ts';
import { permitId } from '../events/permit-id.ts';
import type { Catalog } from '../jurisdictions/catalog.ts';
import { eventForChange, type WebhookEvent } from './events.ts';

/** A payload before it is addressed: everything but `delivery_id` and `webhook_id`. */
export interface DraftPayload {
  event: WebhookEvent;
  body: Record<string, unknown>;
}

export interface PayloadContext {
  /** The previous record of the stream, null on its first event. */
  prev: PermitRecord | null;
  changes: readonly Change[];
  displayName: (slug: string) => string;
  /** The place a jurisdiction serves, by name ("Los Angeles"): PermitStack's `data.jurisdiction`. */
  placeName: (slug: string) => string;
}

/** How payloads name a catalog's jurisdictions: its display name, and its city as PermitStack's place; the slug when unknown. */
export function payloadNames(catalog: Pick<Catalog, 'get'>): Pick<PayloadContext, 'displayName' | 'placeName'> {
  return {
    displayName: (slug) => catalog.get(slug)?.display_name ?? slug,
    placeName: (slug) => catalog.get(slug)?.city ?? slug,
  };
}

/**
 * The webhook payloads one logged observation gives, in diff() order, then `permit.changed`
 * (every changed field) for any event after a stream's first. Pure: the time in a payload is
 * the observation's `observed_at`, so the same event always yields the same bodies.
 */
export function draftPayloads(event: PermitObservedFacts, ctx: PayloadContext): DraftPayload[] {
  const record = event.data.record;
  const at = event.data.observed_at;
  const signedOff = {
    permit_number: record.permit_number,
    jurisdiction: record.jurisdiction,
    jurisdiction_display: ctx.displayName(record.jurisdiction),
  };
  const ids = { stream: event.stream, version: event.version };
  const drafts: DraftPayload[] = [];
  for (const change of ctx.changes) {
    const name = eventForChange(change.kind);
    drafts.push({ event: name, body: { event: name, ...eventFields(change, event, ctx, signedOff), ...ids } });
    // Plotwise names the same change permit.status_changed, with its own payload.
    if (change.kind === 'status_change') {
      const data = {
        ...plotwisePermit(event),
        previous_status: change.old_status,
        new_status: change.new_status,
        previous_portal_status: change.old_portal_status,
        new_portal_status: change.new_portal_status,
        previous_phase: change.old_phase,
        new_phase: change.new_phase,
        changed_at: at,
      };
      drafts.push({ event: 'permit.status_changed', body: { event: 'permit.status_changed', timestamp: at, data, ...ids } });
    }
  }
  if (ctx.prev) {
    const changes = changedFields(ctx.prev, record);
    if (changes.length > 0) {
      drafts.push({
        event: 'permit.changed',
        body: { event: 'permit.changed', ...signedOff, data: { changes, changed_at: at }, timestamp: at, ...ids },
      });
    }
  }
  return drafts;
}

type SignedOffFields = { permit_number: string; jurisdiction: string; jurisdiction_display: string };

/** The event-specific part of a payload for one change. */
function eventFields(change: Change, event: PermitObservedFacts, ctx: PayloadContext, so: SignedOffFields): Record<string, unknown> {
  const { prev } = ctx;
  const record = event.data.record;
  const at = event.data.observed_at;
  const plotwise = plotwisePermit(event);
  switch (change.kind) {
    case 'status_change':
      return {
        ...so,
        data: {
          old_status: change.old_status,
          new_status: change.new_status,
          old_portal_status: change.old_portal_status,
          new_portal_status: change.new_portal_status,
          old_phase: change.old_phase,
          new_phase: change.new_phase,
          changed_at: at,
        },
        timestamp: at,
      };
    case 'permit_approved':
    case 'permit_denied':
      return {
        ...so,
        data: {
          old_status: prev?.status ?? null,
          new_status: record.status,
          portal_status: change.portal_status,
          old_phase: change.old_phase,
          new_phase: change.new_phase,
          changed_at: at,
        },
        timestamp: at,
      };
    case 'corrections_required':
      return { ...so, data: { portal_status: change.portal_status, status: record.status, changed_at: at }, timestamp: at };
    case 'inspection_complete':
      return { ...so, data: { inspection: change.inspection, changed_at: at }, timestamp: at };
    case 'permit_created':
      return {
        delivered_at: at,
        // PermitStack's documented fields first, then ours beside them.
        data: {
          id: permitId(event.stream),
          permit_number: record.permit_number,
          address: record.address,
          category: record.category,
          status: record.status,
          description: record.work_description,
          estimated_value: record.valuation,
          date_filed: record.dates.applied,
          date_issued: record.dates.issued,
          jurisdiction: ctx.placeName(record.jurisdiction),
          status_phase: record.status_phase,
          jurisdiction_slug: record.jurisdiction,
          jurisdiction_display: so.jurisdiction_display,
        },
      };
    case 'fee_change':
      return { timestamp: at, data: { ...plotwise, fees_before: change.before, fees_after: change.after } };
    case 'inspection_scheduled':
      return { timestamp: at, data: { ...plotwise, inspection: change.inspection } };
    default:
      return assertUnreachable(change, 'change');
  }
}

/** Plotwise names the permit by a stable id; ours is the stream. */
function plotwisePermit(event: PermitObservedFacts) {
  const record = event.data.record;
  return { permit_uuid: event.stream, permit_number: record.permit_number, jurisdiction: record.jurisdiction };
}

/**
 * The payload of a watch event: `permit.added_to_watchlist` (with the permit's status at that
 * moment, from `current`, the permits read model's record) or `permit.removed_from_watchlist`;
 * a relabelling has none. Pure: its time is the watch event's `at`.
 */
export function draftWatchPayload(event: WatchFacts, current: PermitRecord | undefined): DraftPayload | null {
  const ids = { stream: event.stream, version: event.version };
  switch (event.type) {
    case WATCH_ADDED: {
      const d = event.data;
      const data = {
        permit_uuid: d.stream,
        permit_number: d.permit_number,
        jurisdiction: d.jurisdiction,
        watch_id: d.watch_id,
        label: d.label,
        note: d.note,
        status: current?.status ?? null,
        status_phase: current?.status_phase ?? null,
      };
      return { event: 'permit.added_to_watchlist', body: { event: 'permit.added_to_watchlist', timestamp: d.at, data, ...ids } };
    }
    case WATCH_REMOVED: {
      const d = event.data;
      const data = { permit_uuid: d.stream, permit_number: d.permit_number, jurisdiction: d.jurisdiction, watch_id: d.watch_id };
      return { event: 'permit.removed_from_watchlist', body: { event: 'permit.removed_from_watchlist', timestamp: d.at, data, ...ids } };
    }
    case WATCH_UPDATED:
      return null;
    default:
      return assertUnreachable(event, 'watch event');
  }
}

/** The exact body text that is signed, stored and POSTed: addressed draft, compact JSON. */
export function addressPayload(draft: DraftPayload, webhookId: string, deliveryId: string): string {
  return JSON.stringify({ ...draft.body, delivery_id: deliveryId, webhook_id: webhookId });
}
