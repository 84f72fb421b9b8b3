import type { AcaDetailPage } from './aca-page.ts';

export type AcaLayout = { kind: 'detail' } | { kind: 'damaged'; message: string };

/**
 * Whether a page shows the whole layout of a CapDetail page: the record header (number, type and
 * status), the Record Details panel with its block headings each directly followed by its content,
 * ASI labels each with its value where its layout puts it, workflow marks and condition lines that
 * read as captured, and the closing `</html>` (a page cut anywhere before it, inside a section too,
 * has none).
 *
 * A CapDetail page never says "no such record" (the search answers that: search-answer.ts), so any
 * page short of this layout (the search form, an error, login or maintenance page, an empty or cut
 * body) is damaged, never a missing record.
 */
export function acaLayout(page: AcaDetailPage): AcaLayout {
  if (!page.recordNumber) return damaged('not a CapDetail page (no record number)');
  if (!page.recordType) return damaged('no record type');
  if (!page.recordStatus) return damaged('no record status');
  const { layout } = page;
  if (!layout.hasDetailPanel || layout.blockHeadings.length === 0) return damaged('no Record Details panel (page cut after the header?)');
  if (layout.orphanHeadings.length > 0) return damaged(`block "${layout.orphanHeadings[0]}" is not followed by its content`);
  if (layout.asiWithoutValue.length > 0) return damaged(`ASI label "${layout.asiWithoutValue[0]}" has no value beside it`);
  if (layout.malformed.length > 0) return damaged(layout.malformed[0] ?? 'malformed');
  if (!layout.hasEndOfPage) return damaged('the page ends before its closing </html> (cut in transfer?)');
  return { kind: 'detail' };
}

function damaged(message: string): AcaLayout {
  return { kind: 'damaged', message };
}
