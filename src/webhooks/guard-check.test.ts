import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../runtime/undici.ts';
import { checkTargetGuard } from './guard-check.ts';
import { createDeliveryAgent } from './post.ts';

describe('checkTargetGuard', () => {
  const agents: Agent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  it('passes for the guarded delivery agent', async () => {
    const agent = createDeliveryAgent({ allowPrivate: false });
    agents.push(agent);
    expect(await checkTargetGuard(agent)).toEqual({ ok: true });
  });

  it('fails for an agent that connects to loopback (the guard skipped, as under Bun built-in undici)', async () => {
    const agent = new Agent();
    agents.push(agent);
    const verdict = await checkTargetGuard(agent);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ reason: 'guard_not_enforced' });
  });

  it('fails for the allow-private agent, which connects on purpose', async () => {
    const agent = createDeliveryAgent({ allowPrivate: true });
    agents.push(agent);
    expect((await checkTargetGuard(agent)).ok).toBe(false);
  });
});
