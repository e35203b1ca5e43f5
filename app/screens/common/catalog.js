// Names for codes (categories, units, regions), from GET /api/v1/catalog, read once per page.
import { get } from './api.js';

let data = { categories: [], units: [], regions: [] };
let loading = null;
const maps = { category: new Map(), unit: new Map(), region: new Map() };

/** Load the catalog (once); a failure leaves codes shown as codes. */
export function loadCatalog() {
  loading ??= get('/api/v1/catalog').then((c) => {
    data = c;
    for (const x of c.categories || []) maps.category.set(x.code, x);
    for (const x of c.units || []) maps.unit.set(x.code, x);
    for (const x of c.regions || []) maps.region.set(x.code, x);
    return c;
  }).catch((err) => { loading = null; throw err; });
  return loading;
}

export const catalog = () => data;
export const categoryName = (code) => (code ? maps.category.get(code)?.name || code : '未分类');
/** A unit's name; a unit of another center (not in this center's catalog) by its region and kind, e.g. "如皋市 · 城市管理综合执法". */
export function unitName(code) {
  if (!code) return '—';
  const known = maps.unit.get(code)?.name;
  if (known) return known;
  const [where, kind] = String(code).split('.');
  const label = (data.unit_kinds || []).find((k) => k.kind === kind)?.label;
  return label && maps.region.has(where) ? `${regionName(where)} · ${label}` : code;
}
export const regionName = (code) => (code ? maps.region.get(code)?.name || code : '—');
export const category = (code) => maps.category.get(code);

/** The center's own name: its command unit ("金沙街道综合指挥中心"), else "<region>指挥中心". */
export function centerName(center) {
  const command = (data.units || []).find((u) => u.center === center && u.kind === 'command');
  return command?.name || `${regionName(center)}指挥中心`;
}

/** Units that belong to the center (the ones a case can be transferred to). */
export const unitsOf = (center) => (data.units || []).filter((u) => !center || u.center === center);

export const region = (code) => maps.region.get(code);
/** Whether region `code` is `ancestor` or lies below it (by the regions' parents). */
export function isWithin(code, ancestor) {
  for (let r = code, n = 0; r && n < 8; r = maps.region.get(r)?.parent, n += 1) if (r === ancestor) return true;
  return false;
}

/** The units a dispatcher may name as 协办 in 联合处置: the center's own and, for a county or city, those of the
 * centers below it that the catalog lists (command units left out). */
export const jointUnits = (center) => (data.units || []).filter((u) => u.kind !== 'command' && u.center && isWithin(u.center, center));

/**
 * The departments a township's 街道吹哨 may summon: the units of its parent county (the catalog's `parent_units`).
 */
export function parentUnits() {
  return data.parent_units || [];
}
