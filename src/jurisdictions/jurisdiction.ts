import { z } from 'zod';
import { Politeness } from '../http/politeness.ts';


/** A jurisdiction is data (DESIGN.md §6): adding a city is a catalog entry, not code. */
export const Jurisdiction = z.object({
  slug: z.string().min(1),
  display_name: z.string().min(1),
  platform: z.string().min(1),
  state: z.string().length(2),
  city: z.string().min(1),
  base_url: z.url(),
  /** Anchored regular expressions (source text) a permit number of this jurisdiction matches. */
  permit_number_patterns: z.array(z.string()).min(1),
  time_zone: z.string().min(1),
  /**
   * Whether a bare number is matched (default true) against this jurisdiction's patterns. False for an
   * open-data mirror of a portal already in the catalog (socrata:la mirrors ladbs) and for
   * patterns too loose to detect by (a guessed or digits-only format): such a jurisdiction
   * answers with `?jurisdiction=` or once the permit is known, and never makes an LADBS
   * number ambiguous.
   */
  auto_detect: z.boolean().optional(),
  politeness: Politeness,
  /** Platform-specific settings (Accela agency code, Socrata dataset id and field map...). */
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type Jurisdiction = z.infer<typeof Jurisdiction>;
