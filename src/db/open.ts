import type { Db } from './db.ts';
import { openEmbedded } from './embedded.ts';
import { openRemote } from './remote.ts';
import { databaseKind } from './url.ts';

/** Opens the database a URL names: `file:` embedded, `libsql:`/`http(s):` remote. */
export function openDb(url: string, options: { authToken?: string } = {}): Db {
  const kind = databaseKind(url);
  if (kind === 'embedded') return openEmbedded(url === ':memory:' ? 'file::memory:' : url);
  if (kind === 'remote') return openRemote(url, options.authToken);
  throw new Error(`unsupported database URL "${url}": use file:, libsql://, http:// or https://`);
}
