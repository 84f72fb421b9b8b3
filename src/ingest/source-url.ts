/**
 * The portal's real URL for what was fetched through `base` (a mirror, the fixture portal): the
 * log keeps the city's address, so a record fetched through an override still links to the
 * city's page; the address actually fetched goes in the event's meta.
 */
export function portalSourceUrl(fetchedUrl: string, base: string, realBase: string): string {
  return fetchedUrl.startsWith(base) ? `${realBase.replace(/\/+$/, '')}${fetchedUrl.slice(base.length)}` : fetchedUrl;
}
