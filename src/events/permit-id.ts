import { nameUuid } from '../lib/name-uuid.ts';

/** The namespace of permit ids: fixed forever, or every id a receiver stored would change. */
export const PERMIT_ID_NAMESPACE = '401cf3f2-7c13-4991-b0f9-a9f9e4931973';

/**
 * A permit's stable UUID (PermitStack's `data.id`, "the permit's UUID" receivers deduplicate
 * on): the UUID v5 of its stream name, so every process, a rebuild and a restored backup give
 * the same id without storing one.
 */
export function permitId(stream: string): string {
  return nameUuid(PERMIT_ID_NAMESPACE, stream);
}
