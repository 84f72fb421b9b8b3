import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventJsonSchemas } from './json-schemas.ts';
import { PERMIT_OBSERVED_SCHEMA_VERSION } from './permit-observed.ts';

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

  // Schemas of older permit.observed versions stay committed, frozen: events stored under them are
  // still in logs (decode.ts upcasts them), and their consumers read those files.
  it('has no stale schema files', () => {
    const older = (f: string) => Number(/^permit\.observed\.v(\d+)\./.exec(f)?.[1] ?? NaN) < PERMIT_OBSERVED_SCHEMA_VERSION;
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !older(f));
    expect(files.sort()).toEqual(Object.keys(schemas).sort());
  });
});
