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
export const unitName = (code) => (code ? maps.unit.get(code)?.name || code : '—');
export const regionName = (code) => (code ? maps.region.get(code)?.name || code : '—');
export const category = (code) => maps.category.get(code);

/** The center's own name: its command unit ("金沙街道综合指挥中心"), else "<region>指挥中心". */
export function centerName(center) {
  const command = (data.units || []).find((u) => u.center === center && u.kind === 'command');
  return command?.name || `${regionName(center)}指挥中心`;
}

/** Units that belong to the center (the ones a case can be transferred to). */
export const unitsOf = (center) => (data.units || []).filter((u) => !center || u.center === center);
