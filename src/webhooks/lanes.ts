/**
 * Attempts in flight at once per subscription: a slow receiver holds at most this many of the
 * dispatcher's slots, and a fast one still gets a burst through.
 */
export const SUBSCRIPTION_LANE = 32;
/**
 * Attempts in flight at once per receiver origin (scheme, host and port): subscriptions that
 * point at one slow server share its lane instead of each taking their own.
 */
export const ORIGIN_LANE = 32;
/**
 * Attempts in flight at once per API key: a tenant with many slow endpoints (issue 16 saw 130)
 * holds at most this share of the slots, so another tenant's delivery finds one free.
 */
export const KEY_LANE = 64;

/** The lanes one attempt runs in. */
export interface LaneKeys {
  subscription: string;
  key: string;
  origin: string;
}

/** The lanes of a subscription: its id, its key, and its URL's origin. */
export function laneKeys(sub: { id: string; key_id: string; url: string }): LaneKeys {
  let origin = sub.url;
  try {
    origin = new URL(sub.url).origin;
  } catch {
    // A stored URL was checked at registration; an unparsable one is its own lane.
  }
  return { subscription: sub.id, key: sub.key_id, origin };
}

/**
 * Counts attempts in flight per lane, so the claim leaves alone what a full lane cannot take:
 * fairness per subscription, per origin and per key, whatever order rows became due in.
 */
export class Lanes {
  private readonly subscriptions = new Map<string, number>();
  private readonly keys = new Map<string, number>();
  private readonly origins = new Map<string, number>();

  constructor(private readonly caps = { subscription: SUBSCRIPTION_LANE, key: KEY_LANE, origin: ORIGIN_LANE }) {}

  /** Whether one more attempt fits every lane of `k`. */
  fits(k: LaneKeys): boolean {
    return (
      (this.subscriptions.get(k.subscription) ?? 0) < this.caps.subscription &&
      (this.keys.get(k.key) ?? 0) < this.caps.key &&
      (this.origins.get(k.origin) ?? 0) < this.caps.origin
    );
  }

  enter(k: LaneKeys): void {
    bump(this.subscriptions, k.subscription, 1);
    bump(this.keys, k.key, 1);
    bump(this.origins, k.origin, 1);
  }

  leave(k: LaneKeys): void {
    bump(this.subscriptions, k.subscription, -1);
    bump(this.keys, k.key, -1);
    bump(this.origins, k.origin, -1);
  }

  /** Full lanes, for the claim query to skip their rows before it applies its LIMIT. */
  full(): { subscriptions: string[]; keys: string[]; origins: string[] } {
    const at = (m: Map<string, number>, cap: number) => [...m].filter(([, n]) => n >= cap).map(([k]) => k);
    return {
      subscriptions: at(this.subscriptions, this.caps.subscription),
      keys: at(this.keys, this.caps.key),
      origins: at(this.origins, this.caps.origin),
    };
  }
}

function bump(m: Map<string, number>, k: string, by: number): void {
  const n = (m.get(k) ?? 0) + by;
  if (n <= 0) m.delete(k);
  else m.set(k, n);
}
