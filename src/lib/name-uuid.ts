import { v5 } from 'uuid';

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5, the `uuid` package): the same namespace and name
 * always give the same UUID, so an id derived from a stable name survives a rebuild of everything
 * else.
 */
export function nameUuid(namespace: string, name: string): string {
  return v5(name, namespace);
}
