import { wallTime } from '../../lib/wall-time.ts';
import { calendarDate } from './esri-date.ts';
import { WGS84_WKID } from './geometry.ts';
import { layerDateReference, type ChangeField, type LayerSettings } from './layer-settings.ts';

/**
 * Query URLs for an ArcGIS layer's `query` operation ("Query (Feature Service/Layer)" and
 * "Query (Map Service/Layer)" in the ArcGIS REST API reference): `where`, `outFields=*`,
 * `returnGeometry=true&outSR=4326` on a point layer (positions in WGS 84 degrees, geometry.ts), else
 * `returnGeometry=false`, `f=json`; paging with `orderByFields`,
 * `resultOffset` and `resultRecordCount` (paging since 10.3, `exceededTransferLimit` on paged
 * results since 10.3.1, per the Query (Map Service\Layer) help page).
 */

const PERMIT_INTEGER = /^\d{1,10}$/;
const HOUR_MS = 3_600_000;

/** A SQL string literal: single quotes doubled, the one escape standardized queries accept. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The where clause selecting one permit, or null when the number cannot be a value of the field
 * (letters for an esriFieldTypeInteger field): such a number is not asked for at all.
 */
export function permitWhere(layer: LayerSettings, permitNumber: string): string | null {
  const number = permitNumber.trim();
  const field = layer.permit_number_field;
  if (field.type === 'integer') return PERMIT_INTEGER.test(number) ? `${field.name} = ${Number(number)}` : null;
  return number.length > 0 ? `${field.name} = ${sqlString(number)}` : null;
}

/**
 * The where clause for permits changed after `since`: any change field later than it, ORed.
 * Date-time fields compare with `TIMESTAMP 'YYYY-MM-DD HH:MM:SS'` (the standardized-query syntax
 * in "Supported SQL functions in ArcGIS Server"), written in the time the layer stores its dates
 * in, since the server compares the literal with the stored values as they are: the zone its
 * `dateFieldsTimeReference` names (Jackson County: Pacific Standard Time without daylight saving,
 * UTC-8 all year), the jurisdiction's wall clock when its dates are in an unknown time zone, UTC
 * when it names none. Esri's own clients do the same ("If time zone information is found, queries
 * are sent in that time zone ... If time zone information is not found, the dashboard converts the
 * input values to coordinated universal time (UTC)", ArcGIS Dashboards, date-based filter
 * conditions). Date-only fields compare with `DATE 'YYYY-MM-DD'` and `>=`: a day has no time, so
 * the day of `since` (in the jurisdiction's time zone) is asked for again rather than missed.
 */
export function changedSinceWhere(layer: LayerSettings, since: Date, timeZone: string): string {
  const reference = layerDateReference(layer);
  const storedZone = reference.kind === 'wall_clock' ? timeZone : reference.timeZone;
  return layer.change_fields.map((field) => changeClause(field, since, timeZone, storedZone)).join(' OR ');
}

function changeClause(field: ChangeField, since: Date, timeZone: string, storedZone: string): string {
  if (field.kind === 'date') return `${field.name} >= DATE '${calendarDate(since, timeZone)}'`;
  return `${field.name} > TIMESTAMP '${timestampLiteral(since, storedZone)}'`;
}

/**
 * `since` as the wall-clock 'YYYY-MM-DD HH:MM:SS' of `zone`, seconds truncated (a later row of the
 * same second is asked for again, never missed). In the hour before a zone falls back, the wall
 * clock repeats: rows stored during the repeat read earlier than `since` though they are later,
 * so the literal is taken an hour earlier then (rows asked for again append nothing).
 */
export function timestampLiteral(since: Date, zone: string): string {
  const fallsBack = utcOffsetMs(new Date(since.getTime() + HOUR_MS), zone) < utcOffsetMs(since, zone);
  const { date, time } = wallTime(fallsBack ? new Date(since.getTime() - HOUR_MS) : since, zone);
  return `${date} ${time}`;
}

// The zone's offset from UTC at `instant`, to the second (negative west of Greenwich).
function utcOffsetMs(instant: Date, zone: string): number {
  const { date, time } = wallTime(instant, zone);
  return Date.parse(`${date}T${time}Z`) - Math.floor(instant.getTime() / 1000) * 1000;
}

export interface QueryPage {
  offset: number;
  count: number;
}

/**
 * The layer's query URL against `baseUrl` (the real host or an override such as the fixture
 * portal), keeping the layer's real path; a path prefix on the base is preserved. Results are
 * ordered by the object id: consecutive pages then neither skip nor repeat rows, and a permit
 * published as several rows (Jackson County keeps one per taxlot) always answers with the same one first.
 */
export function queryUrl(baseUrl: string, layer: LayerSettings, where: string, page?: QueryPage): string {
  const params = new URLSearchParams({ where, outFields: '*', ...geometryParams(layer), orderByFields: `${layer.object_id_field} ASC` });
  if (page) {
    params.set('resultOffset', String(page.offset));
    params.set('resultRecordCount', String(page.count));
  }
  // The client reads wall-clock values (a layer whose dates are in an unknown time zone): Esri's
  // FeatureLayer sends this for every layer with datesInUnknownTimezone (ArcGIS Maps SDK for
  // JavaScript, _createRequestQueryOptions), and the layer's dates are read so (esri-date.ts).
  if (layerDateReference(layer).kind === 'wall_clock') params.set('timeReferenceUnknownClient', 'true');
  params.set('f', 'json');
  return `${baseUrl.replace(/\/+$/, '')}${layer.layer_path}/query?${params.toString()}`;
}

// `outSR` is the output spatial reference ("Query (Feature Service/Layer)"): without it a point
// comes back in the layer's own projection (Bellingham's 102100 metres, Eloy's 2223 feet).
function geometryParams(layer: LayerSettings): Record<string, string> {
  return layer.geometry === 'point' ? { returnGeometry: 'true', outSR: String(WGS84_WKID) } : { returnGeometry: 'false' };
}
