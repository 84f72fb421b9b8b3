import { inspectionsProjection } from './inspections.ts';
import { permitsProjection } from './permits.ts';
import type { Projection } from './projection.ts';
import { statsProjection } from './stats.ts';
import { timelineProjection } from './timeline.ts';

/** The read models, in the order the projector applies them to each event. */
export const PROJECTIONS: readonly Projection[] = [permitsProjection, timelineProjection, inspectionsProjection, statsProjection];
