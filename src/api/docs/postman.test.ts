import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter } from '../router.ts';
import { permitRoutes } from '../routes/permits.ts';
import { postmanCollection } from './postman.ts';

afterEach(() => vi.restoreAllMocks());

describe('postmanCollection', () => {
  it('converts a document whose schemas share objects (allOf over a component) without the converter failing on them', async () => {
    const app = createRouter();
    app.route('/api/v1', permitRoutes());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const collection = await postmanCollection(app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } }));
    const text = JSON.stringify(collection);
    expect(warn).not.toHaveBeenCalled();
    expect(text).not.toContain('Could not resolve allOf schema');
    expect(text).toContain('Current status of a permit');
  });
});
