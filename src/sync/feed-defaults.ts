// Feed settings: defaults and bounds (config.ts reads them without loading the feed runner).
/** Default PERMITWATCH_FEED_INTERVAL_SECONDS: PermitStack delivers "within ~60 seconds"; open-data portals refresh every few minutes to daily. */
export const DEFAULT_FEED_INTERVAL_SECONDS = 900;
/** Shorter would re-read the overlap window more often than any open-data portal publishes. */
export const MIN_FEED_INTERVAL_SECONDS = 60;
/** Default PERMITWATCH_FEED_BACKFILL_DAYS: a month of history for search, without webhooks. */
export const DEFAULT_FEED_BACKFILL_DAYS = 30;
