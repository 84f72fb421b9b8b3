import type { Queryable } from '../db/db.ts';
import type { Migration } from '../db/migrate.ts';

/** Ranked list length of the public requests endpoint. */
export const REQUESTS_LIST_MAX = 100;

export const REQUEST_STATUSES = ['open', 'pending', 'investigating', 'planned', 'supported', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * Jurisdictions users asked for (reference: /jurisdictions/requests and /request). A request is
 * keyed by normalised name and state, so "City of Phoenix" and "city of phoenix " upvote the same one.
 */
export const REQUESTS_MIGRATIONS: Migration[] = [
  {
    id: '0050_jurisdiction_requests',
    sql: `
CREATE TABLE jurisdiction_requests (
  id INTEGER PRIMARY KEY,
  name_key TEXT NOT NULL,
  jurisdiction_name TEXT NOT NULL,
  state_code TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  created_at TEXT NOT NULL,
  UNIQUE (name_key, state_code)
);
CREATE TABLE jurisdiction_request_votes (
  request_id INTEGER NOT NULL REFERENCES jurisdiction_requests(id),
  voter TEXT NOT NULL,
  voted_at TEXT NOT NULL
);
CREATE INDEX jurisdiction_request_votes_by_request ON jurisdiction_request_votes (request_id, voter);
`,
  },
  {
    // Issue 16: 500 POSTs from one key made 501 votes. One vote per voter (a key, or an anonymous
    // caller's address) per request: repeats already stored are folded into the first one.
    id: '0051_jurisdiction_request_one_vote',
    sql: `
DELETE FROM jurisdiction_request_votes
  WHERE rowid NOT IN (SELECT MIN(rowid) FROM jurisdiction_request_votes GROUP BY request_id, voter);
DROP INDEX jurisdiction_request_votes_by_request;
CREATE UNIQUE INDEX jurisdiction_request_votes_one_per_voter ON jurisdiction_request_votes (request_id, voter);
`,
  },
];

export interface JurisdictionRequest {
  jurisdiction_name: string;
  state_code: string;
  request_count: number;
  unique_keys_count: number;
  status: string;
}

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

const SUMMARY_SQL = `SELECT r.jurisdiction_name, r.state_code, r.status,
  COUNT(v.voter) AS request_count, COUNT(DISTINCT v.voter) AS unique_keys_count
FROM jurisdiction_requests r LEFT JOIN jurisdiction_request_votes v ON v.request_id = r.id`;

/** Records one request (or upvote) by `voter` (a key id, or the caller's address when anonymous); a voter counts once per request. */
export async function requestJurisdiction(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  input: { jurisdiction_name: string; state: string; voter: string; at: string },
): Promise<JurisdictionRequest> {
  return db.transaction(async (tx) => {
    const key = nameKey(input.jurisdiction_name);
    const state = input.state.toUpperCase();
    await tx.run(
      `INSERT INTO jurisdiction_requests (name_key, jurisdiction_name, state_code, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name_key, state_code) DO NOTHING`,
      [key, input.jurisdiction_name.trim().replace(/\s+/g, ' '), state, input.at],
    );
    const row = await tx.get<{ id: number }>('SELECT id FROM jurisdiction_requests WHERE name_key = ? AND state_code = ?', [key, state]);
    // A voter's repeat is no new vote (the request is still answered with its counts).
    await tx.run(
      'INSERT INTO jurisdiction_request_votes (request_id, voter, voted_at) VALUES (?, ?, ?) ON CONFLICT (request_id, voter) DO NOTHING',
      [row!.id, input.voter, input.at],
    );
    return (await tx.get<JurisdictionRequest>(`${SUMMARY_SQL} WHERE r.id = ? GROUP BY r.id`, [row!.id]))!;
  });
}

/** Requests ranked by request count, then by distinct requesters, then name. */
export function listRequests(db: Queryable): Promise<JurisdictionRequest[]> {
  return db.all<JurisdictionRequest>(
    `${SUMMARY_SQL} GROUP BY r.id ORDER BY request_count DESC, unique_keys_count DESC, r.jurisdiction_name LIMIT ?`,
    [REQUESTS_LIST_MAX],
  );
}
