import { ACCOUNTS_MIGRATIONS } from '../accounts/tables.ts';
import { USAGE_MIGRATIONS } from '../accounts/usage.ts';
import { REQUESTS_MIGRATIONS } from '../jurisdictions/request-store.ts';
import { FRESHNESS_MIGRATIONS } from '../ingest/freshness.ts';
import { CHECKPOINT_MIGRATIONS } from '../projections/checkpoints.ts';
import { PROJECTIONS } from '../projections/all.ts';
import { STORE_MIGRATIONS } from '../store/tables.ts';
import { SYNC_MIGRATIONS } from '../sync/tables.ts';
import { WEBHOOK_MIGRATIONS } from '../webhooks/tables.ts';
import { CALENDAR_TOKEN_MIGRATIONS } from '../watchlist/calendar-tokens.ts';
import type { Migration } from './migrate.ts';

/** Every owner's schema steps, applied at start-up (owners keep their tables; db/ only collects). */
export const ALL_MIGRATIONS: readonly Migration[] = [
  ...STORE_MIGRATIONS,
  ...CHECKPOINT_MIGRATIONS,
  ...PROJECTIONS.flatMap((p) => p.migrations),
  ...FRESHNESS_MIGRATIONS,
  ...ACCOUNTS_MIGRATIONS,
  ...CALENDAR_TOKEN_MIGRATIONS,
  ...USAGE_MIGRATIONS,
  ...REQUESTS_MIGRATIONS,
  ...WEBHOOK_MIGRATIONS,
  ...SYNC_MIGRATIONS,
];
