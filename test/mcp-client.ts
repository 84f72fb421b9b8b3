import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { Harness } from './harness.ts';

/** An MCP SDK client over Streamable HTTP to the harness's /mcp, keeping each answer's headers. */
export async function connect(h: Harness, headers: Record<string, string> = {}) {
  const seen: Headers[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(`${h.server.url}/mcp`), {
    requestInit: { headers },
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      seen.push(res.headers);
      return res;
    },
  });
  const client = new Client({ name: 'permitwatch-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, lastHeaders: () => seen.at(-1)!, close: () => client.close() };
}

export const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

/** A tool error's REST error body (the text of its one content item). */
export function errorBody(result: CallToolResult): Record<string, unknown> {
  expect(result.isError).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  const first = result.content[0]!;
  if (first.type !== 'text') throw new Error('a tool error is text');
  return JSON.parse(first.text);
}

export const text = (result: CallToolResult) => (result.content[0]?.type === 'text' ? result.content[0].text : '');
