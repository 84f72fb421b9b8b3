import ipaddr from 'ipaddr.js';
import { isIP, type Socket } from 'node:net';
import { buildConnector } from 'undici';

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

/**
 * An undici connector that checks the address the socket actually connected to, after DNS:
 * a name that resolves (or re-resolves, DNS rebinding) to a private address is refused before
 * a byte of the request is written, whatever it resolved to at registration.
 */
export function guardedConnector(options: { connectTimeoutMs: number; allowPrivate: boolean }): buildConnector.connector {
  const base = buildConnector({ timeout: options.connectTimeoutMs });
  if (options.allowPrivate) return base;
  return (opts, callback) => {
    base(opts, (...args) => {
      const [err, socket] = args;
      if (err) return callback(err, null);
      const address = (socket as Socket).remoteAddress ?? '';
      const verdict = checkAddress(address);
      if (verdict.ok) return callback(null, socket);
      socket.destroy();
      callback(new TargetBlockedError(verdict.message), null);
    });
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
