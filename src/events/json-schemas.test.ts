import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventJsonSchemas } from './json-schemas.ts';

const dir = fileURLToPath(new URL('../../events/', import.meta.url));

describe('events/*.json', () => {
  const schemas = eventJsonSchemas();
  // `PERMITWATCH_WRITE_SCHEMAS=1 npx vitest run src/events` rewrites the files after a deliberate change.
  if (process.env.PERMITWATCH_WRITE_SCHEMAS === '1') {
    for (const [name, schema] of Object.entries(schemas)) writeFileSync(`${dir}${name}`, `${JSON.stringify(schema, null, 2)}\n`);
  }

  it.each(Object.keys(schemas))('%s matches the code', (name) => {
    expect(existsSync(`${dir}${name}`), `events/${name} is missing: run with PERMITWATCH_WRITE_SCHEMAS=1`).toBe(true);
    expect(JSON.parse(readFileSync(`${dir}${name}`, 'utf8'))).toEqual(schemas[name]);
  });

  it('has no stale schema files', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(schemas).sort());
  });
});
