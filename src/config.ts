import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Plan } from './accounts/plans.ts';
import { databaseKind } from './db/url.ts';
import { DEFAULT_LEASE_MS, DEFAULT_MAX_CONSECUTIVE_FAILURES, DEFAULT_RETRY_SCHEDULE_SECONDS } from './webhooks/schedule.ts';
import { DEFAULT_SYNC_INTERVAL_SECONDS, MIN_SYNC_INTERVAL_SECONDS } from './sync/slots.ts';
import { ADAPTERS } from './jurisdictions/adapters.ts';
import { CATALOG_ENTRIES } from './jurisdictions/catalog.ts';
import { resolveFeeds, type FeedNames } from './sync/feed-names.ts';
import { DEFAULT_FEED_BACKFILL_DAYS, DEFAULT_FEED_INTERVAL_SECONDS, MIN_FEED_INTERVAL_SECONDS } from './sync/feed-defaults.ts';

/** Where the embedded databases live unless configured: created on first start, as the quick start expects. */
export const DEFAULT_DATA_DIRECTORY = './data';

/** A lookup younger than this is answered from the projection (reference: "cached for 4 hours"). */
export const DEFAULT_CACHE_TTL_SECONDS = 4 * 60 * 60;
/** Longest request URL accepted; permit numbers are short, anything longer is abuse or a bug. */
export const DEFAULT_MAX_URL_LENGTH = 2_048;

/** `slug=baseURL,slug=baseURL`; `*` covers every jurisdiction not named. */
const PortalOverrides = z
  .string()
  .transform((text, ctx) => {
    const map: Record<string, string> = {};
    for (const part of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const eq = part.indexOf('=');
      const slug = part.slice(0, eq).trim();
      const url = part.slice(eq + 1).trim();
      if (eq <= 0 || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not slug=http(s)://base-url` });
        return z.NEVER;
      }
      map[slug] = url.replace(/\/+$/, '');
    }
    return map;
  })
  .or(z.record(z.string(), z.url()));

/** `true`/`false` from the environment, a boolean from a config file. */
const Bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .or(z.boolean());

/** The database URL forms `db/open.ts` serves: embedded file, or a libSQL server / Turso. */
const DatabaseUrl = z
  .string()
  .min(1)
  .refine((url) => databaseKind(url) !== 'unsupported', 'unsupported database URL');

/**
 * `socrata:chicago,arcgis:bellingham` or `all` (a list in a config file); empty: none. Names are
 * checked against the shipped catalog's feeds here, so a typo stops start-up with the list.
 */
const Feeds = z
  .string()
  .transform((text): FeedNames => (text.trim() === 'all' ? 'all' : text.split(',').map((s) => s.trim()).filter(Boolean)))
  .or(z.array(z.string().min(1)))
  .superRefine((names, ctx) => {
    const resolved = resolveFeeds(names, CATALOG_ENTRIES, ADAPTERS);
    if (!resolved.ok) ctx.addIssue({ code: 'custom', message: resolved.message });
  });

/** An IPv4/IPv6 address or a host name, as the HTTP server can listen on. */
function isListenAddress(host: string): boolean {
  if (host.includes(':')) return URL.canParse(`http://[${host}]/`);
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(host);
}

export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** The URL clients reach this server at (behind a proxy): /openapi.json and /postman.json name it. */
  public_url: z
    .string()
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'expected an http(s) URL, e.g. https://permits.example.com')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  host: z.string().refine(isListenAddress, 'not an IP address or host name').default('127.0.0.1'),
  database_url: DatabaseUrl.default(`file:${DEFAULT_DATA_DIRECTORY}/permitwatch.db`),
  database_auth_token: z.string().optional(),
  /** The demo dataset lives in its own database so it never mixes with what real keys see. */
  demo_database_url: DatabaseUrl.default(`file:${DEFAULT_DATA_DIRECTORY}/demo.db`),
  demo: Bool.default(true),
  cache_ttl_seconds: z.coerce.number().int().min(0).default(DEFAULT_CACHE_TTL_SECONDS),
  portal_overrides: PortalOverrides.default({}),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  max_url_length: z.coerce.number().int().min(256).default(DEFAULT_MAX_URL_LENGTH),
  /** Per-permit deadline inside a batch (reference: 45 s). */
  batch_timeout_seconds: z.coerce.number().positive().max(600).default(45),
  /** Extra or replacement plans, merged over the built-in ones by name (JSON in the env variable). */
  plans: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(Plan))
    .or(z.array(Plan))
    .default([]),
  /** Anonymous demo calls per client address per rolling 24 hours. */
  demo_daily_cap: z.coerce.number().int().min(1).default(100),
  /** Allow loopback/private webhook targets and plain http: local development and tests only. */
  webhook_allow_private: Bool.default(false),
  /** Run the webhook dispatcher in this process (turn off on API-only nodes). */
  webhook_dispatcher: Bool.default(true),
  /** Seconds before each delivery attempt: `0,60,600,3600,14400` (at once, 1 min, 10 min, 1 h, 4 h). */
  webhook_retry_schedule: z
    .string()
    .transform((text, ctx) => {
      const parts = text.split(',').map((p) => p.trim());
      if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a comma-separated list of whole seconds` });
        return z.NEVER;
      }
      return parts.map(Number);
    })
    .or(z.array(z.number().int().min(0)).min(1))
    .default([...DEFAULT_RETRY_SCHEDULE_SECONDS]),
  /** Dead deliveries in a row that disable a subscription. */
  webhook_max_consecutive_failures: z.coerce.number().int().min(1).default(DEFAULT_MAX_CONSECUTIVE_FAILURES),
  /** After rotate-secret, deliveries carry the old secret's signature too for this long. */
  webhook_secret_overlap_seconds: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 60 * 60),
  /** How long a dispatcher's claim on a delivery lasts; a crashed worker's rows wait this long. */
  webhook_lease_seconds: z.coerce
    .number()
    .positive()
    .max(3_600)
    .default(DEFAULT_LEASE_MS / 1_000),
  /** Run the watchlist scheduler in `serve` (`off` on API-only nodes; `permitwatch sync` runs it alone). */
  sync: z
    .enum(['on', 'off', 'true', 'false'])
    .transform((v) => v === 'on' || v === 'true')
    .or(z.boolean())
    .default(true),
  /** How often each watched permit is re-checked at its portal (SignedOff: "auto-synced every 4 hours"). */
  sync_interval_seconds: z.coerce.number().int().min(MIN_SYNC_INTERVAL_SECONDS).default(DEFAULT_SYNC_INTERVAL_SECONDS),
  /** Open-data feeds to follow (issue 18); none by default, so a fresh install fetches nothing it was not asked to. */
  feeds: Feeds.default([]),
  /** How often each feed is read for changes. */
  feed_interval_seconds: z.coerce.number().int().min(MIN_FEED_INTERVAL_SECONDS).default(DEFAULT_FEED_INTERVAL_SECONDS),
  /** How far back a feed's first sync reads (history for search; it fires no webhooks). */
  feed_backfill_days: z.coerce.number().int().min(0).max(3_650).default(DEFAULT_FEED_BACKFILL_DAYS),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and the config key each sets. `PORT` is the platform convention. */
export const ENV_KEYS: Record<string, keyof Config> = {
  PORT: 'port',
  PERMITWATCH_HOST: 'host',
  PERMITWATCH_PUBLIC_URL: 'public_url',
  PERMITWATCH_DATABASE_URL: 'database_url',
  PERMITWATCH_DATABASE_AUTH_TOKEN: 'database_auth_token',
  PERMITWATCH_DEMO_DATABASE_URL: 'demo_database_url',
  PERMITWATCH_DEMO: 'demo',
  PERMITWATCH_CACHE_TTL_SECONDS: 'cache_ttl_seconds',
  PERMITWATCH_PORTAL_OVERRIDES: 'portal_overrides',
  PERMITWATCH_LOG_LEVEL: 'log_level',
  PERMITWATCH_MAX_URL_LENGTH: 'max_url_length',
  PERMITWATCH_BATCH_TIMEOUT_SECONDS: 'batch_timeout_seconds',
  PERMITWATCH_DEMO_DAILY_CAP: 'demo_daily_cap',
  PERMITWATCH_PLANS: 'plans',
  PERMITWATCH_WEBHOOK_ALLOW_PRIVATE: 'webhook_allow_private',
  PERMITWATCH_WEBHOOK_DISPATCHER: 'webhook_dispatcher',
  PERMITWATCH_WEBHOOK_RETRY_SCHEDULE: 'webhook_retry_schedule',
  PERMITWATCH_WEBHOOK_MAX_CONSECUTIVE_FAILURES: 'webhook_max_consecutive_failures',
  PERMITWATCH_WEBHOOK_SECRET_OVERLAP_SECONDS: 'webhook_secret_overlap_seconds',
  PERMITWATCH_WEBHOOK_LEASE_SECONDS: 'webhook_lease_seconds',
  PERMITWATCH_SYNC: 'sync',
  PERMITWATCH_SYNC_INTERVAL_SECONDS: 'sync_interval_seconds',
  PERMITWATCH_FEEDS: 'feeds',
  PERMITWATCH_FEED_INTERVAL_SECONDS: 'feed_interval_seconds',
  PERMITWATCH_FEED_BACKFILL_DAYS: 'feed_backfill_days',
};

/**
 * What a valid value looks like, shown after a refused one, so the message says how to fix it
 * (zod's own "Invalid input" names no form). Keys without an entry explain themselves.
 */
export const EXPECTED_FORM: Partial<Record<keyof Config, string>> = {
  port: 'a port number 0-65535, e.g. 8080',
  host: 'an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::',
  database_url: 'file:./data/permitwatch.db, libsql://host, http(s)://host',
  demo_database_url: 'file:./data/demo.db, libsql://host, http(s)://host',
  demo: 'true or false',
  portal_overrides: 'slug=http(s)://base-url pairs, comma-separated; * for every other slug, e.g. *=http://127.0.0.1:4321',
  plans: 'a JSON array of plans, e.g. [{"name":"team","monthly_limit":50000,"burst_per_minute":200,"force_refresh":true}]',
  log_level: 'fatal, error, warn, info, debug, trace or silent',
  webhook_allow_private: 'true or false',
  webhook_dispatcher: 'true or false',
  webhook_retry_schedule: 'whole seconds, comma-separated, e.g. 0,60,600,3600,14400',
  sync: 'on or off',
  sync_interval_seconds: `whole seconds, at least ${MIN_SYNC_INTERVAL_SECONDS}, e.g. 14400 (4 hours)`,
  feeds: 'comma-separated feed slugs, e.g. socrata:chicago,arcgis:bellingham, or all',
  feed_interval_seconds: `whole seconds, at least ${MIN_FEED_INTERVAL_SECONDS}, e.g. 900`,
  feed_backfill_days: 'whole days 0-3650, e.g. 30',
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/**
 * Defaults → optional JSON config file (`PERMITWATCH_CONFIG` or `configPath`) → `PERMITWATCH_*`
 * env. Parsed once at start-up and passed down; a bad value names its key.
 */
export function loadConfig(env: Record<string, string | undefined>, configPath?: string): ConfigResult {
  const merged: Record<string, unknown> = {};
  const file = configPath ?? env.PERMITWATCH_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      return { ok: false, message: `config file ${file}: ${(err as Error).message}` };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, message: `config file ${file}: expected a JSON object of settings (see permitwatch.example.json)` };
    }
    // A misspelt key would otherwise be ignored and its default used without a word.
    const unknown = Object.keys(parsed).filter((key) => !(key in ConfigSchema.shape));
    if (unknown.length > 0) {
      return {
        ok: false,
        message: `config file ${file}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known settings: ${Object.keys(ConfigSchema.shape).join(', ')} (see permitwatch.example.json)`,
      };
    }
    Object.assign(merged, parsed);
  }
  const sourceOf: Record<string, string> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      sourceOf[key] = name;
    }
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const where = sourceOf[key] ?? (file ? `${key} in ${file}` : key);
      const form = EXPECTED_FORM[key as keyof Config];
      return `${where}: ${issue.message}${form ? ` (expected ${form})` : ''}`;
    });
    return { ok: false, message: `invalid configuration:\n  ${lines.join('\n  ')}` };
  }
  return { ok: true, config: parsed.data };
}
