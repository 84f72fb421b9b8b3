import { StreamableHTTPTransport } from '@hono/mcp';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../api/context.ts';
import { createMcpServer, type McpServerDeps } from './server.ts';

/** Where the Streamable HTTP endpoint is (the reference's `https://signedoff.io/mcp`). */
export const MCP_PATH = '/mcp';

/**
 * MCP's Streamable HTTP transport at `/mcp`, in stateless mode: each POST carries its messages
 * and gets their answers as one JSON body; there are no sessions, so no `Mcp-Session-Id`, no
 * server-initiated stream (GET) and nothing to end (DELETE), and any API node can answer any
 * request. A fresh server and transport per request, as the SDK's stateless examples do: the
 * caller differs per request, and one shared transport would mix two clients' JSON-RPC ids.
 * The app's auth middleware runs first (mounted on this path by `createApi`).
 */
export function mcpRoutes(deps: McpServerDeps) {
  const app = new Hono<AppEnv>();
  app.post(MCP_PATH, async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    // One message per request: MCP 2025-06-18 dropped JSON-RPC batches, and one call per request
    // keeps one usage row, one set of X-RateLimit-* headers and one refund per tool call.
    if (Array.isArray(body) && body.length > 1) {
      return c.json(jsonRpcError(-32600, 'Invalid Request: send one JSON-RPC message per request (no batches)'), 400);
    }
    const server = createMcpServer(c, deps);
    const transport = new StreamableHTTPTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c, body);
    } catch (err) {
      // The transport refuses bad messages (not JSON-RPC, wrong Accept or Content-Type) with a
      // JSON-RPC error body, which an MCP client reads; keep it, with this request's headers.
      if (err instanceof HTTPException) return c.json(await err.getResponse().json(), err.status);
      throw err;
    } finally {
      await server.close();
    }
  });
  app.on(['GET', 'DELETE'], MCP_PATH, (c) =>
    c.json(jsonRpcError(-32000, 'Method not allowed: this MCP endpoint is stateless; POST each message'), 405, { Allow: 'POST' }),
  );
  return app;
}

function jsonRpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
