import { z } from '@hono/zod-openapi';

/** What a boolean query parameter may say, in any case (Python's requests sends `True`). */
const BOOLEAN_WORDS = /^(?:true|false|1|0)$/i;
const TRUE_WORDS = /^(?:true|1)$/i;

/**
 * The one schema of a boolean query parameter (issue 21, defect 2): `true`/`false`/`1`/`0` in
 * any case, parsed to a boolean; anything else is the 400 `invalid_request` naming the field.
 */
export function booleanQuery(description: string) {
  return z
    .string()
    .regex(BOOLEAN_WORDS, 'expected true, false, 1 or 0')
    .openapi({ description: `${description} (true, false, 1 or 0, any case)`, example: 'true' })
    .transform((v) => TRUE_WORDS.test(v));
}
