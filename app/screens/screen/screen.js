// The big screen (大屏): a fixed 1920×1080 stage scaled to the window; every figure from GET /api/v1/board opens
// the cases behind it; the open warnings (GET /api/v1/warnings) join the warnings feed, and their vehicles (with the
// area each can reach in 5 minutes) and hot spots are drawn on the map; both are read again (debounced) on every live
// event. Read only.
import { get } from '/assets/common/api.js';
import { h, fill, $, debounce } from '/assets/common/dom.js';
import {
  STATUSES, STATUS, LIGHT, LIGHTS, SOURCE, SOURCES, STAGE, eventName, time, shortTime, day, longDay, count,
  WARNING_LEVEL,
} from '/assets/common/format.js';
import { centerName, categoryName, unitName } from '/assets/common/catalog.js';
import { signedIn, watchSession, whoAmI } from '/assets/common/session.js';
import { stream, streamBadge } from '/assets/common/stream.js';
import { caseDetail } from '/assets/common/caseview.js';
import { pagedList } from '/assets/common/caselist.js';
import { loadMap, mapOption, focusOn, LIGHT_COLOR } from '/assets/common/map.js';
import { openWarnings, warningShapes, kindName, WARNING_STATUS } from '/assets/common/warnings.js';

const W = 1920, H = 1080;
const WARNING_EVENTS = new Set(['overdue', 'due_soon', 'supervised', 'warning', 'hotspot_detected', 'alert_grouped']);
const stage = $('#stage');
let me = null;
let board = null;
let warnings = [];   // the open warnings (GET /api/v1/warnings): the feed's records and the map's vehicles and hot spots
let mapChart = null, trendChart = null, mapInfo = null;
const liveWarnings = [];

// ---- the stage: scaled with transform (never zoom, which breaks ECharts' mouse positions) ----------------------
function fit() {
  const s = Math.min(window.innerWidth / W, window.innerHeight / H);
  stage.style.transform = `translate(${(window.innerWidth - W * s) / 2}px, ${(window.innerHeight - H * s) / 2}px) scale(${s})`;
}
window.addEventListener('resize', fit);
fit();

function tick() {
  const now = new Date();
  $('#clock-time').textContent = time(now, { seconds: true }).slice(11);
  $('#clock-day').textContent = longDay(now);
}

// ---- the drill-down drawer ---------------------------------------------------------------------------------------
const drawer = { el: $('#drawer'), body: $('#drawer-body'), title: $('#drawer-title'), back: $('#drawer-back'), list: null, label: '' };

function openDrawer() {
  drawer.el.hidden = false;
  $('#scrim').hidden = false;
}
function closeDrawer() {
  drawer.el.hidden = true;
  $('#scrim').hidden = true;
  drawer.list = null;
}
$('#drawer-close').addEventListener('click', closeDrawer);
$('#scrim').addEventListener('click', closeDrawer);
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeDrawer(); });
drawer.back.addEventListener('click', () => showList(drawer.label, drawer.filter));

/** The cases behind a figure: `label` names it, `filter` is the query of GET /api/v1/cases. */
function showList(label, filter) {
  drawer.label = label;
  drawer.filter = filter;
  drawer.back.hidden = true;
  drawer.title.textContent = label;
  drawer.el.dataset.filter = new URLSearchParams(filter).toString();
  const box = h('div', { class: 'drawer-list' });
  fill(drawer.body, box);
  drawer.list = pagedList(box, { filter, pageSize: 15, onOpen: (c) => showCase(c.id, true) });
  drawer.list.load(filter);
  openDrawer();
}

async function showCase(id, fromList = false) {
  drawer.back.hidden = !fromList;
  if (!fromList) drawer.list = null;
  drawer.title.textContent = `案件 ${id}`;
  fill(drawer.body, h('p', { class: 'empty' }, '加载中…'));
  openDrawer();
  try {
    const c = await get(`/api/v1/cases/${encodeURIComponent(id)}`);
    fill(drawer.body, caseDetail(c));
  } catch (err) {
    fill(drawer.body, h('p', { class: 'notice notice-error' }, err.message));
  }
}

/** A clickable figure: data-testid, the filter it opens, its label and value. */
function figure(testid, attrs, label, value, filter, extra) {
  return h('button', {
    type: 'button', class: `fig ${extra?.class || ''}`, 'data-testid': testid, ...attrs,
    onclick: () => showList(`${label} · 案件列表`, filter),
  },
  h('span', { class: 'fig-value', 'data-testid': `${testid}-value` }, count(value ?? 0)),
  h('span', { class: 'fig-label' }, extra?.dot ? h('span', { class: `dot dot-${extra.dot}` }) : null, label));
}

// ---- panels -------------------------------------------------------------------------------------------------------
function renderStatus(b) {
  // nine tiles, 3 × 3: a voided (作废) case is left out here (the desk's filter lists it)
  fill($('#status-grid'), STATUSES.filter((s) => s !== 'voided').map((s) =>
    figure('status-count', { 'data-status': s }, STATUS[s], b.by_status?.[s] ?? 0, { status: s }, { class: `fig-status fig-${s}` })));
}

function renderLights(b) {
  fill($('#light-grid'), LIGHTS.map((l) =>
    figure('light-count', { 'data-light': l }, LIGHT[l], b.by_light?.[l] ?? 0, { light: l }, { class: `fig-light fig-light-${l}`, dot: l })));
}

function bars(el, rows, testid, attr, emptyText) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  fill(el, rows.length ? rows.map((r) => h('li', {},
    h('button', {
      type: 'button', class: 'bar', 'data-testid': testid, [attr]: r.key,
      onclick: () => showList(`${r.label} · 案件列表`, r.filter),
    },
    h('span', { class: 'bar-label' }, r.label),
    h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${(r.value / max) * 100}%` })),
    h('span', { class: 'bar-value', 'data-testid': `${testid}-value` }, count(r.value)))))
    : h('li', { class: 'empty' }, emptyText));
}

function renderSources(b) {
  if (!b.by_source) {
    fill($('#source-grid'), h('p', { class: 'empty', 'data-testid': 'source-unavailable' }, '来源统计暂未提供'));
    return;
  }
  const keys = [...SOURCES, ...Object.keys(b.by_source).filter((k) => !SOURCES.includes(k))];
  fill($('#source-grid'), keys.map((k) =>
    figure('source-count', { 'data-source': k }, SOURCE[k] || k, b.by_source[k] ?? 0, { source: k }, { class: 'fig-source' })));
}

function renderCategories(b) {
  const rows = Object.entries(b.by_category || {}).sort((x, y) => y[1] - x[1]).slice(0, 8)
    .map(([k, v]) => ({ key: k, label: categoryName(k), value: v, filter: { category: k } }));
  bars($('#category-bars'), rows, 'category-count', 'data-category', '暂无案件');
}

function renderKpis(b) {
  const total = Object.values(b.by_status || {}).reduce((a, v) => a + v, 0);
  const today = day(new Date());
  const todayRow = (b.trend || []).find((r) => r.date === today);
  const tomorrow = day(new Date(Date.parse(`${today}T00:00:00+08:00`) + 86400000));
  fill($('#kpis'),
    figure('kpi-total', {}, '案件总数', total, {}, { class: 'kpi' }),
    todayRow ? figure('kpi-today', {}, '今日受理', todayRow.received, { from: today, to: tomorrow }, { class: 'kpi' }) : null,
    figure('kpi-overdue', {}, '超期案件', b.overdue?.length ?? 0, { overdue: 'true' }, { class: 'kpi kpi-red' }),
    figure('kpi-red', {}, '红灯案件', b.by_light?.red ?? 0, { light: 'red' }, { class: 'kpi kpi-red' }));
}

function renderOverdue(b) {
  const items = b.overdue || [];
  $('#overdue-title').textContent = `超期案件（${items.length}）`;
  fill($('#overdue'), items.length ? items.map((o) => h('li', {},
    h('button', { type: 'button', class: 'feed-item', 'data-testid': 'overdue-item', 'data-case-id': o.id, onclick: () => showCase(o.id) },
      h('span', { class: 'feed-tag feed-red' }, `${STAGE[o.stage] || o.stage || ''}超期`),
      h('span', { class: 'feed-main' }, h('span', { class: 'mono' }, o.id), h('span', { class: 'feed-sub' }, unitName(o.unit))),
      h('span', { class: 'feed-time' }, `应于 ${shortTime(o.due)}`)))) : h('li', { class: 'empty' }, '暂无超期案件'));
}

// a warning record is one row whatever happens to it (the newest news of it wins); a case's event is one row per event
const warningKey = (w) => (w.kind && w.id ? `warning|${w.id}` : `${w.case_id || w.id}|${w.type || w.kind}|${String(w.at).slice(0, 16)}`);

function renderWarnings(b) {
  const seen = new Set();
  const all = [...liveWarnings, ...warnings, ...(b.warnings || [])]
    .filter((w) => { const k = warningKey(w); if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((x, y) => Date.parse(y.at) - Date.parse(x.at)).slice(0, 30);
  fill($('#warnings'), all.length ? all.map((w) => {
    const type = w.type || w.kind || 'warning';
    const level = w.level === 'red' || type === 'overdue' ? 'red' : w.level === 'info' ? 'blue' : 'yellow';
    const caseId = w.case_id || (w.case_ids || [])[0];
    return h('li', {},
      h('button', {
        type: 'button', class: `feed-item${w.live ? ' feed-new' : ''}`, 'data-testid': 'warning-item', 'data-case-id': caseId || '',
        disabled: !caseId, onclick: () => caseId && showCase(caseId),
      },
      h('span', { class: `feed-tag feed-${level}` }, w.kind ? kindName(w.kind) : w.title ? (WARNING_LEVEL[w.level] || '预警') : eventName(type)),
      h('span', { class: 'feed-main' },
        h('span', {}, w.title || (caseId ? h('span', { class: 'mono' }, caseId) : '')),
        h('span', { class: 'feed-sub' }, [w.kind ? WARNING_LEVEL[w.level] : '', w.kind ? WARNING_STATUS[w.status] : '',
          w.unit ? unitName(w.unit) : '', w.stage ? `${STAGE[w.stage] || w.stage}环节` : '', w.note || ''].filter(Boolean).join(' · '))),
      h('span', { class: 'feed-time' }, shortTime(w.at))));
  }) : h('li', { class: 'empty' }, '暂无预警'));
}

// a ranking row counts its cases as a number, or lists them (`cases: [ids]`, `assignments`)
const caseCount = (row) => row.assignments ?? (Array.isArray(row.cases) ? row.cases.length : row.cases ?? 0);

function renderRanking(b) {
  const r = b.ranking;
  if (!r) {
    $('#rank-note').textContent = '';
    fill($('#ranking'), h('p', { class: 'empty', 'data-testid': 'ranking-unavailable' }, '红黑榜暂未提供'));
    return;
  }
  $('#rank-note').textContent = [r.period, r.by === 'region' ? '按区域' : '按单位', '综合得分'].filter(Boolean).join(' · ');
  const side = (title, rows, kind) => h('div', { class: `rank-side rank-${kind}` },
    h('h3', {}, title),
    h('ol', {}, (rows || []).length ? rows.map((row, i) => {
      const code = row.unit ?? row.region;
      return h('li', {},
        h('button', {
          type: 'button', class: 'rank-row', 'data-testid': `ranking-${kind}`, 'data-unit': code,
          onclick: () => showList(`${row.name || unitName(code)} · 案件列表`, r.by === 'region' ? { region: code } : { unit: code }),
        },
        h('span', { class: 'rank-no' }, String(i + 1)),
        h('span', { class: 'rank-name' }, row.name || unitName(code)),
        h('span', { class: 'rank-score' }, typeof row.score === 'number' ? row.score.toFixed(1) : '—'),
        h('span', { class: 'rank-cases' }, `${caseCount(row)}件`)));
    }) : h('li', { class: 'empty' }, '暂无')));
  fill($('#ranking'), side('红榜', r.best, 'best'), side('黑榜', r.worst, 'worst'));
}

// ---- charts -------------------------------------------------------------------------------------------------------
async function initMap() {
  mapChart = window.echarts.init($('#map'), null, { renderer: 'canvas' });
  try {
    mapInfo = await loadMap();
  } catch (err) {
    fill($('#map'), h('p', { class: 'empty' }, `地图不可用：${err.message}`));
    mapChart = null;
    return;
  }
  const says = /示意/.test(mapInfo.attribution);
  $('#map-attr').textContent = `${mapInfo.attribution}${mapInfo.townships.length && !says ? ' · 街镇位置为示意点' : ''}`;
  mapChart.on('click', (p) => { if (p.data?.caseId) showCase(p.data.caseId); });
}

function renderMap(b) {
  const points = b.points || [];
  const counts = Object.fromEntries(LIGHTS.map((l) => [l, points.filter((p) => p.light === l).length]));
  fill($('#map-legend'), b.points ? LIGHTS.map((l) => h('span', { class: 'legend-item', 'data-testid': 'map-legend', 'data-light': l },
    h('span', { class: 'dot', style: `background:${LIGHT_COLOR[l]}` }), `${LIGHT[l]} ${points.length ? counts[l] : 0}`))
    : h('span', { class: 'legend-item', 'data-testid': 'map-points-unavailable' }, '案件点位暂未提供'));
  $('#map').dataset.points = String(points.length);
  const shapes = warningShapes(warnings);
  $('#map').dataset.vehicles = String(shapes.vehicles.length);
  $('#map').dataset.hotspots = String(shapes.hotspots.length);
  if (!mapChart || !mapInfo) return;
  const first = !mapChart.getOption();
  const towns = mapInfo.townships;
  if (first) {
    // a township center's cases fill a small corner of its county: frame them (and its 示意 point)
    const mine = towns.filter((t) => String(t.code).startsWith(me.center)).map((t) => [t.lon, t.lat]);
    const view = me.center.length > 6 ? focusOn([...mine, ...points.map((p) => [p.lon, p.lat])], 0.22) : null;
    mapChart.setOption(mapOption({ theme: 'dark', points, townships: towns, view, townLabels: towns.length <= 40, symbolSize: 12, warnings: shapes }));
  } else {
    const option = mapOption({ theme: 'dark', points, townships: towns, symbolSize: 12, warnings: shapes });
    mapChart.setOption({ series: option.series });
  }
}

function renderTrend(b) {
  const rows = b.trend;
  if (!rows) {
    fill($('#trend'), h('p', { class: 'empty', 'data-testid': 'trend-unavailable' }, '趋势数据暂未提供'));
    trendChart?.dispose();
    trendChart = null;
    return;
  }
  if (!trendChart) {
    $('#trend').replaceChildren();
    trendChart = window.echarts.init($('#trend'));
    const open = (date) => {
      const next = day(new Date(Date.parse(`${date}T00:00:00+08:00`) + 86400000));
      showList(`${date} 受理 · 案件列表`, { from: date, to: next });
    };
    trendChart.on('click', (p) => {
      const date = p.componentType === 'xAxis' ? p.value : rows[p.dataIndex]?.date ?? p.name;
      if (date) open(date);
    });
  }
  const axis = { color: '#89a6cf', fontSize: 12 };
  trendChart.setOption({
    grid: { left: 44, right: 20, top: 30, bottom: 28 },
    legend: { right: 10, top: 0, textStyle: { color: '#cfe0ff' }, data: ['受理', '结案'] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((r) => r.date), triggerEvent: true, axisLabel: { ...axis, formatter: (v) => v.slice(5) }, axisLine: { lineStyle: { color: '#2a4d85' } } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axis, splitLine: { lineStyle: { color: 'rgba(59,160,255,.12)' } } },
    series: [
      { name: '受理', type: 'line', symbolSize: 7, data: rows.map((r) => r.received), itemStyle: { color: '#3ba0ff' }, areaStyle: { color: 'rgba(59,160,255,.15)' } },
      { name: '结案', type: 'line', symbolSize: 7, data: rows.map((r) => r.closed), itemStyle: { color: '#22c55e' } },
    ],
  });
}

// ---- the board ----------------------------------------------------------------------------------------------------
async function loadBoard() {
  try {
    let open;
    [board, open] = await Promise.all([get('/api/v1/board'), openWarnings().catch((err) => ({ error: err }))]);
    if (open.error) stage.dataset.warningsError = open.error.message;
    else { warnings = open.items; delete stage.dataset.warningsError; }
  } catch (err) {
    stage.dataset.boardError = err.message;
    return;
  }
  delete stage.dataset.boardError;
  for (const render of [renderKpis, renderStatus, renderLights, renderSources, renderCategories, renderOverdue,
    renderWarnings, renderRanking, renderMap, renderTrend]) {
    try { render(board); } catch (err) { console.error(render.name, err); }
  }
  stage.dataset.updated = new Date().toISOString();
  if (drawer.list && !drawer.el.hidden && drawer.back.hidden) drawer.list.reload();   // an open list follows too
}

const refresh = debounce(loadBoard, 300);

async function main() {
  me = await signedIn('screen', stage);
  watchSession('screen', stage);
  fit();
  $('#title').textContent = `南通市一网统管 · ${centerName(me.center)}`;
  document.title = `${centerName(me.center)} · 指挥大屏`;
  fill($('#hd-right'), streamBadge(), whoAmI(me));
  tick();
  setInterval(tick, 1000);
  // listen before the first read: what happens while the map and the board load is read again, never missed
  stream().on((type, data) => {
    if (WARNING_EVENTS.has(type) && data) {
      liveWarnings.unshift({ ...data, type: data.type || type, live: true });
      liveWarnings.length = Math.min(liveWarnings.length, 30);
    }
    refresh();
  });
  await initMap();
  await loadBoard();
  setInterval(loadBoard, 60000);   // the day turns, deadlines pass: a slow refresh besides the live one
  window.addEventListener('resize', () => { mapChart?.resize(); trendChart?.resize(); });
}

main();
