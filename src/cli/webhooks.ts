import type { z } from '@hono/zod-openapi';
import type { WebhookView } from '../api/routes/webhooks.ts';
import type { DeliveryView } from '../webhooks/deliveries.ts';
import { CliError, type CliContext } from './context.ts';
import { parseNearOption } from './near-option.ts';
import { keyedServerClient } from './server-client.ts';
import { printTable } from './table.ts';

/** What every `permitwatch webhooks` command takes: the running server, the key, the output. */
export interface WebhookCliOptions {
  url?: string;
  key?: string;
  json?: boolean;
}

type Webhook = z.infer<typeof WebhookView>;
interface TestAnswer {
  success: boolean;
  status_code: number | null;
  error: string | null;
  delivery_id: string;
}

const keyedClient = (ctx: CliContext, options: WebhookCliOptions) => keyedServerClient(ctx, options, 'webhooks');

const path = (webhookId: string) => `/api/v1/webhooks/${encodeURIComponent(webhookId)}`;

/** Pages `webhooks list` follows at most: the largest plan cap (1,000) is 10 pages of 100. */
const LIST_PAGES_MAX = 20;

/** `permitwatch webhooks list`: the key's subscriptions (GET /api/v1/webhooks, every page); secrets are never listed. */
export async function webhooksList(ctx: CliContext, options: WebhookCliOptions): Promise<void> {
  const client = keyedClient(ctx, options);
  const webhooks: Webhook[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < LIST_PAGES_MAX; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const got: { webhooks: Webhook[]; next_cursor: string | null } = await client.json('GET', `/api/v1/webhooks?limit=100${query}`);
    webhooks.push(...got.webhooks);
    cursor = got.next_cursor;
    if (!cursor) break;
  }
  if (options.json) return ctx.out(JSON.stringify(webhooks, null, 2));
  if (webhooks.length === 0) return ctx.out('no webhooks under this key yet: register one with POST /api/v1/webhooks');
  printTable(
    ctx,
    ['WEBHOOK ID', 'URL', 'EVENTS', 'FAILURES', 'LAST TRIGGERED', 'STATE'],
    webhooks.map((w) => [
      w.webhook_id,
      w.url,
      w.events.join(','),
      String(w.consecutive_failures),
      w.last_triggered_at?.slice(0, 19) ?? '-',
      w.is_active ? 'active' : `inactive: ${w.disabled_reason ?? 'turned off'}`,
    ]),
  );
}

/** `permitwatch webhooks deliveries <id>`: the delivery log, newest first; the server checks `limit` and `status`. */
export async function webhooksDeliveries(
  ctx: CliContext,
  webhookId: string,
  options: WebhookCliOptions & { limit?: string; status?: string },
): Promise<void> {
  const query = new URLSearchParams();
  if (options.limit !== undefined) query.set('limit', options.limit);
  if (options.status !== undefined) query.set('status', options.status);
  const qs = query.size > 0 ? `?${query}` : '';
  const answer = await keyedClient(ctx, options).json<{ webhook_id: string; deliveries: DeliveryView[] }>(
    'GET',
    `${path(webhookId)}/deliveries${qs}`,
  );
  if (options.json) return ctx.out(JSON.stringify(answer, null, 2));
  if (answer.deliveries.length === 0)
    return ctx.out(`no deliveries${options.status ? ` with status ${options.status}` : ''} for webhook ${answer.webhook_id}`);
  printTable(
    ctx,
    ['DELIVERY ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'CODE', 'CREATED', 'NEXT ATTEMPT', 'LAST ERROR'],
    answer.deliveries.map((d) => [
      d.id,
      d.event_type,
      d.status,
      String(d.attempts),
      d.last_status_code === null ? '-' : String(d.last_status_code),
      d.created_at.slice(0, 19),
      d.next_attempt_at?.slice(0, 19) ?? '-',
      d.last_error ?? '-',
    ]),
  );
}

/** `permitwatch webhooks retry <id> <delivery>`: queues the delivery again, same id and body (202). */
export async function webhooksRetry(ctx: CliContext, webhookId: string, deliveryId: string, options: WebhookCliOptions): Promise<void> {
  const answer = await keyedClient(ctx, options).json<{ status: 'queued'; delivery: DeliveryView; note?: string }>(
    'POST',
    `${path(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/retry`,
  );
  if (options.json) return ctx.out(JSON.stringify(answer, null, 2));
  ctx.out(
    `queued delivery ${answer.delivery.id} (${answer.delivery.event_type}, attempts so far: ${answer.delivery.attempts}) to go out now`,
  );
  if (answer.note) ctx.out(`note: ${answer.note}`);
}

/**
 * `permitwatch webhooks test <id>`: the server POSTs a signed `event: "test"` to the webhook's URL
 * and says what the receiver answered; a refusal or transport failure exits 1, for scripts.
 */
export async function webhooksTest(ctx: CliContext, webhookId: string, options: WebhookCliOptions): Promise<void> {
  const answer = await keyedClient(ctx, options).json<TestAnswer>('POST', `${path(webhookId)}/test`);
  if (options.json) ctx.out(JSON.stringify(answer, null, 2));
  else {
    ctx.out(`success:     ${answer.success}`);
    ctx.out(`status_code: ${answer.status_code ?? '- (no HTTP answer)'}`);
    ctx.out(`error:       ${answer.error ?? '-'}`);
    ctx.out(`delivery_id: ${answer.delivery_id}`);
  }
  if (!answer.success)
    throw new CliError(`the receiver did not accept the test delivery (${answer.status_code ?? answer.error ?? 'no answer'})`, 1);
}

/** What `webhooks create` takes beyond the server options: the events and PermitStack's filters. */
export interface WebhookCreateOptions extends WebhookCliOptions {
  events?: string;
  jurisdiction?: string;
  city?: string;
  state?: string;
  category?: string;
  zipCode?: string;
  /** `lat,lng,radius_m`: only permits within radius_m metres of the point (near-option.ts). */
  near?: string;
}

/** A comma-separated option as a list; absent or empty stays absent, so the server's default applies. */
function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

/**
 * `permitwatch webhooks create <target_url>`: registers a subscription (POST /api/v1/webhooks) and
 * prints its signing secret, which is shown only this once, alone on the last line.
 */
export async function webhooksCreate(ctx: CliContext, targetUrl: string, options: WebhookCreateOptions): Promise<void> {
  const body = {
    url: targetUrl,
    events: list(options.events),
    jurisdiction_filter: list(options.jurisdiction),
    city: options.city,
    state: options.state,
    category: options.category,
    zip_code: options.zipCode,
    near: options.near === undefined ? undefined : parseNearOption(options.near),
  };
  const created = await keyedClient(ctx, options).json<Webhook & { secret: string; warning: string }>('POST', '/api/v1/webhooks', body);
  if (options.json) return ctx.out(JSON.stringify(created, null, 2));
  ctx.out(`created webhook ${created.webhook_id} → ${created.url} (${created.events.join(', ')})`);
  ctx.out(`signing secret (${created.warning.toLowerCase()}):`);
  ctx.out(created.secret);
}

/** `permitwatch webhooks delete <id>`: deactivates the subscription (DELETE; its delivery log is kept). */
export async function webhooksDelete(ctx: CliContext, webhookId: string, options: WebhookCliOptions): Promise<void> {
  const answer = await keyedClient(ctx, options).json<{ status: 'deactivated'; webhook_id: string }>('DELETE', path(webhookId));
  if (options.json) return ctx.out(JSON.stringify(answer, null, 2));
  ctx.out(`deactivated webhook ${answer.webhook_id} (its delivery log is kept)`);
}
