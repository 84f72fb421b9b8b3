import type { PlatformAdapter } from '../jurisdictions/adapter.ts';
import type { Jurisdiction } from '../jurisdictions/jurisdiction.ts';

/** `PERMITWATCH_FEEDS` as parsed: the slugs named, or every feed. */
export type FeedNames = readonly string[] | 'all';

/**
 * The jurisdictions `PERMITWATCH_FEEDS` names (`all`: every one whose adapter has a feed), or
 * a message naming what is not a feed of this catalog and what is.
 */
export function resolveFeeds(
  names: FeedNames,
  entries: readonly Jurisdiction[],
  adapters: Readonly<Record<string, PlatformAdapter>>,
): { ok: true; slugs: string[] } | { ok: false; message: string } {
  const feedable = entries.filter((j) => adapters[j.platform]?.changedSince !== undefined).map((j) => j.slug);
  if (names === 'all') return { ok: true, slugs: feedable };
  const unknown = names.filter((n) => !feedable.includes(n));
  if (unknown.length > 0) {
    const what = unknown.length > 1 ? 'are not feeds' : 'is not a feed';
    return { ok: false, message: `${unknown.map((n) => `"${n}"`).join(', ')} ${what}; feeds: ${feedable.join(', ')}, or all` };
  }
  return { ok: true, slugs: [...new Set(names)] };
}
