import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { Queryable } from '../db/db.ts';
import type { PermitRecord } from '../permits/record.ts';

/**
 * Events one feed lists at most: a calendar app re-downloads the whole feed on every poll, and
 * Google Calendar gives up on very large ones. Far above a watchlist's scheduled inspections.
 */
export const CALENDAR_EVENTS_MAX = 5_000;

/** A watched permit as the calendar reads it. */
export interface CalendarPermit {
  watch_id: string;
  label: string | null;
  stream: string;
  record: PermitRecord;
  address_line: string | null;
  last_changed_at: string;
}

/** One all-day entry of the feed. */
export interface CalendarEvent {
  uid: string;
  /** YYYY-MM-DD: portals give inspection and expiry dates without a time. */
  date: string;
  summary: string;
  description: string;
  /** When the permit last changed: DTSTAMP, so an unchanged feed is byte-identical between polls. */
  stamp: string;
}

/** The key's watched permits with their current records, in watch-id order. */
export async function calendarPermits(db: Queryable, keyId: string): Promise<CalendarPermit[]> {
  const rows = await db.all<Omit<CalendarPermit, 'record'> & { record: string }>(
    `SELECT w.id AS watch_id, w.label, w.stream, p.record, p.address_line, p.last_changed_at
     FROM watchlist w JOIN permits p ON p.stream = w.stream WHERE w.key_id = ? ORDER BY w.id`,
    [keyId],
  );
  return rows.map((r) => ({ ...r, record: JSON.parse(r.record) as PermitRecord }));
}

/**
 * The feed's entries: each scheduled or pending inspection that has a date, and each expiry
 * date, of the watched permits. Pure. A UID is a hash of what the entry is about (permit,
 * inspection type and date; or the expiry), so it stays the same across polls and a moved
 * inspection is a new entry rather than an edit of the old one.
 */
export function calendarEvents(permits: readonly CalendarPermit[]): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  for (const p of permits) {
    const name = p.label ? `${p.label} (${p.record.permit_number})` : p.record.permit_number;
    const where = [p.address_line, p.record.status ? `Status: ${p.record.status}` : null].filter(Boolean).join('\n');
    for (const i of p.record.inspections) {
      if (i.status === 'completed' || i.date === null) continue;
      events.push({
        uid: uid(p.stream, 'inspection', i.type, i.date),
        date: i.date,
        summary: `Inspection ${i.status}: ${i.type} – ${name}`,
        description: [where, i.inspector ? `Inspector: ${i.inspector}` : null].filter(Boolean).join('\n'),
        stamp: p.last_changed_at,
      });
    }
    if (p.record.dates.expires) {
      events.push({
        uid: uid(p.stream, 'expires', p.record.dates.expires),
        date: p.record.dates.expires,
        summary: `Permit expires: ${name}`,
        description: where,
        stamp: p.last_changed_at,
      });
    }
  }
  return events.slice(0, CALENDAR_EVENTS_MAX);
}

function uid(...parts: string[]): string {
  return `${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}@permitwatch`;
}

/** The feed as iCalendar text (RFC 5545), written by ical-generator. */
export function renderCalendar(events: readonly CalendarEvent[]): string {
  const calendar = ical({ name: 'Permitwatch: watched permits', prodId: { company: 'Permitwatch', product: 'watchlist', language: 'EN' } });
  for (const e of events) {
    const [y, m, d] = e.date.split('-').map(Number) as [number, number, number];
    calendar.createEvent({
      id: e.uid,
      allDay: true,
      start: new Date(Date.UTC(y, m - 1, d)),
      summary: e.summary,
      description: e.description,
      stamp: new Date(e.stamp),
    });
  }
  return calendar.toString();
}
