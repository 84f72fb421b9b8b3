import type { Logger } from 'pino';
import type { DataPlane } from '../api/context.ts';

/**
 * Loads the demo dataset on first start: each captured permit is looked up through its real
 * adapter against the fixture portal, so demo data takes exactly the production write path.
 * A plane that already holds permits is left alone.
 */
export async function seedDemo(
  plane: DataPlane,
  permits: readonly { jurisdiction: string; permit_number: string }[],
  log: Logger,
): Promise<{ seeded: number; skipped: boolean }> {
  const existing = await plane.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM permits');
  if ((existing?.n ?? 0) > 0) return { seeded: 0, skipped: true };
  const results = await Promise.all(
    permits.map(async (p) => {
      const result = await plane.lookup.lookup({ permitNumber: p.permit_number, jurisdiction: p.jurisdiction, forceRefresh: true });
      if (!result.ok) log.warn({ permit: p, reason: result.reason }, 'demo permit could not be loaded');
      return result.ok;
    }),
  );
  return { seeded: results.filter(Boolean).length, skipped: false };
}
