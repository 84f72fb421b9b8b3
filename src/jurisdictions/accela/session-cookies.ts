/**
 * The cookies an ACA page sets, replayed on the postback. GET CapHome.aspx sets `ASP.NET_SessionId`
 * (Osceola harvester README, alexarsh/oracle-property-intelligence-platform-pipeline-osceola-fl @
 * e50ad72c, "How the portal works" step 1) and the search postback is answered within that session.
 * The HTTP client joins repeated Set-Cookie headers with ", " (src/http/send.ts), and an `Expires`
 * attribute holds ", " too ("Expires=Wed, 21 Oct 2026 07:28:00 GMT"), so cookies are split only
 * where ", " is followed by a `name=`.
 */
const COOKIE_BOUNDARY = /,\s*(?=[^;,=\s]+=)/;
const NAME_VALUE = /^\s*([^=;\s]+)=([^;]*)/;

/** The `Cookie` request header for the cookies in a (joined) Set-Cookie header; '' when none. */
export function cookieHeader(setCookie: string | undefined): string {
  if (!setCookie) return '';
  const jar = new Map<string, string>();
  for (const part of setCookie.split(COOKIE_BOUNDARY)) {
    const m = NAME_VALUE.exec(part);
    if (m) jar.set(m[1] as string, (m[2] as string).trim());
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
