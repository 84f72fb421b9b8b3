/**
 * Whether a contact name read from a column that holds "a person or a firm alike" (Chicago's
 * contact_N_name, "Contact N's full name") names a firm. Rule-based and explainable: a firm
 * carries a legal-entity designator ("GROOT INDUSTRIES, INC.", "MORGAN HARBOUR CONSTRUCTION,
 * LLC", "ROSEMONT MASONRY CORP.", "CONNELLY ELECTRIC CO.", all in the real 100858762 row) or is
 * a public body; a person's name ("HARRIS KELLY P", same row) carries none. A name the rule does
 * not recognise stays a person's name, as the column was read before.
 */

// Designators of US business entities (state corporation acts: Inc., Corp., Co., LLC, LLP, LP,
// Ltd., PC/PLLC) and words only institutions use. Matched as whole words, dots ignored, so
// "L.L.C." and "CO." count and "COOPER" or "INCE" do not.
const DESIGNATORS = [
  'INC',
  'INCORPORATED',
  'CORP',
  'CORPORATION',
  'CO',
  'COMPANY',
  'LLC',
  'LLP',
  'LP',
  'LTD',
  'LIMITED',
  'PC',
  'PLLC',
  'PLC',
  'NA',
  'TRUST',
  'BANK',
  'ASSOCIATION',
  'UNIVERSITY',
  'CHURCH',
  'AUTHORITY',
  'DEPARTMENT',
  'DISTRICT',
];
const DESIGNATOR = new RegExp(`(?:^|[\\s,&(])(?:${DESIGNATORS.join('|')})(?=$|[\\s,)])`);
// "CITY OF CHICAGO", "BOARD OF EDUCATION", "STATE OF ILLINOIS": public bodies.
const PUBLIC_BODY = /^(?:CITY|VILLAGE|COUNTY|STATE|BOARD|TOWN|TOWNSHIP) OF\b/;

/** True when `name` carries a legal-entity designator or names a public body. */
export function isFirmName(name: string): boolean {
  const upper = name.toUpperCase().replace(/\./g, '').replace(/\s+/g, ' ').trim();
  return DESIGNATOR.test(upper) || PUBLIC_BODY.test(upper);
}
