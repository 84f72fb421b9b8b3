import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../api/context.ts';
import { ApiError } from '../api/errors.ts';
import { markUnanswered } from '../api/metering.ts';
import { requirePermission } from '../api/require-permission.ts';
import { toolResult } from './tool-result.ts';
import { TOOLS, type ToolDeps } from './tools.ts';

export interface McpServerDeps extends ToolDeps {
  version: string;
  log: Logger;
}

/**
 * An MCP server for one request `c`, after the auth middleware chose its caller and data plane:
 * every tool reads and charges through `c` exactly as a REST route does (the same permission
 * check, meter and lookup service). One per request because the caller is per request.
 */
export function createMcpServer(c: Context<AppEnv>, deps: McpServerDeps): McpServer {
  const server = new McpServer({ name: 'permitwatch', version: deps.version });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      (args: Record<string, unknown>) =>
        toolResult(
          async () => {
            // The REST route's permission: a key without it, or no key for a write, is refused as on REST.
            requirePermission(c, tool.permission ?? 'read');
            try {
              return await tool.run(c, args, deps);
            } catch (err) {
              // Only answered calls are charged (issue 21, defect 4): the portal unavailable or our
              // own failure is a 5xx on REST, but a tool error travels in an HTTP 200, so the
              // refund middleware is told.
              if (!(err instanceof ApiError) || err.status >= 500) markUnanswered(c);
              throw err;
            }
          },
          tool.summary,
          (err) => deps.log.error({ err, tool: tool.name, request_id: c.get('requestId') }, 'MCP tool failed'),
        ),
    );
  }
  return server;
}
