import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from '../runtime/undici.ts';

/**
 * ipaddr.js range names that are reachable public addresses. Everything else (loopback,
 * private, linkLocal, which holds the 169.254.169.254 cloud metadata service, uniqueLocal,
 * carrierGradeNat, unspecified, reserved, multicast, 6to4 / teredo tunnels that can wrap a
 * private IPv4...) is refused.
 */
const PUBLIC_RANGES = new Set(['unicast']);

export type TargetVerdict = { ok: true } | { ok: false; reason: 'non_public_address'; message: string };

/** Whether an IP address may receive deliveries. IPv4-mapped IPv6 is judged as its IPv4. */
export function checkAddress(address: string): TargetVerdict {
  if (!ipaddr.isValid(address)) return { ok: false, reason: 'non_public_address', message: `${address} is not an IP address` };
  const range = ipaddr.process(address).range();
  if (PUBLIC_RANGES.has(range)) return { ok: true };
  return { ok: false, reason: 'non_public_address', message: `${address} is a ${range} address; webhook targets must be public` };
}

export class TargetBlockedError extends Error {
  readonly code = 'PERMITWATCH_TARGET_BLOCKED';
}

/** Every address a name resolves to (the system resolver: DNS and /etc/hosts). */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

export type ResolvedTarget =
  | { ok: true; addresses: readonly { address: string; family: number }[] }
  | { ok: false; reason: 'non_public_address' | 'unresolvable'; message: string };

/**
 * Resolves a target host and judges every address it gets: one non-public address refuses the
 * whole name, so a name cannot mix a public address with an internal one. An IP literal is
 * judged as it is. Registration and every connection ask this before any socket is opened.
 */
export async function resolveTarget(hostname: string, resolve: ResolveHost): Promise<ResolvedTarget> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(bare);
  if (literal) {
    const verdict = checkAddress(bare);
    return verdict.ok ? { ok: true, addresses: [{ address: bare, family: literal }] } : verdict;
  }
  let addresses: readonly { address: string; family: number }[];
  try {
    addresses = await resolve(bare);
  } catch {
    return { ok: false, reason: 'unresolvable', message: `${hostname} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolvable', message: `${hostname} does not resolve` };
  for (const a of addresses) {
    const verdict = checkAddress(a.address);
    if (!verdict.ok) return { ok: false, reason: 'non_public_address', message: `${hostname} resolves to ${verdict.message}` };
  }
  return { ok: true, addresses };
}

/**
 * A `lookup` for net/tls.connect that resolves, checks, and hands the socket only the checked
 * addresses, so the connection goes to exactly what was judged (pinned: no second resolution
 * between check and connect, no DNS rebinding). A refused name fails the lookup: no socket is
 * opened.
 */
export function guardedLookup(resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    void resolveTarget(hostname, resolve).then((target) => {
      const cb = callback as (err: Error | null, address?: unknown, family?: number) => void;
      if (!target.ok) return cb(new TargetBlockedError(target.message));
      const wanted = options.family === 4 || options.family === 6 ? target.addresses.filter((a) => a.family === options.family) : target.addresses;
      if (wanted.length === 0) return cb(new TargetBlockedError(`${hostname} has no IPv${options.family} address`));
      if (options.all) return cb(null, wanted);
      return cb(null, wanted[0]!.address, wanted[0]!.family);
    });
  };
}

/**
 * An undici connector that judges the target before connecting (issue 16: it used to judge the
 * socket's address after TCP and TLS, so loopback names were connected to first). IP literals
 * are checked here, since net.connect skips `lookup` for them; names go through guardedLookup.
 */
export function guardedConnector(options: { connectTimeoutMs: number; allowPrivate: boolean; resolve?: ResolveHost }): buildConnector.connector {
  if (options.allowPrivate) return buildConnector({ timeout: options.connectTimeoutMs });
  const base = buildConnector({ timeout: options.connectTimeoutMs, lookup: guardedLookup(options.resolve ?? systemResolve) });
  return (opts, callback) => {
    const bare = opts.hostname.replace(/^\[|\]$/g, '');
    if (isIP(bare)) {
      const verdict = checkAddress(bare);
      if (!verdict.ok) return callback(new TargetBlockedError(verdict.message), null);
    }
    return base(opts, callback);
  };
}

/** Registration-time check of a URL's host when it is an IP literal or plainly local. */
export function checkHostLiteral(hostname: string): TargetVerdict {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return checkAddress(bare);
  if (bare === 'localhost' || bare.endsWith('.localhost')) {
    return { ok: false, reason: 'non_public_address', message: `${hostname} is a loopback name; webhook targets must be public` };
  }
  return { ok: true };
}
