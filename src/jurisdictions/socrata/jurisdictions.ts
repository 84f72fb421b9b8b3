import type { z } from 'zod';
import type { Jurisdiction } from '../jurisdiction.ts';
import { LADBS_PERMIT_NUMBER_PATTERN } from '../ladbs/permit-number.ts';
import type { SocrataSettings } from './settings.ts';

/**
 * Socrata (SODA) building-permit datasets, one jurisdiction each. Domains, dataset ids and column
 * names come from the rows and inventories in fixtures/socrata/ and the public sources listed in
 * fixtures/socrata/PROVENANCE.md. Field maps are data: parse-row.ts is the same for every city.
 *
 * We send no app token, and unauthenticated SODA calls share a per-address throttle, so each
 * portal gets two requests a second, two at a time.
 */
const POLITENESS = { requests_per_second: 2, concurrency: 2 };

type Settings = z.input<typeof SocrataSettings>;

// Chicago "Building Permits" (data.cityofchicago.org/resource/ydr8-5enu.json). Columns as in the
// real 100858762 row; permit_status, permit_milestone and work_type from a public schema of the
// current dataset. Rows carry no city or zip. No column records a change, so the feed reads
// SODA's `:updated_at`.
const CHICAGO: Settings = {
  dataset_id: 'ydr8-5enu',
  status_vocabulary: 'chicago',
  changed_since: { field: ':updated_at', kind: 'fixed' },
  fields: {
    permit_number: 'permit_',
    status: 'permit_status',
    permit_type: 'permit_type',
    permit_subtype: 'work_type',
    work_description: 'work_description',
    street: ['street_number', 'street_direction', 'street_name', 'suffix'],
    city: { value: 'CHICAGO' },
    state: { value: 'IL' },
    zip: null,
    dates: { applied: 'application_start_date', issued: 'issue_date', finaled: null, expires: null },
    // latitude and longitude as in the real row's schema (the quoted capture stops after latitude).
    coordinates: { latitude: 'latitude', longitude: 'longitude' },
    valuation: ['reported_cost'],
    // Waived amounts (building_fee_waived...) are neither paid nor owed; they stay out.
    fees: [
      { description: 'Building fee', field: 'building_fee_paid', paid: true },
      { description: 'Zoning fee', field: 'zoning_fee_paid', paid: true },
      { description: 'Other fee', field: 'other_fee_paid', paid: true },
      { description: 'Building fee', field: 'building_fee_unpaid', paid: false },
      { description: 'Zoning fee', field: 'zoning_fee_unpaid', paid: false },
      { description: 'Other fee', field: 'other_fee_unpaid', paid: false },
    ],
    // contact_N_name is "Contact N's full name", a person or a firm alike: firms are read as the
    // company (firm-name.ts), people as the name.
    contacts: [{ role: 'Contact', role_field: 'contact_{n}_type', name_field: 'contact_{n}_name', name_may_be_firm: true, repeat: 15 }],
    extra: {
      row_id: 'id',
      review_type: 'review_type',
      permit_milestone: 'permit_milestone',
      processing_time_days: 'processing_time',
      total_fee: 'total_fee',
      pin: 'pin1',
      community_area: 'community_area',
      ward: 'ward',
    },
  },
};

// San Francisco DBI "Building Permits" (data.sfgov.org/resource/i98e-djp9.json). Columns as in the
// real 202603238106 row. One row per address of a permit; primary_address_flag "Y" marks the main
// one. Contacts live in another dataset (3pee-9qhc) and are not read here.
const SF: Settings = {
  dataset_id: 'i98e-djp9',
  status_vocabulary: 'sf',
  changed_since: { field: 'status_date', kind: 'floating' },
  primary_row: { field: 'primary_address_flag', value: 'Y' },
  fields: {
    permit_number: 'permit_number',
    status: 'status',
    permit_type: 'permit_type_definition',
    permit_subtype: null,
    work_description: 'description',
    street: ['street_number', 'street_number_suffix', 'street_name', 'street_suffix'],
    // "0" is DBI's placeholder for no unit (the real 202603238106 row); unit_suffix is the CSV
    // export's "Unit Suffix" column (portal-samples/socrata/sf-dbi-...-head-excerpt.txt).
    unit: { fields: ['unit', 'unit_suffix'], none: ['0'] },
    city: { value: 'San Francisco' },
    state: { value: 'CA' },
    zip: 'zipcode',
    dates: { applied: 'filed_date', issued: 'issued_date', finaled: 'completed_date', expires: null },
    // The real row has no latitude column, only the `location` point.
    coordinates: { point: 'location' },
    valuation: ['revised_cost', 'estimated_cost'],
    fees: [],
    contacts: [],
    extra: {
      permit_type_code: 'permit_type',
      status_date: 'status_date',
      approved_date: 'approved_date',
      block: 'block',
      lot: 'lot',
      existing_use: 'existing_use',
      proposed_use: 'proposed_use',
      neighborhood: 'neighborhoods_analysis_boundaries',
      supervisor_district: 'supervisor_district',
      record_id: 'record_id',
    },
  },
};

// Los Angeles LADBS "Building Permits Submitted from 2020 to Present" (data.lacity.org/resource/
// gwh9-jnip.json): it holds applications still in plan check, which the issued-only pi9x-tg5x
// does not; r9zn-9ttc (the field inventory in portal-samples) is an ADU view of the older
// PCIS-era dataset, not the current one. Columns as in the 22010-20000-03007 sample row and the
// dataset's published column list. Numbers are PCIS numbers, like the `ladbs` jurisdiction's.
const LA: Settings = {
  dataset_id: 'gwh9-jnip',
  status_vocabulary: 'ladbs',
  changed_since: { field: 'status_date', kind: 'floating' },
  fields: {
    permit_number: 'permit_nbr',
    status: 'status_desc',
    permit_type: 'permit_type',
    permit_subtype: 'permit_sub_type',
    work_description: 'work_desc',
    street: ['primary_address'],
    city: { value: 'LOS ANGELES' },
    state: { value: 'CA' },
    zip: 'zip_code',
    // A certificate of occupancy is issued when the work is done and approved.
    dates: { applied: 'submitted_date', issued: 'issue_date', finaled: 'cofo_date', expires: null },
    valuation: ['valuation'],
    fees: [],
    contacts: [],
    extra: {
      status_date: 'status_date',
      use: 'use_desc',
      business_unit: 'business_unit',
      dwelling_units_changed: 'du_changed',
      square_footage: 'square_footage',
      apn: 'apn',
      council_district: 'cd',
    },
  },
};

// Austin "Issued Construction Permits" (data.austintexas.gov/resource/3syk-w9eu.json). Columns as
// in the real 2009-074412 EP row; contractor and applicant columns from public code reading the
// dataset. `statusdate` moves when the status does.
const AUSTIN: Settings = {
  dataset_id: '3syk-w9eu',
  status_vocabulary: 'austin',
  changed_since: { field: 'statusdate', kind: 'floating' },
  fields: {
    permit_number: 'permit_number',
    status: 'status_current',
    permit_type: 'permit_type_desc',
    permit_subtype: 'work_class',
    work_description: 'description',
    street: ['original_address1'],
    city: { field: 'original_city', value: 'AUSTIN' },
    state: { field: 'original_state', value: 'TX' },
    zip: 'original_zip',
    dates: { applied: 'applieddate', issued: 'issue_date', finaled: 'completed_date', expires: 'expiresdate' },
    // The real row carries both: the columns keep eight decimals, the `location` point six.
    coordinates: { latitude: 'latitude', longitude: 'longitude' },
    valuation: ['total_job_valuation'],
    // The trade valuations (the real 2009-074412 EP row has electrical_valuation "0"; the other
    // columns are in the dataset's published column list, see PROVENANCE.md), new work and
    // remodel apart as the dataset keeps them.
    trade_valuations: [
      { trade: 'building', field: 'building_valuation' },
      { trade: 'electrical', field: 'electrical_valuation' },
      { trade: 'mechanical', field: 'mechanical_valuation' },
      { trade: 'plumbing', field: 'plumbing_valuation' },
      { trade: 'medical gas', field: 'medgas_valuation' },
      { trade: 'building remodel', field: 'building_valuation_remodel' },
      { trade: 'electrical remodel', field: 'electrical_valuation_remodel' },
      { trade: 'mechanical remodel', field: 'mechanical_valuation_remodel' },
      { trade: 'plumbing remodel', field: 'plumbing_valuation_remodel' },
      { trade: 'medical gas remodel', field: 'medgas_valuation_remodel' },
    ],
    fees: [],
    contacts: [
      { role: 'Contractor', role_field: 'contractor_trade', name_field: 'contractor_full_name', company_field: 'contractor_company_name' },
      { role: 'Applicant', name_field: 'applicant_full_name' },
    ],
    extra: {
      permit_type_code: 'permittype',
      permit_class: 'permit_class',
      permit_class_mapped: 'permit_class_mapped',
      project_id: 'project_id',
      master_permit: 'masterpermitnum',
      tcad_id: 'tcad_id',
      link: 'link',
      council_district: 'council_district',
    },
  },
};

/** The Socrata jurisdictions (`socrata:<city>`), as catalog entries. */
export const SOCRATA_JURISDICTIONS: Jurisdiction[] = [
  {
    slug: 'socrata:chicago',
    display_name: 'Chicago (Department of Buildings open data)',
    platform: 'socrata',
    state: 'IL',
    city: 'Chicago',
    base_url: 'https://data.cityofchicago.org',
    // permit_ values are nine digits (100858762, 101046020).
    permit_number_patterns: ['^\\d{9}$'],
    time_zone: 'America/Chicago',
    politeness: POLITENESS,
    settings: CHICAGO,
  },
  {
    slug: 'socrata:sf',
    display_name: 'San Francisco (DBI open data)',
    platform: 'socrata',
    state: 'CA',
    city: 'San Francisco',
    base_url: 'https://data.sfgov.org',
    // Twelve digits, the filing date and a sequence (202506249360, 202603238106).
    permit_number_patterns: ['^\\d{12}$'],
    time_zone: 'America/Los_Angeles',
    politeness: POLITENESS,
    settings: SF,
  },
  {
    slug: 'socrata:la',
    display_name: 'Los Angeles (LADBS open data)',
    platform: 'socrata',
    state: 'CA',
    city: 'Los Angeles',
    base_url: 'https://data.lacity.org',
    permit_number_patterns: [LADBS_PERMIT_NUMBER_PATTERN],
    auto_detect: false,
    time_zone: 'America/Los_Angeles',
    politeness: POLITENESS,
    settings: LA,
  },
  {
    slug: 'socrata:austin',
    display_name: 'Austin (Development Services open data)',
    platform: 'socrata',
    state: 'TX',
    city: 'Austin',
    base_url: 'https://data.austintexas.gov',
    // Year, six digits, a space and the permit kind (2009-074412 EP, 2014-055074 MP).
    permit_number_patterns: ['^\\d{4}-\\d{6} [A-Z]{2}$'],
    time_zone: 'America/Chicago',
    politeness: POLITENESS,
    settings: AUSTIN,
  },
];
