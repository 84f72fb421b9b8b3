/** A Postman collection variable (collection format v2.1). */
interface Variable {
  key: string;
  value: string;
  type: 'string';
  description?: string;
}

/**
 * The collection's variables for one origin (issue 21, defect 8): `baseUrl` is where this
 * server is reached, and `apiKey`, which the converter's collection auth refers to but never
 * defines, is defined (empty, described), so an import has no undefined variable to fix. The
 * converted collection is shared between requests; this returns a copy.
 */
export function withCollectionVariables<T extends { variable?: Variable[] }>(collection: T, origin: string): T {
  const own = new Set(['baseUrl', 'apiKey']);
  return {
    ...collection,
    variable: [
      { key: 'baseUrl', value: origin, type: 'string', description: 'Where this Permitwatch server is reached' },
      {
        key: 'apiKey',
        value: '',
        type: 'string',
        description: 'Your API key (sk_live_... or sk_test_...), sent as X-API-Key: create one with `permitwatch keys create`',
      },
      ...(collection.variable ?? []).filter((v) => !own.has(v.key)),
    ],
  };
}
