/**
 * The MS Ajax "delta" an ASP.NET UpdatePanel answers an async postback with: `len|type|id|content|`
 * segments, the first `1|#||4|` a protocol version. ACA answers a search that way when the portal's
 * own script posts it (`__ASYNCPOST=true`): `updatePanel` segments carry the result HTML (the real
 * Osceola search delta, alexarsh/oracle-property-intelligence-platform-pipeline-osceola-fl,
 * __fixtures__/search-delta-page1.txt @ e50ad72c) and a `pageRedirect` segment sends the browser on,
 * e.g. `1|#||4|144|pageRedirect||%2fTAMPA%2fCap%2fCapDetail.aspx%3fModule%3dBuilding...` in a Tampa
 * ACA client's tests (find_string "%2fCap%2fCapDetail.aspx"). We post a full postback, but a portal
 * may still answer with a delta, so both shapes are read.
 */
export interface AjaxDelta {
  /** UpdatePanel id → its new inner HTML. */
  panels: Map<string, string>;
  /** Decoded redirect target, if the server sent the browser elsewhere. */
  redirect: string | null;
  /** `<id>: <message>` of an `error` segment. */
  error: string | null;
}

const DELTA_START = /^\s*\d+\|[^|]*\|[^|]*\|/;

/** True when a body is a delta rather than HTML. */
export function isAjaxDelta(body: string): boolean {
  return DELTA_START.test(body);
}

/**
 * Decodes a delta. Lengths count UTF-16 code units, which is what `slice` counts; a truncated or
 * malformed tail ends the decode with what was read so far.
 */
export function readAjaxDelta(body: string): AjaxDelta {
  const delta: AjaxDelta = { panels: new Map(), redirect: null, error: null };
  const text = body.trimStart();
  let i = 0;
  while (i < text.length) {
    const p1 = text.indexOf('|', i);
    const p2 = text.indexOf('|', p1 + 1);
    const p3 = text.indexOf('|', p2 + 1);
    const length = Number.parseInt(text.slice(i, p1), 10);
    if (p1 < 0 || p2 < 0 || p3 < 0 || !Number.isFinite(length)) break;
    const type = text.slice(p1 + 1, p2);
    const id = text.slice(p2 + 1, p3);
    const content = text.slice(p3 + 1, p3 + 1 + length);
    if (type === 'updatePanel') delta.panels.set(id, content);
    else if (type === 'pageRedirect') delta.redirect = safeDecode(content);
    else if (type === 'error') delta.error = `${id}: ${content}`;
    i = p3 + 1 + length + 1;
  }
  return delta;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
