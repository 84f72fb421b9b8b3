import { checkHostLiteral, resolveTarget, type ResolveHost } from './target-guard.ts';

/** URLs longer than this are refused: no real receiver needs one, and it is stored per row. */
export const WEBHOOK_URL_MAX_LENGTH = 2_048;

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * Registration-time validation of a target URL (create and PATCH). https only, no embedded
 * credentials, and no literal private address unless private targets are allowed (local
 * development and tests, which also allows plain http). Names are checked again at delivery
 * time, before connecting (target-guard.ts); `checkTarget` adds resolution at registration.
 */
export function checkTargetUrl(raw: string, allowPrivate: boolean): UrlCheck {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, message: `url: longer than ${WEBHOOK_URL_MAX_LENGTH} characters` };
  if (!URL.canParse(raw)) return { ok: false, message: 'url: not a valid absolute URL' };
  const url = new URL(raw);
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    // Plain http is for local receivers only; the message names the setting that allows it (issue 21, defect 10).
    const local = allowPrivate || url.protocol !== 'http:' ? '' : '; plain http to a local receiver needs PERMITWATCH_WEBHOOK_ALLOW_PRIVATE=true (development only)';
    return { ok: false, message: `url: must use https${allowPrivate ? ' or http' : ''} (got ${url.protocol.replace(':', '')})${local}` };
  }
  if (url.username || url.password) return { ok: false, message: 'url: must not embed credentials; verify the signature instead' };
  if (!allowPrivate) {
    const verdict = checkHostLiteral(url.hostname);
    if (!verdict.ok) return { ok: false, message: `url: ${verdict.message}` };
  }
  return { ok: true, url: url.toString() };
}

/**
 * Registration's full check: the URL as above, then (unless private targets are allowed) the
 * host resolved and every address judged, so `localhost.`, `ip6-localhost` or a hosts entry
 * pointing inside are refused before the subscription exists (issue 16).
 */
export async function checkTarget(raw: string, options: { allowPrivate: boolean; resolve: ResolveHost }): Promise<UrlCheck> {
  const checked = checkTargetUrl(raw, options.allowPrivate);
  if (!checked.ok || options.allowPrivate) return checked;
  const target = await resolveTarget(new URL(checked.url).hostname, options.resolve);
  return target.ok ? checked : { ok: false, message: `url: ${target.message}; webhook targets must be public` };
}
