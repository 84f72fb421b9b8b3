/**
 * Which driver a database URL names: `file:` (and `:memory:`) is the embedded libSQL file,
 * `libsql://`, `http(s)://` and `ws(s)://` a libSQL server or Turso; anything else is unsupported.
 * Its own module so the config check does not load the drivers.
 */
export function databaseKind(url: string): 'embedded' | 'remote' | 'unsupported' {
  if (url === ':memory:' || url.startsWith('file:')) return 'embedded';
  if (/^(libsql|https?|wss?):\/\/./.test(url)) return 'remote';
  return 'unsupported';
}

/** The file path of a `file:` database URL (query string dropped); undefined for in-memory and remote databases. */
export function embeddedPath(url: string): string | undefined {
  if (!url.startsWith('file:') || url.includes(':memory:')) return undefined;
  return url.slice('file:'.length).split('?')[0] || undefined;
}
