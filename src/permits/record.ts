import { z } from 'zod';

/** The phases every platform's verbatim statuses map onto (DESIGN.md §4). */
export const STATUS_PHASES = [
  'applied',
  'in_review',
  'corrections',
  'approved',
  'issued',
  'inspections',
  'closed',
  'expired',
  'denied',
  'withdrawn',
  'unknown',
] as const;
export const StatusPhase = z.enum(STATUS_PHASES);
export type StatusPhase = z.infer<typeof StatusPhase>;

export const CATEGORIES = [
  'solar',
  'electrical',
  'hvac',
  'plumbing',
  'roofing',
  'new_construction',
  'addition',
  'alteration',
  'demolition',
  'other',
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

/** ISO date `YYYY-MM-DD`: portals give calendar dates in the jurisdiction's time zone, not instants. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const Address = z.object({
  street: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  zip: z.string().nullable(),
});
export type Address = z.infer<typeof Address>;

export const INSPECTION_STATUSES = ['completed', 'scheduled', 'pending'] as const;
export const Inspection = z.object({
  type: z.string(),
  date: IsoDate.nullable(),
  /** Verbatim result as the portal shows it ("Approved", "Permit Finaled", "Partial Approval"...). */
  result: z.string().nullable(),
  inspector: z.string().nullable(),
  status: z.enum(INSPECTION_STATUSES),
});
export type Inspection = z.infer<typeof Inspection>;

export const Fee = z.object({
  description: z.string(),
  amount: z.number().nullable(),
  paid: z.boolean().nullable(),
});
export type Fee = z.infer<typeof Fee>;

export const Contact = z.object({
  role: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  /** The licence number alone ("917355" of CSLB's "917355-C10"); schema v2 split the class off. */
  license: z.string().nullable(),
  /** The licence class or classification when the portal prints one ("C10", "B"); null when it does not. */
  license_class: z.string().nullable(),
});
export type Contact = z.infer<typeof Contact>;

export const Condition = z.object({
  description: z.string(),
  status: z.string().nullable(),
  /**
   * The date the portal shows beside the condition's status (schema v2). A clearance can appear
   * twice, "Not Cleared" then "Cleared" (LADBS 26014): the date is what tells the rows apart.
   */
  date: IsoDate.nullable(),
});
export type Condition = z.infer<typeof Condition>;

/** One trade's share of the job's valuation, as the portal breaks it down (Austin: electrical, mechanical, plumbing...). */
export const TradeValuation = z.object({
  trade: z.string(),
  amount: z.number(),
});
export type TradeValuation = z.infer<typeof TradeValuation>;

export const PortalHistoryEntry = z.object({
  status: z.string(),
  date: IsoDate.nullable(),
});
export type PortalHistoryEntry = z.infer<typeof PortalHistoryEntry>;

/**
 * The normalised permit record every adapter returns. Fields a portal does not show are null or
 * empty arrays, never invented. `extra` holds platform-specific facts (LADBS job number, Accela
 * parcel...) that have no common field yet, as verbatim strings.
 */
export const PermitRecord = z.object({
  jurisdiction: z.string().min(1),
  permit_number: z.string().min(1),
  portal_status: z.string().nullable(),
  status: z.string().nullable(),
  status_phase: StatusPhase,
  permit_type: z.string().nullable(),
  permit_subtype: z.string().nullable(),
  category: Category,
  address: Address,
  work_description: z.string().nullable(),
  valuation: z.number().nullable(),
  /**
   * The valuation per trade where the portal publishes one (schema v3; Austin's
   * electrical_valuation, mechanical_valuation...). Absent where a platform has no breakdown;
   * `valuation` stays the job's total and is never summed from these.
   */
  trade_valuations: z.array(TradeValuation).optional(),
  /**
   * WGS 84 degrees of the permit's site where the portal publishes them (schema v4; Socrata rows'
   * latitude/longitude or location point). Both or neither: null where the platform gives none
   * (LADBS, Accela pages), never geocoded or guessed from the address.
   */
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  dates: z.object({
    applied: IsoDate.nullable(),
    issued: IsoDate.nullable(),
    finaled: IsoDate.nullable(),
    expires: IsoDate.nullable(),
  }),
  inspections: z.array(Inspection),
  fees: z.array(Fee),
  contacts: z.array(Contact),
  conditions: z.array(Condition),
  portal_history: z.array(PortalHistoryEntry),
  extra: z.record(z.string(), z.string()),
});
export type PermitRecord = z.infer<typeof PermitRecord>;

/** Formats the address object as the one-line string the reference API shows ("16310 W RAYMER ST 91406"). */
export function addressLine(address: Address): string | null {
  const parts = [address.street, address.city, address.state, address.zip].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return parts.length > 0 ? parts.join(' ') : null;
}
