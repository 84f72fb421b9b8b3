import { z } from 'zod';
import { TestPayload, WEBHOOK_PAYLOAD_SCHEMAS } from '../webhooks/events.ts';
import { PERMIT_OBSERVED, PERMIT_OBSERVED_SCHEMA_VERSION, PermitObservedData, PermitObservedMeta } from './permit-observed.ts';
import { WATCH_DATA_SCHEMAS, WATCH_SCHEMA_VERSION, WatchMeta } from './watch.ts';

/**
 * The JSON Schema of every stored payload, as committed under `events/`. Consumers of the log
 * (and of webhooks) read these files; a test fails when code and files drift apart.
 */
export function eventJsonSchemas(): Record<string, unknown> {
  return {
    [`${PERMIT_OBSERVED}.v${PERMIT_OBSERVED_SCHEMA_VERSION}.data.json`]: {
      $id: `permitwatch/events/${PERMIT_OBSERVED}/v${PERMIT_OBSERVED_SCHEMA_VERSION}/data`,
      title: `${PERMIT_OBSERVED} v${PERMIT_OBSERVED_SCHEMA_VERSION} data`,
      ...z.toJSONSchema(PermitObservedData, { target: 'draft-2020-12' }),
    },
    [`${PERMIT_OBSERVED}.v${PERMIT_OBSERVED_SCHEMA_VERSION}.meta.json`]: {
      $id: `permitwatch/events/${PERMIT_OBSERVED}/v${PERMIT_OBSERVED_SCHEMA_VERSION}/meta`,
      title: `${PERMIT_OBSERVED} v${PERMIT_OBSERVED_SCHEMA_VERSION} meta`,
      ...z.toJSONSchema(PermitObservedMeta, { target: 'draft-2020-12' }),
    },
    ...watchSchemas(),
    ...webhookPayloadSchemas(),
  };
}

/** `watch.<type>.v<n>.data.json` per watch event type, and their one meta schema. */
function watchSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const v = WATCH_SCHEMA_VERSION;
  for (const [type, schema] of [...Object.entries(WATCH_DATA_SCHEMAS), ['watch', WatchMeta] as const]) {
    const part = type === 'watch' ? 'meta' : 'data';
    out[`${type}.v${v}.${part}.json`] = {
      $id: `permitwatch/events/${type}/v${v}/${part}`,
      title: `${type} v${v} ${part}`,
      ...z.toJSONSchema(schema, { target: 'draft-2020-12' }),
    };
  }
  return out;
}

/** One file per webhook event's payload: `webhook.<event>.json`, the body receivers parse. */
function webhookPayloadSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [event, schema] of [...Object.entries(WEBHOOK_PAYLOAD_SCHEMAS), ['test', TestPayload] as const]) {
    out[`webhook.${event}.json`] = {
      $id: `permitwatch/webhooks/${event}`,
      title: `webhook payload: ${event}`,
      ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }),
    };
  }
  return out;
}
