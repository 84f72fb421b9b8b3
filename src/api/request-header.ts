import type { Context } from 'hono';

/**
 * Reads one request header by its lower-case name. The runtime supplies it (runtime/node.ts
 * reads Node's own parsed headers); `webRequestHeader` is the portable fallback.
 */
export type RequestHeaderReader = (c: Context, name: string) => string | undefined;

/** A header from the web `Request`: works on every runtime. */
export const webRequestHeader: RequestHeaderReader = (c, name) => c.req.raw.headers.get(name) ?? undefined;
