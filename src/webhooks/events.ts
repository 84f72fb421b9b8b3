import { z } from 'zod';
import { assertUnreachable } from '../lib/assert-unreachable.ts';
import type { ChangeKind } from '../permits/diff.ts';
import { Category, Fee, Inspection, StatusPhase } from '../permits/record.ts';

/**
 * The webhook events a subscription can ask for. The first five are SignedOff's
 * (reference/signedoff-api.txt, "Event types"), `permit.created` is PermitStack's,
 * `permit.status_changed`, `permit.fee_changed`, `permit.inspection_scheduled` and the two
 * watchlist events are Plotwise's (reference/plotwise-developers.txt, "Webhook Events"), and
 * `permit.changed` (every changed field with before/after) is ours.
 */
export const WEBHOOK_EVENTS = [
  'status_change',
  'inspection_complete',
  'permit_approved',
  'permit_denied',
  'corrections_required',
  'permit.created',
  'permit.fee_changed',
  'permit.inspection_scheduled',
  'permit.changed',
  'permit.status_changed',
  'permit.added_to_watchlist',
  'permit.removed_from_watchlist',
] as const;
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** The webhook event each diff() change becomes. */
export function eventForChange(kind: ChangeKind): WebhookEvent {
  switch (kind) {
    case 'permit_created':
      return 'permit.created';
    case 'status_change':
      return 'status_change';
    case 'permit_approved':
      return 'permit_approved';
    case 'permit_denied':
      return 'permit_denied';
    case 'corrections_required':
      return 'corrections_required';
    case 'inspection_complete':
      return 'inspection_complete';
    case 'inspection_scheduled':
      return 'permit.inspection_scheduled';
    case 'fee_change':
      return 'permit.fee_changed';
    default:
      return assertUnreachable(kind, 'change kind');
  }
}

/**
 * What every payload carries besides its event's own shape, so a receiver can deduplicate
 * (`delivery_id`, equal to the `webhook-id` header), order and detect gaps (`stream` + `version`,
 * which count 1, 2, 3... per permit in the event log).
 */
const Envelope = {
  delivery_id: z.string(),
  webhook_id: z.string(),
  stream: z.string().describe('permit/<jurisdiction>/<permit_number>'),
  version: z.number().int().min(1).describe('the permit stream version this delivery reports'),
};

/** SignedOff's payload shape: event, permit, jurisdiction, data, timestamp. */
const SignedOffShape = {
  permit_number: z.string(),
  jurisdiction: z.string(),
  jurisdiction_display: z.string(),
  timestamp: z.string(),
  ...Envelope,
};

const PhaseData = {
  old_status: z.string().nullable(),
  new_status: z.string().nullable(),
  portal_status: z.string().nullable(),
  old_phase: StatusPhase,
  new_phase: StatusPhase,
  changed_at: z.string(),
};

export const StatusChangePayload = z.object({
  event: z.literal('status_change'),
  ...SignedOffShape,
  data: z.object({
    old_status: z.string().nullable(),
    new_status: z.string().nullable(),
    old_portal_status: z.string().nullable(),
    new_portal_status: z.string().nullable(),
    old_phase: StatusPhase,
    new_phase: StatusPhase,
    changed_at: z.string(),
  }),
});
export const PermitApprovedPayload = z.object({ event: z.literal('permit_approved'), ...SignedOffShape, data: z.object(PhaseData) });
export const PermitDeniedPayload = z.object({ event: z.literal('permit_denied'), ...SignedOffShape, data: z.object(PhaseData) });
export const CorrectionsRequiredPayload = z.object({
  event: z.literal('corrections_required'),
  ...SignedOffShape,
  data: z.object({ portal_status: z.string().nullable(), status: z.string().nullable(), changed_at: z.string() }),
});
export const InspectionCompletePayload = z.object({
  event: z.literal('inspection_complete'),
  ...SignedOffShape,
  data: z.object({ inspection: Inspection, changed_at: z.string() }),
});

/**
 * PermitStack's `permit.created` (reference/permitstack-webhooks.txt, "Event payload"):
 * `delivered_at` and a flat permit under `data` with its documented fields, then ours
 * (`status_phase`, `jurisdiction_slug`, `jurisdiction_display`).
 */
export const PermitCreatedPayload = z.object({
  event: z.literal('permit.created'),
  delivered_at: z.string(),
  ...Envelope,
  data: z.object({
    id: z.uuid().describe("the permit's stable UUID (v5 of its stream): the same in every delivery, process and rebuild"),
    permit_number: z.string(),
    address: z.object({
      street: z.string().nullable(),
      city: z.string().nullable(),
      state: z.string().nullable(),
      zip: z.string().nullable(),
    }),
    category: Category,
    status: z.string().nullable(),
    description: z.string().nullable(),
    estimated_value: z.number().nullable(),
    date_filed: z.string().nullable(),
    date_issued: z.string().nullable(),
    jurisdiction: z.string().describe('the place, by name (PermitStack: "Los Angeles")'),
    status_phase: StatusPhase,
    jurisdiction_slug: z.string().describe('our jurisdiction slug, e.g. ladbs or socrata:chicago'),
    jurisdiction_display: z.string(),
  }),
});

/** Plotwise's shape: `timestamp` and `data.permit_uuid`. */
const PlotwiseShape = { timestamp: z.string(), ...Envelope };
/** How Plotwise names the permit in `data`: a stable id (ours: the permit's stream) and its number. */
const PlotwisePermit = {
  permit_uuid: z.string().describe('the permit stream, permit/<jurisdiction>/<permit_number>'),
  permit_number: z.string(),
  jurisdiction: z.string(),
};

/**
 * Plotwise's `permit.status_changed` (its documented example: `data.permit_number`,
 * `previous_status`, `new_status`), plus our verbatim portal statuses and phases. Sent beside
 * SignedOff's `status_change` for the same change, to whoever asks for it.
 */
export const StatusChangedPayload = z.object({
  event: z.literal('permit.status_changed'),
  ...PlotwiseShape,
  data: z.object({
    ...PlotwisePermit,
    previous_status: z.string().nullable(),
    new_status: z.string().nullable(),
    previous_portal_status: z.string().nullable(),
    new_portal_status: z.string().nullable(),
    previous_phase: StatusPhase,
    new_phase: StatusPhase,
    changed_at: z.string(),
  }),
});

/**
 * Plotwise's watchlist events ("Permit tracked" / "untracked"), sent only to the watching key's
 * subscriptions. `stream` and `version` in the envelope are the watch's stream (`watch/<id>`).
 */
export const AddedToWatchlistPayload = z.object({
  event: z.literal('permit.added_to_watchlist'),
  ...PlotwiseShape,
  data: z.object({
    ...PlotwisePermit,
    watch_id: z.string(),
    label: z.string().nullable(),
    note: z.string().nullable(),
    status: z.string().nullable().describe("the permit's status when it was watched"),
    status_phase: StatusPhase.nullable(),
  }),
});
export const RemovedFromWatchlistPayload = z.object({
  event: z.literal('permit.removed_from_watchlist'),
  ...PlotwiseShape,
  data: z.object({ ...PlotwisePermit, watch_id: z.string() }),
});
export const FeeChangedPayload = z.object({
  event: z.literal('permit.fee_changed'),
  ...PlotwiseShape,
  data: z.object({
    permit_uuid: z.string(),
    permit_number: z.string(),
    jurisdiction: z.string(),
    fees_before: z.array(Fee),
    fees_after: z.array(Fee),
  }),
});
export const InspectionScheduledPayload = z.object({
  event: z.literal('permit.inspection_scheduled'),
  ...PlotwiseShape,
  data: z.object({ permit_uuid: z.string(), permit_number: z.string(), jurisdiction: z.string(), inspection: Inspection }),
});
export const PermitChangedPayload = z.object({
  event: z.literal('permit.changed'),
  ...SignedOffShape,
  data: z.object({
    changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
    changed_at: z.string(),
  }),
});

/** The reachability ping of `/test` (SignedOff's `event: "test"`, PermitStack's `permit.test`). */
export const TestPayload = z.object({
  event: z.literal('test'),
  webhook_id: z.string(),
  delivery_id: z.string(),
  timestamp: z.string(),
  message: z.string(),
});

export const WEBHOOK_PAYLOAD_SCHEMAS = {
  status_change: StatusChangePayload,
  inspection_complete: InspectionCompletePayload,
  permit_approved: PermitApprovedPayload,
  permit_denied: PermitDeniedPayload,
  corrections_required: CorrectionsRequiredPayload,
  'permit.created': PermitCreatedPayload,
  'permit.fee_changed': FeeChangedPayload,
  'permit.inspection_scheduled': InspectionScheduledPayload,
  'permit.changed': PermitChangedPayload,
  'permit.status_changed': StatusChangedPayload,
  'permit.added_to_watchlist': AddedToWatchlistPayload,
  'permit.removed_from_watchlist': RemovedFromWatchlistPayload,
} as const satisfies Record<WebhookEvent, z.ZodType>;
