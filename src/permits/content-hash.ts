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
  // One string built by appending rather than map/filter/join per level, and each key's quoted
  // form remembered: the observe path hashes every record, and JSON.stringify of the same few
  // dozen keys was the largest part of the cost (bench/README.md).
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) throw new TypeError('canonicalJson: undefined array item');
          out += i === 0 ? canonicalJson(item) : `,${canonicalJson(item)}`;
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) break;
      const keys = Object.keys(value);
      if (keys.length > 1) keys.sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = value[key];
        if (member === undefined) continue;
        out += `${first ? '' : ','}${quotedKey(key)}:${canonicalJson(member)}`;
        first = false;
      }
      return `${out}}`;
    }
  }
  throw new TypeError(`canonicalJson: cannot serialise ${typeof value}`);
}

/**
 * Keys whose JSON form is remembered. Records repeat the same schema keys (and a portal's column
 * names in `extra`); the bound keeps a stream of never-repeated keys from growing the table.
 * A pure function of the key, so an entry can never be stale.
 */
const QUOTED_KEYS_MAX = 10_000;
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, quoted);
  }
  return quoted;
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
