import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router.ts';
import { activeCounts } from '../../projections/permits.ts';
import { errorResponses } from '../schemas.ts';

const JurisdictionSummary = z
  .object({
    slug: z.string().openapi({ example: 'ladbs' }),
    display_name: z.string(),
    platform: z.string(),
    state: z.string(),
    city: z.string(),
    time_zone: z.string(),
    active_permits_count: z.number().int(),
  })
  .openapi('JurisdictionSummary');

const listRoute = createRoute({
  method: 'get',
  path: '/jurisdictions',
  tags: ['Jurisdictions'],
  summary: 'Supported jurisdictions with active permit counts (no key needed)',
  responses: {
    200: {
      description: 'All jurisdictions',
      content: { 'application/json': { schema: z.object({ jurisdictions: z.array(JurisdictionSummary), total: z.number().int() }) } },
    },
    401: errorResponses[401],
  },
});

export function jurisdictionRoutes() {
  const app = createRouter();
  app.openapi(listRoute, async (c) => {
    const plane = c.get('plane');
    const counts = await activeCounts(plane.db);
    const jurisdictions = plane.catalog.all().map((j) => ({
      slug: j.slug,
      display_name: j.display_name,
      platform: j.platform,
      state: j.state,
      city: j.city,
      time_zone: j.time_zone,
      active_permits_count: counts.get(j.slug) ?? 0,
    }));
    return c.json({ jurisdictions, total: jurisdictions.length }, 200);
  });
  return app;
}
