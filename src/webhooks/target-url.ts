import { checkHostLiteral } from './target-guard.ts';

/** URLs longer than this are refused: no real receiver needs one, and it is stored per row. */
export const WEBHOOK_URL_MAX_LENGTH = 2_048;

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * Registration-time validation of a target URL (create and PATCH). https only, no embedded
 * credentials, and no literal private address unless private targets are allowed (local
 * development and tests, which also allows plain http). Names are checked again at delivery
 * time, on the connected address (target-guard.ts).
 */
export function checkTargetUrl(raw: string, allowPrivate: boolean): UrlCheck {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, message: `url: longer than ${WEBHOOK_URL_MAX_LENGTH} characters` };
  if (!URL.canParse(raw)) return { ok: false, message: 'url: not a valid absolute URL' };
  const url = new URL(raw);
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    return { ok: false, message: `url: must use https${allowPrivate ? ' or http' : ''} (got ${url.protocol.replace(':', '')})` };
  }
  if (url.username || url.password) return { ok: false, message: 'url: must not embed credentials; verify the signature instead' };
  if (!allowPrivate) {
    const verdict = checkHostLiteral(url.hostname);
    if (!verdict.ok) return { ok: false, message: `url: ${verdict.message}` };
  }
  return { ok: true, url: url.toString() };
}
