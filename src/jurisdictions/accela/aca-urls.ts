import type { AcaSettings } from './aca-settings.ts';

/** ACA's internal key of a record, as CapDetail.aspx takes it (`capID1=REC26&capID2=00000&capID3=00U45`). */
export interface CapId {
  capID1: string;
  capID2: string;
  capID3: string;
}

const CAP_HOME_PAGE = '/Cap/CapHome.aspx';
const CAP_DETAIL_PAGE = '/Cap/CapDetail.aspx';

function root(baseUrl: string, settings: AcaSettings): string {
  return `${baseUrl.replace(/\/+$/, '')}${settings.path}`;
}

/**
 * The record search page, e.g. https://permits.cityofboise.org/CitizenAccess/Cap/CapHome.aspx?module=Building&TabName=Building
 * (fixtures/accela/boise-meridian-capture-manifest.json). Parameter names keep ACA's casing.
 */
export function capHomeUrl(baseUrl: string, settings: AcaSettings): string {
  const query = new URLSearchParams({ module: settings.module, TabName: settings.home_tab ?? settings.module });
  return `${root(baseUrl, settings)}${CAP_HOME_PAGE}?${query.toString()}`;
}

/**
 * A record's detail page, with the query ACA itself links to (Osceola grid rows, Boise and Meridian
 * final URLs): Module, TabName, capID1-3, agencyCode and an empty IsToShowInspection.
 */
export function capDetailUrl(baseUrl: string, settings: AcaSettings, id: CapId): string {
  const query = new URLSearchParams({
    Module: settings.module,
    TabName: settings.module,
    capID1: id.capID1,
    capID2: id.capID2,
    capID3: id.capID3,
    agencyCode: settings.agency_code,
    IsToShowInspection: '',
  });
  return `${root(baseUrl, settings)}${CAP_DETAIL_PAGE}?${query.toString()}`;
}

/** The capIDs of a CapDetail link or redirect (absolute, root-relative or relative); null for any other URL. */
export function capIdFromUrl(url: string): CapId | null {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/&amp;/g, '&'), 'http://aca.invalid/Cap/');
  } catch {
    return null;
  }
  if (!parsed.pathname.toLowerCase().endsWith(CAP_DETAIL_PAGE.toLowerCase())) return null;
  // ACA spells the keys capID1 in links and capId1 in some scripts (CapClone URL on the Osceola page).
  const get = (n: number) => parsed.searchParams.get(`capID${n}`) ?? parsed.searchParams.get(`capId${n}`);
  const [capID1, capID2, capID3] = [get(1), get(2), get(3)];
  return capID1 && capID2 && capID3 ? { capID1, capID2, capID3 } : null;
}
