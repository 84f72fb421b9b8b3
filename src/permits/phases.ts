import { STATUS_PHASES, type StatusPhase } from './record.ts';

/**
 * Where a phase sits for notifications. `approval` and `denial` are groups: moving between two
 * phases of the same group (issued → inspections → closed, expired → withdrawn) is not a new
 * approval or denial.
 */
export type PhaseGroup = 'open' | 'corrections' | 'approval' | 'denial' | 'unknown';

interface PhaseTraits {
  /** Still moving: the permit can change without anyone re-applying. */
  readonly active: boolean;
  readonly group: PhaseGroup;
}

/**
 * The one table of phase facts. A `Record` over the enum, so adding a phase to record.ts fails
 * to compile until it is placed here.
 *
 * - `inspections` is an approval phase: inspections are only booked on an issued permit, so a
 *   permit first seen there (or jumping from in_review straight to it) has been approved.
 * - `closed` is an approval phase because the vocabulary reserves it for finished work (LADBS
 *   "Permit Finaled on 8/8/2018", Southlake "Closed", Accela "Complete"): closes that are not a
 *   final (void, cancelled, lapsed) must map to `withdrawn` or `expired` in the platform's table.
 * - `unknown` (an unmapped verbatim status) stays active: we do not know that it has ended.
 */
const PHASE_TRAITS = {
  applied: { active: true, group: 'open' },
  in_review: { active: true, group: 'open' },
  corrections: { active: true, group: 'corrections' },
  approved: { active: true, group: 'approval' },
  issued: { active: true, group: 'approval' },
  inspections: { active: true, group: 'approval' },
  closed: { active: false, group: 'approval' },
  expired: { active: false, group: 'denial' },
  denied: { active: false, group: 'denial' },
  withdrawn: { active: false, group: 'denial' },
  unknown: { active: true, group: 'unknown' },
} as const satisfies Record<StatusPhase, PhaseTraits>;

/** Phases in lifecycle order (record.ts declares them so): for sorting and stats tables. */
export const PHASE_ORDER: readonly StatusPhase[] = STATUS_PHASES;

/** The phases a permit has ended in (closed, expired, denied, withdrawn), read from the table. */
export const INACTIVE_PHASES: readonly StatusPhase[] = STATUS_PHASES.filter((phase) => !PHASE_TRAITS[phase].active);

/**
 * A SQL condition true where `column` holds an active phase, generated from the table so a query
 * cannot drift from `isActivePhase`. The phases are this module's enum literals, never input, so
 * they are written into the SQL text as quoted literals.
 */
export function activePhaseSql(column: string): string {
  return `${column} NOT IN (${INACTIVE_PHASES.map((phase) => `'${phase}'`).join(', ')})`;
}

/** True unless the permit has ended: closed, expired, denied or withdrawn. */
export function isActivePhase(phase: StatusPhase): boolean {
  return PHASE_TRAITS[phase].active;
}

/** Approved, issued, in inspections, or closed (which the vocabulary reserves for a final). */
export function isApprovalPhase(phase: StatusPhase): boolean {
  return PHASE_TRAITS[phase].group === 'approval';
}

/** Denied, withdrawn or expired: the permit ended without (or lost) its approval. */
export function isDenialPhase(phase: StatusPhase): boolean {
  return PHASE_TRAITS[phase].group === 'denial';
}

/** The notification group of a phase (see PhaseGroup). */
export function phaseGroup(phase: StatusPhase): PhaseGroup {
  return PHASE_TRAITS[phase].group;
}
