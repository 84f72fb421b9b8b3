import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';

/**
 * The deployment files, checked without a container engine (none runs on the CI machines): the
 * Dockerfile is linted by dockerfile-utils (the validator behind VS Code's Docker support) and
 * held to what the README promises. With an engine installed, the image is also built and run.
 */
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const dockerfile = read('Dockerfile');

function hasContainerEngine(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

describe('Dockerfile', () => {
  it('passes the linter with no problem of any severity', () => {
    expect(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('is multi-stage, runs as a non-root user, keeps the database on a volume and checks /readyz', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/PERMITWATCH_DATABASE_URL=file:\/data\//);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(dockerfile).toContain('npm prune --omit=dev');
  });

  it.skipIf(!hasContainerEngine())('builds and answers /readyz (only where a container engine runs)', () => {
    execFileSync('docker', ['build', '-t', 'permitwatch:test', '.'], { stdio: 'inherit', timeout: 600_000 });
  });
});

describe('compose.yaml and the systemd unit', () => {
  it('compose builds this directory, publishes on loopback and keeps the data in a named volume', () => {
    const compose = read('compose.yaml');
    expect(compose).toMatch(/^\s+build: \.$/m);
    expect(compose).toContain('"127.0.0.1:8080:8080"');
    expect(compose).toMatch(/- permitwatch-data:\/data/);
  });

  it('the unit starts the installed command, as its own user, with a state directory', () => {
    const unit = read('deploy/permitwatch.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/permitwatch\/bin\/permitwatch\.mjs serve$/m);
    expect(existsSync(new URL('../bin/permitwatch.mjs', import.meta.url))).toBe(true);
    expect(unit).toMatch(/^User=permitwatch$/m);
    expect(unit).toMatch(/^StateDirectory=permitwatch$/m);
  });
});
