// Warnings (监测预警, CONTRACTS.md §7) as the desk and the big screen show them: their names, the lines of evidence a
// dispatcher reads before acting, and what the map draws (a vehicle where it was seen with the area it can reach in
// 5 minutes, a hot spot's block of cells).
import { get } from './api.js';
import { h } from './dom.js';
import { shortTime } from './format.js';
import { categoryName, regionName } from './catalog.js';

export const WARNING_KIND = {
  hotspot: '类案高发', trend: '上升趋势', repeat_caller: '重复来电', dwell: '异常停留', route_deviation: '偏离路线',
  night_driving: '夜间行驶', fatigue: '疲劳驾驶', alert_storm: '告警风暴', device_offline: '设备离线',
};
export const WARNING_STATUS = { open: '待处置', tasked: '已转任务', dismissed: '已忽略' };
/** The kinds computed from vehicle tracks (危化品全流程监管): they carry a position and a reachable area. */
export const VEHICLE_KINDS = new Set(['dwell', 'route_deviation', 'night_driving', 'fatigue']);
const LICENCE = { licensed: '许可有效', suspended: '许可暂停', closed: '已关停' };

export const kindName = (kind) => WARNING_KIND[kind] || kind || '预警';

/** Open warnings of the caller's scope, newest first (GET /api/v1/warnings). */
export const openWarnings = (pageSize = 50) => get('/api/v1/warnings', { status: 'open', page_size: pageSize });

/** The evidence as short lines, for the kinds a dispatcher acts on. */
export function evidenceLines(w) {
  const e = w.evidence || {};
  const lines = [];
  if (VEHICLE_KINDS.has(w.kind)) {
    const v = e.vehicle || {};
    lines.push(`车辆 ${v.plate || v.id || '—'}`);
    if (e.place) lines.push(`${e.place.name}（${LICENCE[e.place.licence] || e.place.licence || '企业'}）`);
    if (e.minutes != null && w.kind === 'dwell') lines.push(`停留 ${Math.round(e.minutes)} 分钟${e.ongoing ? '，仍在原地' : ''}`);
    if (w.kind === 'route_deviation' && e.distance_m != null) lines.push(`距核定路线 ${e.distance_m} 米`);
    if (w.kind === 'fatigue' && e.hours != null) lines.push(`连续驾驶 ${e.hours} 小时`);
    const reach = e.reachable;
    if (reach) lines.push(`5分钟可达 ${(reach.radius_m / 1000).toFixed(1)} 公里：${(reach.regions || []).map(regionName).join('、') || '—'}`);
    const teams = (e.teams || []).slice(0, 3);
    if (teams.length) lines.push(`附近力量：${teams.map((t) => `${t.name}（${(t.distance_m / 1000).toFixed(1)}公里）`).join('、')}`);
  } else if (w.kind === 'hotspot' || w.kind === 'trend') {
    lines.push(`${categoryName(e.category)} · ${e.count} 件（通常约 ${Number(e.expected).toFixed(1)} 件）`);
    if (e.window_days) lines.push(`近 ${e.window_days} 天 · ${regionName(w.region)}`);
  } else if (w.kind === 'repeat_caller') {
    lines.push(`${e.orders} 张工单 · ${e.window_hours} 小时内`);
  } else if (w.kind === 'alert_storm' && e.alerts != null) {
    lines.push(`${e.alerts} 条告警`);
  }
  return lines;
}

/** A warning's head: level tag, kind, title and time. */
export function warningHead(w) {
  return h('div', { class: 'warning-head' },
    h('span', { class: `feed-tag feed-${w.level === 'red' ? 'red' : w.level === 'info' ? 'blue' : 'yellow'}`, 'data-testid': 'warning-level' }, kindName(w.kind)),
    h('span', { class: 'warning-title', 'data-testid': 'warning-title' }, w.title),
    h('span', { class: 'feed-time' }, shortTime(w.at)));
}

/** The map's shapes of some warnings (newest first): each vehicle once, where its newest warning saw it, with the
 * area it can reach from there; hot spots' blocks. */
export function warningShapes(warnings) {
  const vehicles = [], reach = [], hotspots = [], seen = new Set();
  for (const w of warnings) {
    const e = w.evidence || {};
    const caseId = w.task_case_id || (w.case_ids || [])[0] || null;
    const vehicle = (e.vehicle || {}).id;
    if (VEHICLE_KINDS.has(w.kind) && e.position && !seen.has(vehicle)) {
      seen.add(vehicle);
      vehicles.push({ name: (e.vehicle || {}).plate || (e.vehicle || {}).id, value: [e.position.lon, e.position.lat],
        warningId: w.id, caseId, level: w.level, title: w.title });
      for (const f of e.reachable?.features || []) {
        const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
        for (const poly of polys) reach.push({ coords: poly[0], level: w.level, warningId: w.id });
      }
    } else if (w.kind === 'hotspot' && e.bbox) {
      const [x0, y0, x1, y1] = e.bbox;
      hotspots.push({ coords: [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]], center: e.center || [(x0 + x1) / 2, (y0 + y1) / 2],
        warningId: w.id, caseId, level: w.level, title: w.title });
    }
  }
  return { vehicles, reach, hotspots };
}
