import { z } from 'zod';
import type { Jurisdiction } from '../jurisdiction.ts';

/**
 * What an ACA catalog entry keeps in `settings`. The base URL is the host only, so a base-URL
 * override (mirror, fixture portal) keeps the real path: `path` is where the agency's ACA lives on
 * it (`/HCFL` on aca-prod.accela.com, `/CitizenAccess` on a self-hosted portal).
 */
export const AcaSettings = z.object({
  /** The agency code ACA puts in `agencyCode=` ("HCFL", "OSCEOLA"). */
  agency_code: z.string().min(1),
  path: z.string().regex(/^\/[^?#]*[^/]$/, 'a path like /HCFL, without a trailing slash'),
  /** The ACA module searched and shown (`module=` on CapHome, `Module=`/`TabName=` on CapDetail). */
  module: z.string().min(1),
  /** The CapHome tab (`TabName=`): the module's own tab unless the agency files it elsewhere. */
  home_tab: z.string().min(1).optional(),
  /**
   * The agency prints the record's project name as the first line of Project Description (Osceola:
   * "RES - Roofing Katisha Grant"), kept apart as `extra.project_name` instead of merged into the
   * work description.
   */
  project_name_line: z.boolean().optional(),
});
export type AcaSettings = z.infer<typeof AcaSettings>;

/** The jurisdiction's ACA settings; throws on a catalog entry without them (a build error, not a lookup one). */
export function acaSettings(jurisdiction: Jurisdiction): AcaSettings {
  return AcaSettings.parse(jurisdiction.settings);
}
