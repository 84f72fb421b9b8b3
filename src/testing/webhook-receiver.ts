import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyDelivery, type Verification } from '../webhooks/verify.ts';

/** Bodies larger than this are refused with 413: no delivery of ours comes near it. */
export const RECEIVER_MAX_BODY_BYTES = 1024 * 1024;

export interface ReceivedDelivery {
  id: string;
  event: string;
  body: string;
  headers: Record<string, string>;
  verification: Verification | null;
  received_at: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: ReceivedDelivery[];
  close(): Promise<void>;
}

export interface ReceiverOptions {
  port?: number;
  host?: string;
  /** The webhook's secrets; each is tried, so a rotation overlap verifies with either. */
  secrets?: () => readonly string[];
  /** The status to answer a delivery with (default 200); lets a test fail, then recover. */
  respond?: (delivery: ReceivedDelivery) => number | { status: number; headers?: Record<string, string>; body?: string };
  onDelivery?: (delivery: ReceivedDelivery) => void;
  /** Answers each delivery this long after reading it: a slow receiver, so attempts are in flight together. */
  delayMs?: number;
}

/**
 * A webhook receiver on loopback, for `permitwatch listen` and the tests: reads the raw body,
 * verifies both signature schemes, records the delivery, answers. A plain node:http server so
 * the bytes it verifies are exactly the bytes that came over the wire.
 */
export function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (body === null) {
      res.writeHead(413).end('too large');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    let verification: Verification | null = null;
    for (const secret of options.secrets?.() ?? []) {
      verification = verifyDelivery(body, headers, secret);
      if (verification.signedoff || verification.standard) break;
    }
    let event = headers['x-signedoff-event'] ?? '';
    try {
      event = (JSON.parse(body) as { event?: string }).event ?? event;
    } catch {
      // not JSON: recorded as is
    }
    const delivery: ReceivedDelivery = { id: headers['webhook-id'] ?? '', event, body, headers, verification, received_at: Date.now() };
    received.push(delivery);
    options.onDelivery?.(delivery);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const answer = options.respond?.(delivery) ?? 200;
    const {
      status,
      headers: extra = {},
      body: text = status < 300 ? 'OK' : 'failing on purpose',
    } = typeof answer === 'number' ? { status: answer } : answer;
    res.writeHead(status, { 'content-type': 'text/plain', ...extra }).end(text);
  });
  return new Promise((resolve) => {
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        received,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > RECEIVER_MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
