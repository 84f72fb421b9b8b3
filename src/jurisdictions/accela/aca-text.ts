interface TextNode {
  textContent: string | null;
}

/** An element's text with ACA's indentation, CR/LF runs and &nbsp; collapsed to single spaces. */
export function cellText(node: TextNode | null | undefined): string {
  return collapse(node?.textContent ?? '');
}

/** Collapses whitespace (including U+00A0) to single spaces and trims. */
export function collapse(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Record numbers compared as ACA does: case and surrounding blanks do not matter. */
export function sameRecordNumber(a: string, b: string): boolean {
  return collapse(a).toUpperCase() === collapse(b).toUpperCase();
}
