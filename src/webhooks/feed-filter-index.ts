import type { Queryable, SqlValue } from '../db/db.ts';
import type { PermitRecord } from '../permits/record.ts';
import { fold, type SubscriptionFilters } from './filters.ts';

/** The value a filter left unset is stored as: it matches every record. */
export const ANY = '*';

/**
 * The index rows of one subscription (table `webhook_feed_filters`): one per jurisdiction it
 * names, or one `*` row; none unless it listens to `permit.created`, the only event a feed
 * discovery delivers to a subscription that has not seen the permit.
 */
export function feedFilterRows(id: string, f: SubscriptionFilters): SqlValue[][] {
  if (!f.events.includes('permit.created')) return [];
  const jurisdictions = f.jurisdiction_filter && f.jurisdiction_filter.length > 0 ? [...new Set(f.jurisdiction_filter)] : [ANY];
  const city = f.city === null ? ANY : fold(f.city);
  const state = f.state === null ? ANY : fold(f.state);
  const category = f.category === null ? ANY : f.category.toLowerCase();
  const zip5 = f.zip_code === null ? ANY : f.zip_code.slice(0, 5);
  return jurisdictions.map((j) => [j, city, state, category, zip5, id]);
}

/** Rewrites a subscription's index rows; call in the statement batch that writes its filters. */
export async function indexFeedFilters(db: Queryable, id: string, f: SubscriptionFilters): Promise<void> {
  await db.run('DELETE FROM webhook_feed_filters WHERE webhook_id = ?', [id]);
  for (const row of feedFilterRows(id, f)) {
    await db.run('INSERT INTO webhook_feed_filters (jurisdiction, city, state, category, zip5, webhook_id) VALUES (?, ?, ?, ?, ?, ?)', row);
  }
}

/**
 * The WHERE clause and parameters that find every index row a record can match: for each
 * column, the record's value or `*` (a record without the field matches only `*`, as
 * matchesFilters wants). At most 2^5 exact seeks into the primary key, whatever the number of
 * subscriptions.
 */
export function feedFilterMatch(record: PermitRecord): { where: string; params: SqlValue[] } {
  const columns: [string, string | null][] = [
    ['f.jurisdiction', record.jurisdiction],
    ['f.city', record.address.city === null ? null : fold(record.address.city)],
    ['f.state', record.address.state === null ? null : fold(record.address.state)],
    ['f.category', record.category],
    ['f.zip5', record.address.zip === null ? null : record.address.zip.slice(0, 5)],
  ];
  const params: SqlValue[] = [];
  const parts = columns.map(([column, value]) => {
    if (value === null) {
      params.push(ANY);
      return `${column} = ?`;
    }
    params.push(value, ANY);
    return `${column} IN (?, ?)`;
  });
  return { where: parts.join(' AND '), params };
}
