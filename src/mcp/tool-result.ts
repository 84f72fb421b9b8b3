import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../api/errors.ts';

/**
 * A tool's answer as MCP wants it: the REST body as structured content (checked against the
 * tool's output schema) with a one-line text summary for the assistant to read out. An
 * `ApiError` (the same ones the REST routes throw) becomes a tool error whose text is the REST
 * error body, `{"error": key, "message": ..., ...extras}`, so an assistant sees our key, the
 * message and any candidates or `retry_after_seconds`. Error results carry no structured content:
 * the SDK's client checks any structured content against the output schema, errors included.
 * Anything else is a bug: handed to `onUnexpected` (logged with context there) and answered
 * `internal_error` without details, as the REST API's 500 is.
 */
export async function toolResult<T extends object>(
  run: () => Promise<T>,
  summary: (body: T) => string,
  onUnexpected: (err: unknown) => void,
): Promise<CallToolResult> {
  try {
    const body = await run();
    return { content: [{ type: 'text', text: summary(body) }], structuredContent: body as Record<string, unknown> };
  } catch (err) {
    if (err instanceof ApiError) return toolError({ error: err.key, message: err.message, ...err.extra });
    onUnexpected(err);
    return toolError({ error: 'internal_error', message: 'internal error' });
  }
}

function toolError(body: { error: string; message: string }): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }] };
}
