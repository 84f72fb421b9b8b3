import { describe, expect, it } from 'vitest';
import { CATEGORY_RULES, NO_RULE_MATCHED } from './category-rules.ts';
import { categorize } from './categorize.ts';
import type { Category } from './record.ts';

type Row = [permit_type: string | null, permit_subtype: string | null, work_description: string | null, expected: Category];

// Real (type, subtype, description) triples copied verbatim (HTML cells trimmed) from
// /work/shared/portal-samples/<file named above each group>.
const REAL: Row[] = [
  // ladbs/pcis-permit-detail-16041-10000-23545-finaled-with-inspections.html
  ['Electrical', '1 or 2 Family Dwelling', '200A UPGRADE.', 'electrical'],
  // ladbs/pcis-permit-detail-26014-10000-00017-plan-check-corrections.html
  [
    'Bldg-Addition',
    '1 or 2 Family Dwelling',
    'EPLAN. TWO STORY ADDITION TO EXISTING SINGLE FAMILY DWELLING TO ENLARGE AND MODIFY THE EXISTING MAIN HOUSE. PROJECT INCLUDES THE CONSTRUCTION OF A FULLY COMPLIANT ATTACHED ACCESSORY DWELLING UNIT (ADU) PER GC .66323(D)(2).',
    'addition',
  ],
  // fixtures/ladbs/ladbs-pcis-detail-26030-10000-01235.html (a grading pre-inspection; the description names an addition)
  ['Grading', '1 or 2 Family Dwelling', 'GPI Written Notices for the addition to the existing single-family dwelling.', 'other'],
  // /work/shared/reference/signedoff-api.txt, the LADBS permit 24044-20000-03620 in the status example
  ['Mechanical', null, 'General HVAC with fume hoods.', 'hvac'],
  // socrata/chicago-ydr8-5enu-row-from-go-comment.json (permit_type, work_description)
  ['PERMIT - NEW CONSTRUCTION', null, 'NEW CONSTRUCTION FOR A 2 STORY SOLID WASTE TRANSFER STATION AS PER PLANS. M3-2', 'new_construction'],
  // socrata/sf-dbi-building-permits-csv-export-head-excerpt.txt ("Permit Type Definition"; Description not in the excerpt)
  ['otc alterations permit', null, null, 'alteration'],
  // austin/austin-issued-permits-2016-04-18-excerpt.csv, read as permit_type = work_type, permit_subtype = sub_type
  ['New', 'C- 328 Commercial Other Nonresident Bldg', 'New Construction Multi-Family Apartments Clubhouse', 'new_construction'],
  ['New', 'C- 101 Single Family Houses', 'New Construction Single Family Townhomes W/Garage,Balcony and Roof Deck', 'new_construction'],
  [
    'Addition and Remodel',
    'R- 434 Addition & Alterations',
    'Partial demo of all exterior wood and roof. Addition/remodel; replacing dilapidated garage with a kitchen and 2nd bedroom, new bath and enlarge living area, new roof, new doors and windows. Entire interior remodel.',
    'addition',
  ],
  [
    'New',
    'Res. Driveway & Sidewalk',
    "Construct new sidewalk and a 17' driveway approach. Shall meet all city standards.**nmtNew 1-story single-family residence, attached garage, covered porch and patio.",
    'other',
  ],
  ['Remodel', 'C-1000 Commercial Remodel', 'Interior Remodel to Existing Admin/Office ', 'alteration'],
  ['Remodel', 'C-1001 Commercial Finish Out', 'Tenant Finish-Out for Restaurant (General)', 'alteration'],
  // tyler-energov/southlake-css-export-rows-excerpt.json (Type, Description)
  ['Solar Panel - Residential', null, 'Install Solar Panels on Rooftop.', 'solar'],
  ['Solar Panel - Residential', null, '19.55 Kw DC + 20Kwh Battery back up, interconnected to meter', 'solar'],
  [
    'Pool (Residential)',
    null,
    "REMODEL MASONRY WORK ON POOL - Coping only, ADD TURF, EXTEND GAS & ELECTRIC FROM EXISTING FIRE FEATURES 6' TO NEW LOCATION     GC Fee required     ",
    'other',
  ],
  ['Irrigation (Residential)', null, 'Sprinkler Backflow Device Replacement', 'other'],
  ['Mechanical Permit (Residential)', null, '2 ton condenser', 'hvac'],
  ['Mechanical Permit (Residential)', null, 'Replace existing hvac system', 'hvac'],
  ['Residential Reroof', null, 'RE-ROOF', 'roofing'],
  [
    'Residential Reroof',
    null,
    'remove old roof material to deck and replace with new synthetic underlayment and new composite asphalt shingles',
    'roofing',
  ],
  // govbuilt/weatherford-govbuilt-search-api-excerpt.json (type, subtype; the search API has no description)
  ['Roof Repair or Replace Permit Application', '', null, 'roofing'],
  ['Plumbing Permit Application', null, null, 'plumbing'],
  ['Fence Permit Application', null, null, 'other'],
  ['Sign Permit Application', null, null, 'other'],
  ['Right of Way Permit Application', null, null, 'other'],
  // The type does not say whether the dwelling is new; we do not guess.
  ['Single Family Dwelling Permit Application', null, null, 'other'],
  // accela-aca/hcfl-capdetail-HC-BTR-26-0338191-excerpt.html (lblPermitType, Project Description)
  [
    'Residential Plumbing Trade Permit',
    null,
    'Remove and install new Backflow Preventers - 1 Inch Double Check Valve Backflow Preventer',
    'plumbing',
  ],
  // accela-aca/boise-meridian-capture-manifest.json (permit_type, description)
  ['New/Added Commercial', null, 'Elevated walk way from Southwest Garage to Building 36 on the Micron Campus,.', 'new_construction'],
  ['New Commercial', null, '', 'new_construction'],
  [
    'Commercial Shell Only',
    null,
    'WESTERN FOOTHILLS NEW OFFICE BUILDING CONSISTING OF TWO TENANT SPACES. ONE SPACE TO BE FULLY BUILT OUT AS SOON AS CORE AND SHELL IS COMPLETE (SEPERATE TI PERMIT WILL BE APPLIED FOR).',
    'new_construction',
  ],
  // accela-construct-api/v4-records-list-islandton-sandbox.json (type.text; Accela's demo agency)
  ['Commercial Addition', null, null, 'addition'],
  ['Residential Alteration', null, null, 'alteration'],
  ['Boiler Maintenance', null, null, 'hvac'],
  ['Graffiti ', null, null, 'other'],
];

// Constructed, not captured: each pins one ordering decision of CATEGORY_RULES.
const ORDER: Row[] = [
  ['Electrical', '1 or 2 Family Dwelling', 'INSTALL 8.4KW ROOF MOUNTED PV SOLAR SYSTEM', 'solar'], // solar before electrical
  ['Bldg-Alter/Repair', null, 'ROOF MOUNTED PHOTOVOLTAIC PANELS', 'solar'],
  ['Bldg-Demolition', null, 'DEMOLISH SFD. NEW SFD UNDER SEPARATE PERMIT', 'demolition'], // demolition before new
  ['Fire Sprinkler', null, 'NEW FIRE SPRINKLER PIPING', 'other'], // fire protection is not plumbing
  ['Bldg-Alter/Repair', '1 or 2 Family Dwelling', 'REROOF WITH CLASS A SHINGLES', 'roofing'], // re-roof beats alter/repair
  ['Bldg-Alter/Repair', '1 or 2 Family Dwelling', 'KITCHEN REMODEL', 'alteration'],
  ['Bldg-New', '1 or 2 Family Dwelling', 'NEW SFD WITH ROOF DECK', 'new_construction'],
  ['HVAC', null, null, 'hvac'],
  ['Plumbing', null, 'REPLACE WATER HEATER', 'plumbing'],
  [null, null, 'REPLACE WATER HEATER', 'plumbing'], // untyped: description tier
  [null, null, '200A UPGRADE.', 'electrical'],
  [null, null, 'TEAR OFF AND REPLACE EXISTING ROOF', 'roofing'],
  [null, null, 'PV', 'solar'],
  [null, null, 'INSTALL PVC DRAIN LINE', 'other'], // 'PV' only as a word
  [null, null, null, 'other'],
];

describe('categorize on real records', () => {
  it.each(REAL)('%j / %j / %j → %s', (permit_type, permit_subtype, work_description, expected) => {
    expect(categorize({ permit_type, permit_subtype, work_description }).category).toBe(expected);
  });
});

describe('categorize rule order', () => {
  it.each(ORDER)('%j / %j / %j → %s', (permit_type, permit_subtype, work_description, expected) => {
    expect(categorize({ permit_type, permit_subtype, work_description }).category).toBe(expected);
  });
});

describe('categorize explanations', () => {
  it('names the rule that fired', () => {
    expect(categorize({ permit_type: 'Electrical', permit_subtype: null, work_description: 'INSTALL ROOF MOUNTED PV SYSTEM' })).toEqual({
      category: 'solar',
      rule: "type or description mentions 'solar'/'photovoltaic'/'PV'",
    });
    expect(categorize({ permit_type: 'Residential Alteration', permit_subtype: null, work_description: null })).toEqual({
      category: 'alteration',
      rule: "type says 'alteration'/'repair'/'remodel'",
    });
  });

  it('says so when nothing matched', () => {
    expect(categorize({ permit_type: null, permit_subtype: null, work_description: 'Install new irrigation system' })).toEqual({
      category: 'other',
      rule: NO_RULE_MATCHED,
    });
  });

  it('gives every rule a distinct name and a reason, and no stateful regex', () => {
    expect(new Set(CATEGORY_RULES.map((r) => r.rule)).size).toBe(CATEGORY_RULES.length);
    for (const r of CATEGORY_RULES) {
      expect(r.why.length).toBeGreaterThan(0);
      expect(r.pattern.global || r.pattern.sticky).toBe(false);
    }
  });
});
