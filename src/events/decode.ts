import type { StoredEvent } from '../store/read.ts';
import { PERMIT_OBSERVED, PERMIT_OBSERVED_SCHEMA_VERSION, PermitObservedData, type PermitObservedMeta } from './permit-observed.ts';
import { PERMIT_OBSERVED_UPCASTERS } from './upcast.ts';
import { isWatchEventType, WATCH_DATA_SCHEMAS, WATCH_SCHEMA_VERSION, type WatchFacts } from './watch.ts';

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

/**
 * An event's place in the log and its payload: what projections and webhooks are built from.
 * `meta` (adapter, timings) and `recorded_at` are diagnostics no read model reads, so the
 * projector and the rebuild neither read nor parse them.
 */
export type PermitObservedFacts = Pick<PermitObserved, 'position' | 'stream' | 'version' | 'type' | 'data'>;
/** The columns a facts decode reads. */
export type StoredFacts = Pick<StoredEvent, 'position' | 'stream' | 'version' | 'type' | 'schema_version' | 'data'>;

/** Any event the log holds, decoded: a permit observation or a watch's (events/watch.ts). */
export type LoggedFacts = PermitObservedFacts | WatchFacts;

type DecodeFailure = { ok: false; reason: 'unknown_type' | 'unknown_schema_version' | 'invalid_payload'; position: number; message: string };
export type DecodeFactsResult = { ok: true; event: LoggedFacts } | DecodeFailure;


/**
 * Parses, upcasts and validates a stored event's type and payload, for the projector and the
 * rebuild alike. The log is trusted but never assumed: a bad row is a value, not a crash.
 */
export function decodeFacts(stored: StoredFacts): DecodeFactsResult {
  if (isWatchEventType(stored.type)) return decodeWatch(stored, stored.type);
  if (stored.type !== PERMIT_OBSERVED) {
    return { ok: false, reason: 'unknown_type', position: stored.position, message: `unknown event type ${stored.type}` };
  }
  if (stored.schema_version > PERMIT_OBSERVED_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: 'unknown_schema_version',
      position: stored.position,
      message: `event schema v${stored.schema_version} is newer than this build (v${PERMIT_OBSERVED_SCHEMA_VERSION})`,
    };
  }
  const json = parseJson(stored.data, stored.position);
  if (!json.ok) return json;
  let data = json.value;
  for (let v = stored.schema_version; v < PERMIT_OBSERVED_SCHEMA_VERSION; v++) {
    const up = PERMIT_OBSERVED_UPCASTERS[v];
    if (!up) {
      return { ok: false, reason: 'unknown_schema_version', position: stored.position, message: `no upcaster from v${v}` };
    }
    data = up(data);
  }
  const parsed = PermitObservedData.safeParse(data);
  if (!parsed.success) return invalid(stored.position, parsed.error.issues[0]);
  return { ok: true, event: { position: stored.position, stream: stored.stream, version: stored.version, type: PERMIT_OBSERVED, data: parsed.data } };
}

/** A watch event: version 1 is the only one, so there is nothing to upcast yet. */
function decodeWatch(stored: StoredFacts, type: WatchFacts['type']): DecodeFactsResult {
  if (stored.schema_version !== WATCH_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: 'unknown_schema_version',
      position: stored.position,
      message: `${type} schema v${stored.schema_version} is not v${WATCH_SCHEMA_VERSION}, the only one this build reads`,
    };
  }
  const json = parseJson(stored.data, stored.position);
  if (!json.ok) return json;
  const parsed = WATCH_DATA_SCHEMAS[type].safeParse(json.value);
  if (!parsed.success) return invalid(stored.position, parsed.error.issues[0]);
  const { position, stream, version } = stored;
  return { ok: true, event: { position, stream, version, type, data: parsed.data } as WatchFacts };
}

function parseJson(text: string, position: number): { ok: true; value: unknown } | DecodeFailure {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: 'invalid_payload', position, message: `not JSON: ${(err as Error).message}` };
  }
}

function invalid(position: number, issue: SchemaIssue | undefined): DecodeFailure {
  return { ok: false, reason: 'invalid_payload', position, message: issueText(issue) };
}

type SchemaIssue = { path: PropertyKey[]; message: string };

/** A schema's first complaint about a payload, as `path.to.field: message`. */
export function issueText(issue: SchemaIssue | undefined): string {
  return `${issue?.path.map(String).join('.')}: ${issue?.message}`;
}
