import type { z } from 'zod';
import type { Jurisdiction } from '../jurisdiction.ts';
import type { LayerSettings } from './layer-settings.ts';

/**
 * Permit layers published through ArcGIS REST services, one jurisdiction per layer. Layer paths,
 * MaxRecordCounts and field names are copied from the layers' REST Services Directory pages
 * (shared/portal-samples/arcgis/permit-layer-metadata-excerpts.txt) unless a comment says
 * otherwise; how each org was tied to its city is in fixtures/arcgis/PROVENANCE.md.
 *
 * City servers get one request a second, two at a time: they are a county's or a city's own
 * machine. ArcGIS Online (services*.arcgis.com) is Esri's shared hosting and gets the same.
 */
const CITY_SERVER = { requests_per_second: 1, concurrency: 2 } as const;

const settings = (layer: z.input<typeof LayerSettings>): Record<string, unknown> => ({ ...layer });

/**
 * City of Bellingham, WA: Maps/Permits MapServer layer 0 (MaxRecordCount 1000, pagination
 * supported). The captured field list ends at EXPIRED (its type cut off), so no status, address
 * or description field is known: the phase comes from the milestone dates the layer publishes,
 * EXPIRED included, so an issued permit that lapsed reads expired, not issued forever. EXPIRED is
 * read like its siblings (the date the permit expired); should it turn out to be a flag, any value
 * but an empty or "no" one counts as reached. No real PERMIT_NO value was found; the layer has a
 * separate 6-character PREFIX field, so numbers are taken to start with a letter (a weak pattern).
 * No dateFieldsTimeReference was captured: UTC, ArcGIS's default; dates are read `auto`.
 */
export const BELLINGHAM: Jurisdiction = {
  slug: 'arcgis:bellingham',
  display_name: 'City of Bellingham, WA (permit map layer)',
  platform: 'arcgis',
  state: 'WA',
  city: 'Bellingham',
  base_url: 'https://maps.cob.org',
  permit_number_patterns: ['^[A-Z][A-Z0-9-]{1,29}$'],
  auto_detect: false,
  time_zone: 'America/Los_Angeles',
  politeness: CITY_SERVER,
  settings: settings({
    layer_path: '/arcgis3/rest/services/Maps/Permits/MapServer/0',
    // Geometry Type: esriGeometryPoint (permit-layer-metadata-excerpts.txt).
    geometry: 'point',
    max_record_count: 1000,
    object_id_field: 'OBJECTID',
    permit_number_field: { name: 'PERMIT_NO', type: 'string' },
    fields: {
      permit_type: 'PERMIT_CATEGORY',
      permit_subtype: 'PERMIT_CLASS',
      applied: 'APPLIED',
      issued: 'ISSUED',
      finaled: 'FINALED',
      expires: 'EXPIRED',
    },
    extra_fields: { prefix: 'PREFIX', approved: 'APPROVED' },
    change_fields: [
      { name: 'APPLIED', kind: 'timestamp' },
      { name: 'APPROVED', kind: 'timestamp' },
      { name: 'ISSUED', kind: 'timestamp' },
      { name: 'FINALED', kind: 'timestamp' },
      // EXPIRED is left out: its type was not captured, and a TIMESTAMP comparison on a field
      // that is not a date fails the whole query.
    ],
    // Finished work first: a permit finaled is closed whatever else is set.
    milestones: [
      { field: 'FINALED', phase: 'closed' },
      { field: 'EXPIRED', phase: 'expired' },
      { field: 'ISSUED', phase: 'issued' },
      { field: 'APPROVED', phase: 'approved' },
      { field: 'APPLIED', phase: 'applied' },
    ],
    domains: {},
  }),
};

/**
 * Jackson County, OR: Property/Permits_Building FeatureServer layer 1 (MaxRecordCount 2000,
 * "updated weekly"). The directory excerpt shows only PERMITID and STATUSCAT; the other field
 * names are the ones a public client of this layer requires (tcole333/ithildin
 * tools/query_oregon_jackson_property_events.py @ 4e1649d0, PERMIT_FIELDS). Numbers carry the
 * county's Oregon ePermitting prefix 439 in that client's examples ("439-BLD2025-00123"). The
 * same client records the layer's date fields as "Pacific Standard Time", not respecting
 * daylight saving: its dateFieldsTimeReference. PERMITSTAT gives the phase; STATUSCAT only
 * where PERMITSTAT is empty or unlisted (statuses.ts).
 */
export const JACKSON_COUNTY: Jurisdiction = {
  slug: 'arcgis:jackson-county',
  display_name: 'Jackson County, OR (building permit layer)',
  platform: 'arcgis',
  state: 'OR',
  city: 'Jackson County',
  base_url: 'https://jcportal.jacksoncountyor.gov',
  permit_number_patterns: ['^439-[A-Z0-9]+(?:-[A-Z0-9]+)*$'],
  time_zone: 'America/Los_Angeles',
  politeness: CITY_SERVER,
  settings: settings({
    layer_path: '/server/rest/services/Property/Permits_Building/FeatureServer/1',
    // Geometry Type: esriGeometryPoint (permit-layer-metadata-excerpts.txt).
    geometry: 'point',
    max_record_count: 2000,
    object_id_field: 'OBJECTID',
    permit_number_field: { name: 'PERMITID', type: 'string' },
    fields: {
      status: 'PERMITSTAT',
      status_category: 'STATUSCAT',
      permit_type: 'PERMITTYPE',
      description: 'PERMITDESC',
      address: 'FULLADDR',
      valuation: 'ESTCOST',
      applied: 'SUBMITDT',
      applicant: 'APPLICANT',
      contractor: 'CONTRACTOR',
    },
    extra_fields: { approved: 'APPROVEDT', status_category: 'STATUSCAT', case_key: 'CASEKEY', map_taxlot: 'LOCDESC', detail_url: 'LINK' },
    change_fields: [{ name: 'LASTUPDATE', kind: 'timestamp' }],
    date_fields: { LASTUPDATE: 'instant' },
    date_fields_time_reference: { timeZone: 'Pacific Standard Time', respectsDaylightSaving: false },
    domains: {},
  }),
};

/**
 * City of Eloy, AZ: the Permits FeatureServer layer 0 of ArcGIS Online org VfOwt1fngp5cVBlk
 * (MaxRecordCount 2000; spatial reference 2223, Arizona Central). PermitNo is an
 * esriFieldTypeInteger, so numbers are digits; DateIssued and FinalDate are esriFieldTypeDateOnly.
 * No status and no expiry is published: a final date means closed; an issue date alone cannot
 * tell an open permit from a lapsed one, so it is `unknown` (never issued forever).
 */
export const ELOY: Jurisdiction = {
  slug: 'arcgis:eloy',
  display_name: 'City of Eloy, AZ (permit layer)',
  platform: 'arcgis',
  state: 'AZ',
  city: 'Eloy',
  base_url: 'https://services7.arcgis.com',
  permit_number_patterns: ['^\\d{1,10}$'],
  auto_detect: false,
  time_zone: 'America/Phoenix',
  politeness: CITY_SERVER,
  settings: settings({
    layer_path: '/VfOwt1fngp5cVBlk/ArcGIS/rest/services/Permits/FeatureServer/0',
    // Geometry Type: esriGeometryPoint (permit-layer-metadata-excerpts.txt).
    geometry: 'point',
    max_record_count: 2000,
    object_id_field: 'ObjectID',
    permit_number_field: { name: 'PermitNo', type: 'integer' },
    fields: { address: 'Address', description: 'WorkDesc', issued: 'DateIssued', finaled: 'FinalDate' },
    extra_fields: { parcel: 'Parcel', square_feet: 'SqFt' },
    change_fields: [
      { name: 'DateIssued', kind: 'date' },
      { name: 'FinalDate', kind: 'date' },
    ],
    milestones: [{ field: 'FinalDate', phase: 'closed' }],
    address_city: 'Eloy',
    domains: {},
  }),
};

/** Every ArcGIS permit layer in the catalog. */
export const ARCGIS_JURISDICTIONS: Jurisdiction[] = [BELLINGHAM, JACKSON_COUNTY, ELOY];
