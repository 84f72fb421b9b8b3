import type { Address, Contact } from '../../permits/record.ts';
import type { AcaDetailPage } from './aca-page.ts';

// "KEVIN WELLS REDACTED@EXAMPLE.INVALID" (HCFL), "KEITH BATTERBEE batterbeeroofing@gmail.com" (Osceola):
// ACA prints the professional's e-mail after the name. It is dropped: contacts keep no e-mail.
const EMAIL = /\s*\S+@\S+/g;
// "BRANDON, FL, 33510", "OXFORD, FL, 34484": the city line, which also ends in digits.
const CITY_LINE = /,\s*[A-Z]{2},?\s*\d{5}(?:-\d{4})?$/i;
// "Certified Plumbing  CFC055692", "ROOFING CONTRACTOR  CCC1326176": licence type, then number.
const LICENCE_LINE = /^(.*\S)\s+([A-Z]*\d[\w-]*)$/;
// "Valrico FL 33594" (HCFL work location, after the street line).
const CITY_STATE_ZIP = /^(.*?),?\s+([A-Z]{2}),?\s+(\d{5}(?:-\d{4})?)$/i;

/**
 * The people on the page: Applicant (named spans), Licensed Professional (free text: name and e-mail,
 * business, street, city, phone tables, "TYPE NUMBER"), Owner (first line). Addresses and phone
 * numbers of people are not kept.
 */
export function acaContacts(page: AcaDetailPage): { contacts: Contact[]; licenceType: string | null } {
  const contacts: Contact[] = [];
  if (page.applicant) {
    const name = [page.applicant.firstName, page.applicant.lastName].filter(Boolean).join(' ') || null;
    if (name || page.applicant.businessName) {
      contacts.push({ role: 'Applicant', name, company: page.applicant.businessName, license: null, license_class: null });
    }
  }
  const lp = licensedProfessional(page.licensedProfessional);
  if (lp.contact) contacts.push(lp.contact);
  const owner = page.owner[0];
  if (owner) contacts.push({ role: 'Owner', name: owner, company: null, license: null, license_class: null });
  return { contacts, licenceType: lp.licenceType };
}

function licensedProfessional(lines: readonly string[]): { contact: Contact | null; licenceType: string | null } {
  if (lines.length === 0) return { contact: null, licenceType: null };
  const last = lines[lines.length - 1] ?? '';
  const licence = lines.length > 1 && !CITY_LINE.test(last) ? LICENCE_LINE.exec(last) : null;
  const name = (lines[0] ?? '').replace(EMAIL, '').trim() || null;
  // The business line follows the name unless the second line is already the street (owner-builders).
  const second = lines[1] ?? '';
  const company = lines.length > 2 && !/^\d/.test(second) && !CITY_LINE.test(second) ? second : null;
  return {
    contact: { role: 'Licensed Professional', name, company, license: licence?.[2] ?? null, license_class: null },
    licenceType: licence?.[1] ?? null,
  };
}

/** The work location as an address: street line, then "City ST 12345". Empty when the page has none. */
export function acaAddress(workLocation: readonly string[]): Address {
  const [street, cityLine] = workLocation;
  const m = cityLine ? CITY_STATE_ZIP.exec(cityLine) : null;
  return {
    street: street ?? null,
    city: m?.[1] || null,
    state: m?.[2]?.toUpperCase() ?? null,
    zip: m?.[3] ?? null,
  };
}
