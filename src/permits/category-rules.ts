import type { Category } from './record.ts';

/** The text fields a category rule can read. */
export type CategoryField = 'permit_type' | 'permit_subtype' | 'work_description';

export interface CategoryRule {
  readonly category: Category;
  readonly fields: readonly CategoryField[];
  readonly pattern: RegExp;
  /** What the rule checks, in words: returned by categorize() so a category can be explained. */
  readonly rule: string;
  /** Why the rule exists and sits where it does. */
  readonly why: string;
}

const TYPE: readonly CategoryField[] = ['permit_type', 'permit_subtype'];
const DESCRIPTION: readonly CategoryField[] = ['work_description'];
const ANY: readonly CategoryField[] = [...TYPE, ...DESCRIPTION];

/**
 * Ordered; the first rule whose pattern matches one of its fields wins. Three tiers:
 * 1. solar and demolition, which decide the category whatever else the record says;
 * 2. the permit type, which the portal chose: trade types, then whole-building scopes (new,
 *    addition), then roofing (which must beat the generic "Alter/Repair" type), then alteration;
 * 3. the work description alone, for types that say nothing (null, "Commercial Shell Only").
 * Nothing matched → `other`.
 */
export const CATEGORY_RULES: readonly CategoryRule[] = [
  {
    category: 'solar',
    fields: ANY,
    pattern: /\bsolar\b|photovoltaic|\bPV\b/i,
    rule: "type or description mentions 'solar'/'photovoltaic'/'PV'",
    why: 'Solar is filed under trade types (LADBS Electrical, Bldg-Alter/Repair): only the words show it, so it is checked before electrical.',
  },
  {
    category: 'demolition',
    fields: TYPE,
    pattern: /demoli|wreck/i,
    rule: "type says 'demolition'/'wrecking'",
    why: 'A demolition permit stays one even when its description names the building that replaces it (LADBS Bldg-Demolition, Chicago PERMIT - WRECKING/DEMOLITION).',
  },
  {
    category: 'other',
    fields: TYPE,
    pattern: /fire\s*(sprinkler|protection|alarm|suppression)/i,
    rule: "type is fire protection ('Fire Sprinkler', 'Fire Alarm')",
    why: 'LADBS Fire Sprinkler work is done by fire-protection (C-16) contractors and reviewed by the fire department: calling it plumbing would mislead plumbing searches.',
  },
  {
    category: 'other',
    fields: TYPE,
    pattern: /\bpool|\bspa\b|fence|\bsigns?\b|irrigation|driveway|sidewalk|right[- ]of[- ]way|graffiti|code enforcement/i,
    rule: 'type is work outside the categories (pool, fence, sign, irrigation, driveway, right of way...)',
    why: 'These descriptions mention trades in passing ("EXTEND GAS & ELECTRIC" on a Southlake pool permit); the type decides first.',
  },
  {
    category: 'other',
    fields: TYPE,
    pattern: /\bgrading\b|excavat|earthwork/i,
    rule: "type is site work ('Grading', excavation)",
    why: 'LADBS Grading records (26030-10000-01235, a grading pre-inspection) describe the building they prepare for ("for the addition to the existing single-family dwelling"): the type decides, not the words.',
  },
  {
    category: 'electrical',
    fields: TYPE,
    pattern: /electric/i,
    rule: "type says 'electrical'",
    why: 'Trade permit types (LADBS Electrical) name the trade exactly.',
  },
  {
    category: 'plumbing',
    fields: TYPE,
    pattern: /plumb/i,
    rule: "type says 'plumbing'",
    why: 'Trade permit types (LADBS Plumbing, Hillsborough Residential Plumbing Trade Permit) name the trade exactly.',
  },
  {
    category: 'hvac',
    fields: TYPE,
    pattern: /\bhvac\b|mechanical|heating|air[- ]condition|boiler/i,
    rule: "type says 'HVAC'/'mechanical'/'heating'/'boiler'",
    why: 'Building departments issue HVAC work as mechanical permits (LADBS Mechanical, Southlake Mechanical Permit).',
  },
  {
    category: 'new_construction',
    fields: TYPE,
    pattern: /\bnew\b/i,
    rule: "type says 'new'",
    why: 'LADBS Bldg-New, Chicago PERMIT - NEW CONSTRUCTION, Boise New/Added Commercial, Austin work type New.',
  },
  {
    category: 'addition',
    fields: TYPE,
    pattern: /\baddition|\badded\b/i,
    rule: "type says 'addition'",
    why: 'LADBS Bldg-Addition, Accela Commercial Addition; checked before alteration for Austin "Addition and Remodel".',
  },
  {
    category: 'roofing',
    fields: TYPE,
    pattern: /roof/i,
    rule: "type says 'roof'",
    why: 'Southlake Residential Reroof, Weatherford Roof Repair or Replace: before alteration, which would match "Repair".',
  },
  {
    category: 'roofing',
    fields: DESCRIPTION,
    pattern: /\bre[- ]?roof|\broof(ing)?\s+(replacement|repair|covering)|\b(replac|repair)\w*\s+(the\s+|existing\s+)?roof\b/i,
    rule: "description says 're-roof'/'roof replacement'",
    why: 'Re-roofs are filed under generic alteration types, so the description must beat "Alter/Repair"; only re-roof wording counts, not a roof deck on a new house.',
  },
  {
    category: 'alteration',
    fields: TYPE,
    pattern: /alter|repair|remodel|renovat|finish[- ]?out|tenant improvement/i,
    rule: "type says 'alteration'/'repair'/'remodel'",
    why: 'LADBS Bldg-Alter/Repair, SF otc alterations permit, Accela Residential Alteration, Austin Remodel.',
  },
  {
    category: 'demolition',
    fields: DESCRIPTION,
    pattern: /\bdemolish|\bdemolition\b/i,
    rule: "description says 'demolish'/'demolition'",
    why: 'Untyped records; "Partial demo" inside a remodel does not match.',
  },
  {
    category: 'new_construction',
    fields: DESCRIPTION,
    pattern: /\bnew construction\b|\bnew\s+(?:[\w-]+\s+){0,3}?(?:building|residence|dwelling|house|home|duplex|apartments?)\b/i,
    rule: "description says 'new construction'/'new building'/'new residence'",
    why: 'Untyped records such as Meridian "Commercial Shell Only" describing a NEW OFFICE BUILDING.',
  },
  {
    category: 'addition',
    fields: DESCRIPTION,
    pattern: /\baddition\b/i,
    rule: "description says 'addition'",
    why: 'Untyped records.',
  },
  {
    category: 'hvac',
    fields: DESCRIPTION,
    pattern: /\bhvac\b|furnace|condenser|air[- ]condition|heat pump|mini[- ]split|boiler|ductwork/i,
    rule: "description names HVAC equipment ('hvac', 'furnace', 'condenser'...)",
    why: 'Untyped records.',
  },
  {
    category: 'electrical',
    fields: DESCRIPTION,
    pattern: /electric|\bwiring\b|panel upgrade|service upgrade|\b\d{2,3}\s?(a|amps?)\b/i,
    rule: "description names electrical work ('electrical', 'wiring', '200A')",
    why: 'Untyped records; the amperage form is how LADBS writes service upgrades ("200A UPGRADE.").',
  },
  {
    category: 'plumbing',
    fields: DESCRIPTION,
    pattern: /plumb|water heater|backflow|\bsewer\b|re-?pip(e|ing)/i,
    rule: "description names plumbing work ('plumbing', 'water heater', 'backflow')",
    why: 'Untyped records.',
  },
  {
    category: 'alteration',
    fields: DESCRIPTION,
    pattern: /remodel|alteration|renovat|tenant (improvement|finish)|finish[- ]?out/i,
    rule: "description says 'remodel'/'alteration'",
    why: 'Untyped records.',
  },
];

/** The rule name categorize() reports when nothing matched. */
export const NO_RULE_MATCHED = 'no rule matched';
