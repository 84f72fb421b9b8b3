import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { activePhaseSql, isActivePhase, isApprovalPhase, isDenialPhase, PHASE_ORDER, phaseGroup } from './phases.ts';
import { STATUS_PHASES, type StatusPhase } from './record.ts';

// One row per phase: [phase, active, approval, denial, group]. The exhaustiveness check below
// makes this table fail when a phase is added to record.ts without a decision here.
const TABLE: [StatusPhase, boolean, boolean, boolean, string][] = [
  ['applied', true, false, false, 'open'],
  ['in_review', true, false, false, 'open'],
  ['corrections', true, false, false, 'corrections'],
  ['approved', true, true, false, 'approval'],
  ['issued', true, true, false, 'approval'],
  ['inspections', true, true, false, 'approval'],
  ['closed', false, true, false, 'approval'],
  ['expired', false, false, true, 'denial'],
  ['denied', false, false, true, 'denial'],
  ['withdrawn', false, false, true, 'denial'],
  ['unknown', true, false, false, 'unknown'],
];

describe('phase traits', () => {
  it('covers every phase exactly once', () => {
    expect(TABLE.map(([phase]) => phase).sort()).toEqual([...STATUS_PHASES].sort());
  });

  it.each(TABLE)('%s: active=%s approval=%s denial=%s group=%s', (phase, active, approval, denial, group) => {
    expect(isActivePhase(phase)).toBe(active);
    expect(isApprovalPhase(phase)).toBe(approval);
    expect(isDenialPhase(phase)).toBe(denial);
    expect(phaseGroup(phase)).toBe(group);
  });
});

describe('PHASE_ORDER', () => {
  it.each([
    ['applied', 'in_review'],
    ['in_review', 'corrections'],
    ['approved', 'issued'],
    ['issued', 'inspections'],
    ['inspections', 'closed'],
    ['closed', 'unknown'],
  ] as const)('%s comes before %s', (earlier, later) => {
    expect(PHASE_ORDER.indexOf(earlier)).toBeLessThan(PHASE_ORDER.indexOf(later));
  });

  it('lists every phase once', () => {
    expect(new Set(PHASE_ORDER).size).toBe(STATUS_PHASES.length);
  });
});

describe('activePhaseSql', () => {
  it('is true in SQLite exactly for the phases isActivePhase calls active', () => {
    const db = new Database(':memory:');
    try {
      const active = db.prepare(`SELECT ${activePhaseSql('?')} AS active`);
      for (const phase of STATUS_PHASES) {
        expect((active.get(phase) as { active: number }).active === 1, phase).toBe(isActivePhase(phase));
      }
    } finally {
      db.close();
    }
  });
});
