import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { testRecord } from '../testing/test-record.ts';
import { calendarEvents, renderCalendar, type CalendarPermit } from './calendar.ts';

/** The feed as a calendar app reads it: parsed by ical.js, one entry per VEVENT. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, start: e.startDate.toString(), allDay: e.startDate.isDate, description: e.description };
  });
}

const permit = (overrides: Partial<CalendarPermit> & { record: CalendarPermit['record'] }): CalendarPermit => ({
  watch_id: 'wat_01',
  label: 'Kitchen',
  stream: `permit/ladbs/${overrides.record.permit_number}`,
  address_line: '3030 S MIDVALE AVE, LOS ANGELES, CA 90034',
  last_changed_at: '2026-12-01T08:00:00.000Z',
  ...overrides,
});

describe('watchlist calendar', () => {
  // Given: one permit with a completed, a scheduled, a pending and an undated inspection and an
  // expiry date; another with nothing ahead of it.
  const busy = permit({
    record: testRecord({
      permit_number: '26014-10000-00017',
      dates: { applied: '2026-01-05', issued: '2026-03-10', finaled: null, expires: '2027-03-10' },
      inspections: [
        { type: 'Foundation', date: '2026-04-02', result: 'Approved', inspector: 'JOHNNY MIRANDA', status: 'completed' },
        { type: 'Frame', date: '2026-12-10', result: null, inspector: 'JOHNNY MIRANDA', status: 'scheduled' },
        { type: 'Insulation', date: '2026-12-17', result: null, inspector: null, status: 'pending' },
        { type: 'Final', date: null, result: null, inspector: null, status: 'pending' },
      ],
    }),
  });
  const quiet = permit({
    watch_id: 'wat_02',
    label: null,
    record: testRecord({ permit_number: '16041-10000-23545', inspections: [], dates: { expires: null } }),
  });

  it('lists dated upcoming inspections and expiry dates as all-day events that a parser reads back', () => {
    const events = parse(renderCalendar(calendarEvents([busy, quiet])));
    expect(events.map(({ summary, start, allDay }) => ({ summary, start, allDay }))).toEqual([
      { summary: 'Inspection scheduled: Frame – Kitchen (26014-10000-00017)', start: '2026-12-10', allDay: true },
      { summary: 'Inspection pending: Insulation – Kitchen (26014-10000-00017)', start: '2026-12-17', allDay: true },
      { summary: 'Permit expires: Kitchen (26014-10000-00017)', start: '2027-03-10', allDay: true },
    ]);
    expect(events[0]!.description).toContain('Inspector: JOHNNY MIRANDA');
    expect(new Set(events.map((e) => e.uid)).size).toBe(3);
  });

  it('keeps UIDs and bytes stable between polls while nothing changes', () => {
    expect(renderCalendar(calendarEvents([busy]))).toBe(renderCalendar(calendarEvents([busy])));
    const moved = permit({ record: { ...busy.record, inspections: [{ ...busy.record.inspections[1]!, date: '2026-12-11' }] } });
    const before = calendarEvents([busy]).map((e) => e.uid);
    const after = calendarEvents([moved]).map((e) => e.uid);
    expect(after.filter((u) => before.includes(u))).toHaveLength(1); // the expiry, not the moved inspection
  });

  it('is a valid empty calendar for a watchlist with nothing ahead', () => {
    const text = renderCalendar(calendarEvents([quiet]));
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(parse(text)).toEqual([]);
  });
});
