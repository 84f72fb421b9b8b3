import { assertUnreachable } from '../lib/assert-unreachable.ts';
import { canonicalJson } from './content-hash.ts';
import { phaseGroup } from './phases.ts';
import type { Fee, Inspection, PermitRecord, StatusPhase } from './record.ts';

/**
 * What one observation changed. Names and meanings follow the webhook events of
 * reference/signedoff-api.txt (status_change, inspection_complete, permit_approved,
 * permit_denied, corrections_required) and reference/plotwise-developers.txt
 * (permit.fee_changed, permit.inspection_scheduled).
 */
export type Change =
  | { kind: 'permit_created' }
  | {
      kind: 'status_change';
      old_status: string | null;
      new_status: string | null;
      old_portal_status: string | null;
      new_portal_status: string | null;
      old_phase: StatusPhase;
      new_phase: StatusPhase;
    }
  | { kind: 'permit_approved'; old_phase: StatusPhase; new_phase: StatusPhase; portal_status: string | null }
  | { kind: 'permit_denied'; old_phase: StatusPhase; new_phase: StatusPhase; portal_status: string | null }
  | { kind: 'corrections_required'; portal_status: string | null }
  | { kind: 'inspection_complete'; inspection: Inspection }
  | { kind: 'inspection_scheduled'; inspection: Inspection }
  | { kind: 'fee_change'; before: Fee[]; after: Fee[] };

export type ChangeKind = Change['kind'];

/** Every kind, in the order diff() emits them. */
export const CHANGE_KINDS = [
  'permit_created',
  'status_change',
  'permit_approved',
  'permit_denied',
  'corrections_required',
  'inspection_complete',
  'inspection_scheduled',
  'fee_change',
] as const satisfies readonly ChangeKind[];

/**
 * The changes between two observations of one permit. Output order is fixed: status_change;
 * then at most one of permit_approved / permit_denied / corrections_required; then
 * inspection_complete and inspection_scheduled in the order of `next.inspections`; then
 * fee_change.
 *
 * - `prev === null` (first sighting) gives only permit_created: a permit first seen issued has
 *   not just been approved, as far as we know.
 * - status_change: `portal_status` differs verbatim (a display-only or phase-only change is not one).
 * - permit_approved / permit_denied / corrections_required fire when the phase enters that group
 *   (phases.ts) from another, whether or not the verbatim status changed. Moves inside a group
 *   fire nothing: issued → inspections → closed (finaled) is one approval, expired → withdrawn
 *   one denial. Leaving a group and coming back fires again (issued → corrections → issued is
 *   a re-approval), and so does passing through `unknown`: an unmapped status is logged and
 *   fixed in the mapping table, and a repeated approval is cheaper than a missed one.
 * - inspections are matched by type + date + result, as multisets, so reordering is no change;
 *   a pending inspection that completes has a new result, so it is a new completed one.
 *   Pending and scheduled count as one state: pending ↔ scheduled is no event.
 * - fee_change: the fee lists differ as multisets (reordering alone is no change).
 */
export function diff(prev: PermitRecord | null, next: PermitRecord): Change[] {
  if (prev === null) return [{ kind: 'permit_created' }];
  const changes: Change[] = [];
  if (prev.portal_status !== next.portal_status) {
    changes.push({
      kind: 'status_change',
      old_status: prev.status,
      new_status: next.status,
      old_portal_status: prev.portal_status,
      new_portal_status: next.portal_status,
      old_phase: prev.status_phase,
      new_phase: next.status_phase,
    });
  }
  const entered = phaseEntered(prev, next);
  if (entered) changes.push(entered);
  for (const inspection of added(prev.inspections, next.inspections, 'completed')) {
    changes.push({ kind: 'inspection_complete', inspection });
  }
  for (const inspection of added(prev.inspections, next.inspections, 'upcoming')) {
    changes.push({ kind: 'inspection_scheduled', inspection });
  }
  if (!sameMultiset(prev.fees.map(canonicalJson), next.fees.map(canonicalJson))) {
    changes.push({ kind: 'fee_change', before: prev.fees, after: next.fees });
  }
  return changes;
}

/** The approval, denial or corrections change when the phase enters that group, else null. */
function phaseEntered(prev: PermitRecord, next: PermitRecord): Change | null {
  const group = phaseGroup(next.status_phase);
  if (group === phaseGroup(prev.status_phase)) return null;
  const phases = { old_phase: prev.status_phase, new_phase: next.status_phase, portal_status: next.portal_status };
  switch (group) {
    case 'approval':
      return { kind: 'permit_approved', ...phases };
    case 'denial':
      return { kind: 'permit_denied', ...phases };
    case 'corrections':
      return { kind: 'corrections_required', portal_status: next.portal_status };
    case 'open':
    case 'unknown':
      return null;
    default:
      return assertUnreachable(group, 'phase group');
  }
}

type InspectionState = 'completed' | 'upcoming';

function stateOf(inspection: Inspection): InspectionState {
  switch (inspection.status) {
    case 'completed':
      return 'completed';
    case 'scheduled':
    case 'pending':
      return 'upcoming';
    default:
      return assertUnreachable(inspection.status, 'inspection status');
  }
}

/** Inspections of `next` in `state` with no counterpart (type + date + result) in `prev`. */
function added(prev: Inspection[], next: Inspection[], state: InspectionState): Inspection[] {
  const identity = (i: Inspection) => canonicalJson([i.type, i.date, i.result]);
  const unmatched = counts(prev.filter((i) => stateOf(i) === state).map(identity));
  return next.filter((inspection) => {
    if (stateOf(inspection) !== state) return false;
    const key = identity(inspection);
    const left = unmatched.get(key) ?? 0;
    if (left === 0) return true;
    unmatched.set(key, left - 1);
    return false;
  });
}

function counts(keys: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return map;
}

function sameMultiset(a: string[], b: string[]): boolean {
  return a.length === b.length && canonicalJson([...a].sort()) === canonicalJson([...b].sort());
}
