/** LADBS application/permit numbers: three groups of five digits ("16041-10000-23545"). */
export const LADBS_PERMIT_NUMBER_PATTERN = '^\\d{5}-\\d{5}-\\d{5}$';
const LADBS_PERMIT_NUMBER = /^(\d{5})-(\d{5})-(\d{5})$/;

/** The PCIS detail page; its query takes the three groups as id1, id2, id3. */
export const PCIS_DETAIL_PATH = '/OnlineServices/PermitReport/PcisPermitDetail';

export interface LadbsPermitId {
  id1: string;
  id2: string;
  id3: string;
}

/** Splits "16041-10000-23545" into its three groups; null for anything else (leading zeros kept). */
export function splitLadbsPermitNumber(permitNumber: string): LadbsPermitId | null {
  const m = LADBS_PERMIT_NUMBER.exec(permitNumber.trim());
  if (!m) return null;
  const [, id1, id2, id3] = m as unknown as [string, string, string, string];
  return { id1, id2, id3 };
}

/**
 * The detail page URL for one permit against `baseUrl` (the real host or an override such as the
 * fixture portal). The real path and query are kept, and a path prefix on the base is preserved,
 * so a mirror mounted under `/ladbs` works too.
 */
export function pcisDetailUrl(baseUrl: string, id: LadbsPermitId): string {
  const base = baseUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ id1: id.id1, id2: id.id2, id3: id.id3 });
  return `${base}${PCIS_DETAIL_PATH}?${query.toString()}`;
}
