import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(isTTY: boolean, env: Record<string, string> = {}) {
  let out = '';
  const log = createLogger('info', { isTTY, write: (s: string) => (out += s) }, env);
  return { log, out: () => out };
}

describe('createLogger', () => {
  it('writes one JSON line per entry when the target is not a terminal', () => {
    const c = capture(false);
    c.log.info({ permit: 'x' }, 'looked up');
    expect(JSON.parse(c.out())).toMatchObject({ level: 30, msg: 'looked up', permit: 'x' });
  });

  it('prints readable, coloured lines on a terminal', () => {
    const c = capture(true);
    c.log.warn('portal slow');
    expect(c.out()).toMatch(/WARN.*portal slow/);
    expect(c.out()).toContain('\u001b[');
  });

  it('honours NO_COLOR on a terminal', () => {
    const c = capture(true, { NO_COLOR: '1' });
    c.log.warn('portal slow');
    expect(c.out()).toMatch(/^\[[\d:.]+\] WARN: portal slow\n$/);
  });

  it('keeps the level: debug lines are dropped at info', () => {
    const c = capture(false);
    c.log.debug('noise');
    expect(c.out()).toBe('');
  });
});
