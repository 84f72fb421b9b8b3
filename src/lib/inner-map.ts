/**
 * The map under `key` in a map of maps, made and stored on first use. Counters on the request
 * path key their rows by two values this way rather than by a joined string, which would be
 * built and hashed anew on every request.
 */
export function innerMap<K, K2, V>(outer: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}
