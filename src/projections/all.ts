import { inspectionsProjection } from './inspections.ts';
import { permitsProjection } from './permits.ts';
import type { ReadModel } from './projection.ts';
import { searchProjection } from './search.ts';
import { statsProjection } from './stats.ts';
import { timelineProjection } from './timeline.ts';
import { watchlistProjection } from './watchlist.ts';

/** The read models, in the order the projector hands each batch to them. */
export const PROJECTIONS: readonly ReadModel[] = [permitsProjection, timelineProjection, inspectionsProjection, statsProjection, watchlistProjection, searchProjection];
