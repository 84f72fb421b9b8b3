import { parseHTML } from '../html.ts';

/**
 * ASP.NET WebForms state, read and sent back. An ACA page is one `<form id="aspnetForm">`; a search
 * is a postback of that whole form: every hidden state field (`__VIEWSTATE`, `__VIEWSTATEGENERATOR`,
 * `__EVENTVALIDATION` where the page has one, ACA's own `ACA_CS_FIELD`) returned unchanged, plus
 * `__EVENTTARGET` naming the control that "clicked". Public ACA clients do the same: the Osceola
 * harvester (alexarsh/oracle-property-intelligence-platform-pipeline-osceola-fl, search.ts @ e50ad72c)
 * copies every hidden input, and a Colorado Springs script posts `__EVENTTARGET=
 * ctl00$PlaceHolderMain$btnNewSearch` with the page's `__VIEWSTATE`, `__VIEWSTATEGENERATOR` and
 * `ACA_CS_FIELD` (find_string "txtGSPermitNumber", a requests-based COSPRINGS script).
 */

/** The fields without which a WebForms server cannot rebuild the page it sent: no point posting. */
export const REQUIRED_STATE_FIELDS = ['__VIEWSTATE'] as const;

/** Control types a browser does not submit unless clicked (the postback names its control instead). */
const NOT_SUBMITTED = new Set(['submit', 'button', 'image', 'reset', 'file']);

/**
 * The fields a browser would submit from the page's form, in document order: hidden and text inputs
 * with their values, checked checkboxes and radios, each select's selected option (or its first),
 * textareas. Buttons are left out. Reads the first `<form>`, or the whole page when there is none
 * (an UpdatePanel fragment).
 */
export function readFormFields(html: string): Map<string, string> {
  const { document } = parseHTML(html);
  const scope = document.querySelector('form') ?? document;
  const fields = new Map<string, string>();
  for (const el of scope.querySelectorAll('input, select, textarea')) {
    const name = el.getAttribute('name');
    if (!name || el.hasAttribute('disabled')) continue;
    const tag = el.tagName.toLowerCase();
    if (tag === 'select') {
      const option = el.querySelector('option[selected]') ?? el.querySelector('option');
      fields.set(name, option?.getAttribute('value') ?? option?.textContent ?? '');
    } else if (tag === 'textarea') {
      fields.set(name, el.textContent ?? '');
    } else {
      const type = (el.getAttribute('type') ?? 'text').toLowerCase();
      if (NOT_SUBMITTED.has(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked')) continue;
      fields.set(name, el.getAttribute('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''));
    }
  }
  return fields;
}

/** True when the page carries the WebForms state a postback must return. */
export function hasPostbackState(fields: ReadonlyMap<string, string>): boolean {
  return REQUIRED_STATE_FIELDS.every((f) => fields.has(f));
}

/**
 * The urlencoded body of a postback: the page's fields, then `values` over them, then
 * `__EVENTTARGET`/`__EVENTARGUMENT` naming the control, as `__doPostBack(target, argument)` sets them.
 */
export function postbackBody(
  fields: ReadonlyMap<string, string>,
  postback: { eventTarget: string; eventArgument?: string; values?: Readonly<Record<string, string>> },
): string {
  const body = new URLSearchParams();
  for (const [name, value] of fields) body.set(name, value);
  for (const [name, value] of Object.entries(postback.values ?? {})) body.set(name, value);
  body.set('__EVENTTARGET', postback.eventTarget);
  body.set('__EVENTARGUMENT', postback.eventArgument ?? '');
  return body.toString();
}
