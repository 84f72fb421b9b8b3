/**
 * Upcasters from older `permit.observed` payload versions to the next one, keyed by the version
 * they read. Each is a pure function of the stored JSON: it adds what the newer schema requires
 * and never guesses a fact the old observation did not hold.
 */
export const PERMIT_OBSERVED_UPCASTERS: Readonly<Record<number, (data: unknown) => unknown>> = {
  // v2 added `conditions[].date` and `contacts[].license_class`. A v1 observation kept neither
  // (LADBS clearance dates were dropped; a CSLB licence stayed whole, "917355-C10"), so both are
  // null: the licence is left as it was stored rather than re-split here, and the next check of
  // the permit records the split form as a new observation.
  1: (data) => {
    if (!isObject(data) || !isObject(data.record)) return data;
    const record = data.record;
    return {
      ...data,
      record: {
        ...record,
        contacts: Array.isArray(record.contacts) ? record.contacts.map((c) => (isObject(c) ? { license_class: null, ...c } : c)) : record.contacts,
        conditions: Array.isArray(record.conditions) ? record.conditions.map((c) => (isObject(c) ? { date: null, ...c } : c)) : record.conditions,
      },
    };
  },
  // v3 added only the optional `trade_valuations`: a v2 observation held no breakdown, and a
  // payload without the field is a valid v3 one, so it passes unchanged.
  2: (data) => data,
  // v4 added `latitude` and `longitude`. A v3 observation kept no coordinates, so both are null
  // (not known, as for a platform that publishes none); the next check records them if the
  // portal has them.
  3: (data) => (isObject(data) && isObject(data.record) ? { ...data, record: { latitude: null, longitude: null, ...data.record } } : data),
  // v5 added only the optional `backfill` mark: a v4 observation was never a feed's backfill.
  4: (data) => data,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
