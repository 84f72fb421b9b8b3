/** Query parameters whose values never reach a log: credentials people put in URLs. */
const SECRET_PARAM = /(?:token|key|secret|signature|password|auth)/i;
const REDACTED = '[redacted]';

/**
 * The request's path and query for the access log, with the value of every parameter that looks
 * like a credential (`token`, `api_key`, `secret`...) replaced by `[redacted]`. A URL without a
 * query (nearly every API call) is returned as it is, without parsing.
 */
export function loggablePath(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const pathAndQuery = start < 0 ? '/' : url.slice(start);
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return pathAndQuery;
  const parts = pathAndQuery.slice(q + 1).split('&');
  const safe = parts.map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // a malformed escape: judge the raw name
    }
    return SECRET_PARAM.test(decoded) ? `${name}=${REDACTED}` : part;
  });
  return `${pathAndQuery.slice(0, q)}?${safe.join('&')}`;
}
