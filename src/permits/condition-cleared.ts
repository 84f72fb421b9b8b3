/**
 * Verbatim condition statuses that mean the condition is satisfied:
 * - "Cleared": LADBS clearances (fixtures/ladbs, 26014 lists "Specific Plan" Not Cleared, then Cleared);
 * - "Met" / "Condition Met": Accela's resolved condition status (Accela Citizen Access shows
 *   "Applied" while a condition is open, as the Osceola captures do; no capture of a met one yet).
 */
export const CLEARED_CONDITION_STATUSES: readonly string[] = ['cleared', 'met', 'condition met'];

/**
 * Whether a condition's verbatim status says it is satisfied, ignoring case and outer spaces
 * (as the conditions list's SQL does: trim and lower).
 * Anything else, a missing status included, is not cleared: nobody has said it is.
 */
export function isConditionCleared(status: string | null): boolean {
  return status !== null && CLEARED_CONDITION_STATUSES.includes(status.trim().toLowerCase());
}
