import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('undici imports', () => {
  it('take undici values from runtime/undici.ts only (under Bun the bare name is a built-in without the guard)', () => {
    const offenders = sourceFiles(SRC).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /from 'undici'/.test(line) && !/^\s*(import|export) type /.test(line))
        .map((line) => `${file.slice(SRC.length)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
