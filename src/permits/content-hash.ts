// node:crypto rather than WebCrypto: crypto.subtle.digest is async only, and the observe path
// hashes inside a synchronous transaction. Node 20, Bun and Deno all implement createHash.
import { createHash } from 'node:crypto';
import type { PermitRecord } from './record.ts';

/**
 * Serialises JSON data canonically: object keys sorted by UTF-16 code unit, arrays in order, no
 * whitespace, `undefined` object members omitted. For this JSON subset it is the RFC 8785 (JCS)
 * form: strings and numbers are written by JSON.stringify, which JCS adopts from ECMAScript.
 * Throws a TypeError on anything JSON cannot represent exactly (NaN, Infinity, bigint, functions,
 * class instances such as Date, `undefined` array items), so two different values never share a
 * serialisation by being silently coerced to `null` or `{}`.
 */
export function canonicalJson(value: unknown): string {
  // One string built by appending rather than map/filter/join per level: the observe path
  // hashes every record, and the allocations were most of the cost (bench/append.ts).
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) throw new TypeError('canonicalJson: undefined array item');
      out += i === 0 ? canonicalJson(item) : `,${canonicalJson(item)}`;
    }
    return `${out}]`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    let out = '{';
    for (const key of keys) {
      const member = value[key];
      if (member === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`canonicalJson: cannot serialise ${typeof value}`);
}

/**
 * SHA-256 (lower-case hex) of the record's canonical JSON: equal records hash equal whatever
 * their key order, so an unchanged re-check appends nothing to the log (DESIGN.md §3).
 */
export function contentHash(record: PermitRecord): string {
  return createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
