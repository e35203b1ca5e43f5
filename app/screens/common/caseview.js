// A case as every screen shows it: a list row, the summary, the photos and the timeline (read only).
import { h } from './dom.js';
import { mediaUrl } from './api.js';
import {
  statusName, lightName, sourceName, eventName, time, shortTime, until, PRIORITY, STAGE, ROLE, SATISFACTION, name,
} from './format.js';
import { categoryName, unitName, regionName } from './catalog.js';

export const lightDot = (light) =>
  h('span', { class: `dot dot-${light || 'none'}`, title: lightName(light), 'aria-label': lightName(light) });

export const statusTag = (status) =>
  h('span', { class: `tag tag-${status}`, 'data-status': status }, statusName(status));

/** "dispatcher:值班长" → "值班长（调度员）"; "system:…" → "系统". */
export function actorName(actor) {
  if (!actor) return '—';
  const [role, ...rest] = String(actor).split(':');
  if (role === 'system') return '系统';
  const who = rest.join(':');
  return who ? `${who}（${ROLE[role] || role}）` : actor;
}

/** One row of a case list: data-testid="case-row", data-case-id. */
export function caseRow(c, { onOpen, selected = false } = {}) {
  const deadline = c.stage && c.deadlines ? c.deadlines[c.stage] : null;
  const row = h('li', {
    class: `case-row${selected ? ' selected' : ''}${c.overdue ? ' is-overdue' : ''}`, tabindex: 0, role: 'button',
    'data-testid': 'case-row', 'data-case-id': c.id, 'data-status': c.status, 'data-light': c.light,
  },
  h('div', { class: 'case-row-top' },
    lightDot(c.light),
    h('span', { class: 'case-id' }, c.id),
    statusTag(c.status),
    c.priority && c.priority !== 'normal' ? h('span', { class: `tag tag-prio-${c.priority}` }, PRIORITY[c.priority]) : null,
    c.overdue ? h('span', { class: 'tag tag-overdue' }, '超期') : null,
    c.extension_pending ? h('span', { class: 'tag tag-ext' }, '延期待批') : null,
    c.supervision_level ? h('span', { class: 'tag tag-sup' }, `督办${c.supervision_level}级`) : null),
  h('div', { class: 'case-row-desc' }, c.description || '（无描述）'),
  h('div', { class: 'case-row-meta' },
    h('span', {}, categoryName(c.category)),
    h('span', {}, sourceName(c.source)),
    h('span', { class: 'shrink shrink-first' }, c.unit ? unitName(c.unit) : '未派遣'),
    // the center says whether it is overdue (the device's clock may differ); the time left is the device's estimate
    deadline ? h('span', { class: `shrink${c.overdue ? ' text-red' : ''}` },
      `${STAGE[c.stage] || c.stage}${c.overdue ? '已超期' : until(deadline)}`) : null,
    h('span', { class: 'case-row-time', title: '受理时间' }, shortTime(c.created_at))));
  if (onOpen) {
    row.addEventListener('click', () => onOpen(c));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(c); } });
  }
  return row;
}

function field(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

/** The facts of a case (a <dl>). */
export function caseSummary(c) {
  const loc = c.location || {};
  const deadlines = Object.entries(c.deadlines || {}).filter(([, v]) => v);
  return h('dl', { class: 'case-summary', 'data-testid': 'case-summary', 'data-case-id': c.id },
    field('案件编号', h('span', { class: 'mono', 'data-testid': 'case-id' }, c.id)),
    field('状态', statusTag(c.status), ' ', lightDot(c.light), ' ', lightName(c.light),
      c.overdue ? h('span', { class: 'tag tag-overdue' }, '超期') : null),
    field('问题描述', h('span', { class: 'case-desc', 'data-testid': 'case-description' }, c.description || '—')),
    field('类别', categoryName(c.category), c.priority ? ` · ${PRIORITY[c.priority] || c.priority}` : ''),
    field('来源', sourceName(c.source), c.external_ref ? ` · ${c.external_ref}` : ''),
    field('地址', loc.address || '—', loc.lon != null ? h('span', { class: 'muted' }, ` (${loc.lon}, ${loc.lat})`) : null),
    field('所属区划', regionName(c.region)),
    field('承办', c.unit ? unitName(c.unit) : '未派遣',
      c.assisting_units?.length ? ` · 协办：${c.assisting_units.map(unitName).join('、')}` : ''),
    c.center ? field('办理中心', regionName(c.center)) : null,
    c.stage ? field('当前环节', STAGE[c.stage] || c.stage) : null,
    deadlines.length ? field('时限', h('span', { class: 'deadlines' }, deadlines.map(([s, v]) =>
      h('span', { class: 'deadline' }, `${STAGE[s] || s} ${shortTime(v)}`)))) : null,
    field('处置记录',
      `督办 ${c.supervision_level ?? 0} 级 · 返工 ${c.rework_count ?? 0} · 退单 ${c.return_count ?? 0} · 延期 ${c.extension_count ?? 0}`,
      c.extension_pending ? h('span', { class: 'tag tag-ext' }, '延期待批') : null),
    c.merged_into ? field('已并入', h('span', { class: 'mono' }, c.merged_into)) : null,
    c.reporters_count > 1 ? field('报告人数', String(c.reporters_count)) : null,
    c.satisfaction ? field('满意度', name(SATISFACTION, c.satisfaction)) : null,
    field('受理时间', time(c.created_at)),
    c.closed_at ? field('结案时间', time(c.closed_at)) : null);
}

function photoStrip(refs, testid) {
  return h('div', { class: 'photos', 'data-testid': testid }, refs.map((ref) => {
    const src = mediaUrl(ref);
    return src
      ? h('a', { href: src, target: '_blank', rel: 'noopener', class: 'photo' },
        h('img', { src, alt: '现场照片', loading: 'lazy', 'data-testid': 'case-photo' }))
      : h('span', { class: 'photo photo-external', title: String(ref) }, '外部照片');
  }));
}

const FLAG = {
  no_metadata: '无拍摄时间/位置', taken_before_dispatch: '派遣前拍摄', too_far: '距离过远',
  case_without_location: '案件无位置', not_checked: '外部照片未核验',
};
const flagName = (f) => (f.startsWith('reused_from:') ? `已用于案件 ${f.slice(12)}` : FLAG[f] || f);

/** The evidence of a resolve's photos (核查 sees it): when and how far from the case each was taken; flags in red. */
function evidenceList(items) {
  return h('ul', { class: 'evidence', 'data-testid': 'evidence' }, items.map((e, i) =>
    h('li', { 'data-media-id': e.media_id || '', 'data-flags': (e.flags || []).join(' ') },
      `照片${i + 1}：`,
      e.taken_at ? `拍摄于 ${shortTime(e.taken_at)}` : '无拍摄时间',
      e.distance_m != null ? ` · 距案件位置 ${e.distance_m} 米` : '',
      e.taken_after_dispatch === true ? ' · 派遣后拍摄' : '',
      ...(e.flags || []).map((f) => h('span', { class: 'text-red', 'data-testid': 'evidence-flag' }, ` ⚠ ${flagName(f)}`)))));
}

/** The case's photos (media ids served by this center at /media/{id}). */
export function casePhotos(c) {
  const refs = c.media || [];
  if (!refs.length) return h('p', { class: 'muted', 'data-testid': 'case-photos' }, '无照片');
  return photoStrip(refs, 'case-photos');
}

/** The timeline, oldest first: type in Chinese, who, which unit, note, when. */
export function caseTimeline(c) {
  const items = c.timeline || [];
  if (!items.length) return h('p', { class: 'muted', 'data-testid': 'case-timeline' }, '暂无记录');
  return h('ol', { class: 'timeline', 'data-testid': 'case-timeline' }, items.map((t) =>
    h('li', { class: `tl tl-${t.type}`, 'data-type': t.type },
      h('div', { class: 'tl-head' },
        h('span', { class: 'tl-type' }, eventName(t.type)),
        h('span', { class: 'tl-time' }, time(t.at))),
      h('div', { class: 'tl-who' }, actorName(t.actor),
        t.unit ? ` · ${unitName(t.unit)}` : '',
        t.center && t.center !== c.center ? ` · ${regionName(t.center)}` : ''),
      t.note ? h('div', { class: 'tl-note' }, t.note) : null,
      Array.isArray(t.data?.media) && t.data.media.length ? photoStrip(t.data.media, 'timeline-photos') : null,
      Array.isArray(t.data?.evidence) && t.data.evidence.length ? evidenceList(t.data.evidence) : null)));
}

const TASK_STATUS = { dispatched: '待签收', accepted: '处理中', resolved: '已办结', returned: '已退回', ended: '已终止' };
const TASK_ROLE = { lead: '主办', assisting: '协办' };

/** The sub-tasks of joint handling (联合处置 / 街道吹哨), the lead's first: unit, role, status, deadlines, light,
 * overdue. Nothing when the case was never handled jointly. */
export function caseTasks(c) {
  const tasks = c.tasks || [];
  if (!tasks.length) return null;
  return h('section', { class: 'case-tasks', 'data-testid': 'case-tasks' },
    h('h3', {}, '联合处置任务'),
    h('table', { class: 'tasks-table' },
      h('thead', {}, h('tr', {}, ['单位', '角色', '状态', '签收时限', '处置时限', '亮灯'].map((t) => h('th', {}, t)))),
      h('tbody', {}, tasks.map((t) => h('tr', {
        class: `task-row${t.overdue ? ' is-overdue' : ''}`, 'data-testid': 'case-task', 'data-unit': t.unit,
        'data-role': t.role, 'data-status': t.status, 'data-light': t.light || '', 'data-overdue': String(!!t.overdue),
      },
      h('td', { class: 'task-unit' }, unitName(t.unit)),
      h('td', {}, h('span', { class: `tag tag-role-${t.role}` }, TASK_ROLE[t.role] || t.role), t.whistle ? h('span', { class: 'tag tag-whistle' }, '吹哨') : null),
      h('td', {}, h('span', { class: `tag tag-task-${t.status}`, 'data-testid': 'case-task-status' }, TASK_STATUS[t.status] || t.status)),
      h('td', {}, t.deadlines?.sign ? shortTime(t.deadlines.sign) : '—'),
      h('td', {}, t.deadlines?.resolve ? shortTime(t.deadlines.resolve) : '—'),
      h('td', { class: 'task-light' }, lightDot(t.light), ' ', lightName(t.light),
        t.overdue ? h('span', { class: 'tag tag-overdue' }, '超期') : null))))));
}

/** Summary, sub-tasks, photos and timeline together (read only). */
export function caseDetail(c) {
  return h('article', { class: 'case-detail', 'data-testid': 'case-detail', 'data-case-id': c.id },
    caseSummary(c),
    caseTasks(c),
    h('h3', {}, '现场照片'), casePhotos(c),
    h('h3', {}, '办理过程'), caseTimeline(c));
}
