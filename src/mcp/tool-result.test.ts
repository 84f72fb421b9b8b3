import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { toolResult } from './tool-result.ts';

const never = () => {
  throw new Error('not expected');
};

describe('toolResult', () => {
  it('answers a body as structured content with its summary line as text', async () => {
    const r = await toolResult(
      async () => ({ total: 2 }),
      (b) => `${b.total} things`,
      never,
    );
    expect(r).toEqual({ content: [{ type: 'text', text: '2 things' }], structuredContent: { total: 2 } });
  });

  it('answers an ApiError as a tool error whose text is the REST error body, extras included', async () => {
    const failing = async () => {
      throw new ApiError(429, 'burst_limit_exceeded', 'Too many requests', { retry_after_seconds: 12 }, { 'Retry-After': '12' });
    };
    const r = await toolResult(failing, never, never);
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toBeUndefined();
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual({
      error: 'burst_limit_exceeded',
      message: 'Too many requests',
      retry_after_seconds: 12,
    });
  });

  it('hands anything else to onUnexpected and answers internal_error without its details', async () => {
    const seen: unknown[] = [];
    const r = await toolResult(
      async () => {
        throw new Error('SQLITE_BUSY: secret path /data/live.db');
      },
      never,
      (err) => seen.push(err),
    );
    expect(seen).toHaveLength(1);
    expect(r).toEqual({ isError: true, content: [{ type: 'text', text: '{"error":"internal_error","message":"internal error"}' }] });
  });
});
