import { calendarDate } from './esri-date.ts';
import type { ChangeField, LayerSettings } from './layer-settings.ts';

/**
 * Query URLs for an ArcGIS layer's `query` operation ("Query (Feature Service/Layer)" and
 * "Query (Map Service/Layer)" in the ArcGIS REST API reference): `where`, `outFields=*`,
 * `returnGeometry=false` (we read attributes only), `f=json`; paging with `orderByFields`,
 * `resultOffset` and `resultRecordCount` (paging since 10.3, `exceededTransferLimit` on paged
 * results since 10.3.1, per the Query (Map Service\Layer) help page).
 */

const PERMIT_INTEGER = /^\d{1,10}$/;

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
 * Date-time fields compare with `TIMESTAMP 'YYYY-MM-DD HH:MM:SS'` in UTC (the standardized-query
 * syntax in "Supported SQL functions in ArcGIS Server"; date fields are stored in UTC). Date-only
 * fields compare with `DATE 'YYYY-MM-DD'` and `>=`: a day has no time, so the day of `since`
 * (in the jurisdiction's time zone) is asked for again rather than missed.
 */
export function changedSinceWhere(layer: LayerSettings, since: Date, timeZone: string): string {
  return layer.change_fields.map((field) => changeClause(field, since, timeZone)).join(' OR ');
}

function changeClause(field: ChangeField, since: Date, timeZone: string): string {
  if (field.kind === 'date') return `${field.name} >= DATE '${calendarDate(since, timeZone)}'`;
  return `${field.name} > TIMESTAMP '${since.toISOString().slice(0, 19).replace('T', ' ')}'`;
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
  const params = new URLSearchParams({ where, outFields: '*', returnGeometry: 'false', orderByFields: `${layer.object_id_field} ASC` });
  if (page) {
    params.set('resultOffset', String(page.offset));
    params.set('resultRecordCount', String(page.count));
  }
  params.set('f', 'json');
  return `${baseUrl.replace(/\/+$/, '')}${layer.layer_path}/query?${params.toString()}`;
}
