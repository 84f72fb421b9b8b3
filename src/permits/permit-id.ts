import { createHash } from 'node:crypto';

// The namespace of permit ids: a fixed random UUID, so ids are ours and never collide with another
// system's v5 ids of the same names. Changing it changes every permit's public id.
const PERMIT_NAMESPACE = Buffer.from('5b0f3a1e7c2d4e8f9a6b1c3d5e7f9a2b', 'hex');

/**
 * A permit's public id (PermitStack's `id`): a UUID version 5 (RFC 9562 §5.5, SHA-1 of the
 * namespace and the name) of its stream, `permit/<jurisdiction>/<permit_number>`. The same on
 * every install and after every rebuild, since it depends on the name alone. By hand rather than
 * the `uuid` package, which production code does not depend on: it is one hash and two bit masks.
 */
export function permitId(stream: string): string {
  const bytes = createHash('sha1').update(PERMIT_NAMESPACE).update(stream, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
