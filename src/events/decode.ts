import type { StoredEvent } from '../store/read.ts';
import { PERMIT_OBSERVED, PERMIT_OBSERVED_SCHEMA_VERSION, PermitObservedData, PermitObservedMeta } from './permit-observed.ts';

/** A stored event with its payload parsed and upcast to the current schema. */
export interface PermitObserved {
  position: number;
  stream: string;
  version: number;
  type: typeof PERMIT_OBSERVED;
  recorded_at: string;
  data: PermitObservedData;
  meta: PermitObservedMeta;
}

export type DecodeResult =
  | { ok: true; event: PermitObserved }
  | { ok: false; reason: 'unknown_type' | 'unknown_schema_version' | 'invalid_payload'; position: number; message: string };

/**
 * Upcasters from older payload versions to the current one, keyed by the version they read.
 * Version 1 is current, so the table is empty; a v2 adds `1: (v1) => v2` here.
 */
const UPCASTERS: Record<number, (data: unknown) => unknown> = {};

/** Parses a stored event. The log is trusted but never assumed: a bad row is a value, not a crash. */
export function decodeEvent(stored: StoredEvent): DecodeResult {
  if (stored.type !== PERMIT_OBSERVED) {
    return { ok: false, reason: 'unknown_type', position: stored.position, message: `unknown event type ${stored.type}` };
  }
  let data: unknown;
  let meta: unknown;
  try {
    data = JSON.parse(stored.data);
    meta = JSON.parse(stored.meta);
  } catch (err) {
    return { ok: false, reason: 'invalid_payload', position: stored.position, message: `not JSON: ${(err as Error).message}` };
  }
  for (let v = stored.schema_version; v < PERMIT_OBSERVED_SCHEMA_VERSION; v++) {
    const up = UPCASTERS[v];
    if (!up) {
      return { ok: false, reason: 'unknown_schema_version', position: stored.position, message: `no upcaster from v${v}` };
    }
    data = up(data);
  }
  if (stored.schema_version > PERMIT_OBSERVED_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: 'unknown_schema_version',
      position: stored.position,
      message: `event schema v${stored.schema_version} is newer than this build (v${PERMIT_OBSERVED_SCHEMA_VERSION})`,
    };
  }
  const parsedData = PermitObservedData.safeParse(data);
  const parsedMeta = PermitObservedMeta.safeParse(meta);
  if (!parsedData.success || !parsedMeta.success) {
    const issue = (parsedData.error ?? parsedMeta.error)?.issues[0];
    return { ok: false, reason: 'invalid_payload', position: stored.position, message: `${issue?.path.join('.')}: ${issue?.message}` };
  }
  return {
    ok: true,
    event: {
      position: stored.position,
      stream: stored.stream,
      version: stored.version,
      type: PERMIT_OBSERVED,
      recorded_at: stored.recorded_at,
      data: parsedData.data,
      meta: parsedMeta.data,
    },
  };
}
