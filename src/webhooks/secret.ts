import { randomBytes } from 'node:crypto';

/** 32 random bytes, as the reference's `whsec_<64-hex-chars>`. */
export const SECRET_BYTES = 32;

/**
 * A new signing secret, `whsec_` + 64 hex characters (reference/signedoff-api.txt). Hex digits
 * are all in the base64 alphabet and 64 is a multiple of 4, so the Standard Webhooks libraries,
 * which read the part after `whsec_` as base64, accept the same string unchanged: one secret
 * string verifies under both schemes.
 */
export function newSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('hex')}`;
}
