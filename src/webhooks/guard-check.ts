import type { Agent } from 'undici';
import { systemClock } from '../lib/clock.ts';
import { postDelivery } from './post.ts';

/**
 * A loopback target (the discard port) that a guarded agent refuses before any socket is opened.
 * Were the guard not in force, the probe would at most knock on a local port and be refused.
 */
export const GUARD_PROBE_URL = 'http://127.0.0.1:9/permitwatch-target-guard-probe';
/** A refusal by the guard is immediate; this only bounds a runtime that connects and hangs. */
export const GUARD_PROBE_TIMEOUT_MS = 2_000;

export type GuardCheck = { ok: true } | { ok: false; reason: 'guard_not_enforced'; message: string };

/**
 * Proves that `agent` enforces the webhook target guard on this runtime, by sending one probe
 * to loopback and expecting `target_blocked`. Issue 19: Bun's built-in undici ignored the
 * guard's connector, so deliveries to private addresses went out unchecked; a runtime where the
 * guard does not hold must refuse to start rather than deliver anywhere.
 */
export async function checkTargetGuard(agent: Agent): Promise<GuardCheck> {
  const outcome = await postDelivery(
    agent,
    GUARD_PROBE_URL,
    '{}',
    { 'content-type': 'application/json' },
    systemClock,
    GUARD_PROBE_TIMEOUT_MS,
  );
  if (outcome.error === 'target_blocked') return { ok: true };
  const got = outcome.status_code !== null ? `HTTP ${outcome.status_code}` : (outcome.error ?? 'no error');
  return {
    ok: false,
    reason: 'guard_not_enforced',
    message: `the webhook target guard does not hold on this runtime: a probe POST to ${GUARD_PROBE_URL} was not refused before connecting (got ${got})`,
  };
}
