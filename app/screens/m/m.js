// The small screen (小屏, a phone): a handler's tasks (签收, 办结 with note, photos and position, 申请延期, 退单) and
// a grid worker's reports and verifications (核查). Every write goes through the outbox: kept on the phone and sent
// again with the same Idempotency-Key until the center answers. No ECharts here: the page stays small.
import { get } from '/assets/common/api.js';
import { h, fill, $, debounce, toast } from '/assets/common/dom.js';
import { shortTime } from '/assets/common/format.js';
import { centerName, regionName, unitName } from '/assets/common/catalog.js';
import { signedIn, watchSession, signOut } from '/assets/common/session.js';
import { stream, streamBadge } from '/assets/common/stream.js';
import { caseDetail } from '/assets/common/caseview.js';
import { pagedList } from '/assets/common/caselist.js';
import { ACTIONS, HANDLER_ACTIONS, TASK_ACTIONS, availability, actionForm, actionPath, assistingTask } from '/assets/common/actions.js';
import { Notifications, bell, kindName } from '/assets/common/notifications.js';
import * as outbox from '/assets/common/outbox.js';
import { photoPicker } from '/assets/common/photos.js';
import { positionField } from '/assets/common/position.js';
import { reportForm } from '/assets/common/reportform.js';

const app = $('#app');
const REPORT_DRAFT = 'yiwang.m.report';
const WAIT_MS = 6000;   // how long a write may take before the page says it is kept for later
let me = null;
let list = null;        // the paged list on screen, if any
let current = null;     // the case on screen, if any

const TASK_FILTERS = [
  { key: 'dispatched', label: '待签收' }, { key: 'accepted', label: '处理中' }, { key: 'resolved', label: '已办结' }, { key: '', label: '全部' },
  { key: 'assisting', label: '协办任务' },
];
const ROLE_TABS = {
  handler: [{ hash: '#tasks', label: '我的任务', testid: 'tab-tasks' }],
  gridworker: [{ hash: '#report', label: '上报', testid: 'tab-report' }, { hash: '#verify', label: '待核查', testid: 'tab-verify' }],
};

// ---- views ------------------------------------------------------------------------------------------------------
function setView(title, { back = false } = {}) {
  $('#view-title').textContent = title;
  $('#back').hidden = !back;
  list = null;
  current = null;
  const tab = location.hash.split('/')[0];
  for (const b of $('#tabbar').children) b.classList.toggle('active', b.getAttribute('href') === tab);
  return fill($('#view'));
}

let taskFilter = 'dispatched';
function tasksView() {
  const view = setView('我的任务');
  const chips = h('div', { class: 'chips', role: 'tablist' }, TASK_FILTERS.map((f) => h('button', {
    type: 'button', role: 'tab', class: `chip${f.key === taskFilter ? ' active' : ''}`, 'data-testid': 'task-filter', 'data-status': f.key || 'all',
    onclick: () => { taskFilter = f.key; tasksView(); },
  }, f.label)));
  const box = h('div', { class: 'list-box' });
  view.append(h('p', { class: 'view-sub' }, `承办单位：${me.unitName}`), chips, box);
  if (taskFilter === 'assisting') {
    // 协办: GET /api/v1/cases?unit= holds the cases this unit leads and those it assists in; here only the latter
    list = pagedList(box, { pageSize: 20, search: (c) => c.unit !== me.unit, onOpen: (c) => { location.hash = `#case/${c.id}`; } });
    list.load({ unit: me.unit });
    return;
  }
  list = pagedList(box, { pageSize: 20, search: (c) => c.unit === me.unit, onOpen: (c) => { location.hash = `#case/${c.id}`; } });
  list.load({ unit: me.unit, status: taskFilter });
}

function verifyView() {
  const view = setView('待核查');
  const box = h('div', { class: 'list-box' });
  view.append(h('p', { class: 'view-sub' }, `${regionName(me.region)} · 已办结待核查的案件`), box);
  list = pagedList(box, { pageSize: 20, onOpen: (c) => { location.hash = `#case/${c.id}`; } });
  list.load({ status: 'resolved' });
}

function reportView() {
  const view = setView('上报问题');
  const { el } = reportForm({
    photos: true, autoLocate: true, draftKey: REPORT_DRAFT,
    onSubmit: async (body, files) => {
      const { answer } = await outbox.submit({ path: '/api/v1/reports', body, files, label: `上报：${body.description.slice(0, 16)}` });
      settle(answer, (data) => `已上报，案件编号 ${data.case_id}`);
    },
  });
  view.append(h('p', { class: 'view-sub' }, '描述问题、拍照并获取位置后提交；无网络时自动保存，恢复后发送。'), el);
}

async function caseView(id) {
  const view = setView('案件详情', { back: true });
  view.append(h('p', { class: 'empty' }, '加载中…'));
  let c;
  try {
    c = await get(`/api/v1/cases/${encodeURIComponent(id)}`);
  } catch (err) {
    fill(view, h('p', { class: 'notice notice-error' }, err.message));
    return;
  }
  if (location.hash !== `#case/${id}`) return;
  current = c;
  // a handler whose unit only assists (协办) acts on its own sub-task, never with the lead's case actions
  const task = me.role === 'handler' && c.unit !== me.unit ? assistingTask(c, me.unit) : null;
  const names = task ? TASK_ACTIONS : me.role === 'handler' ? HANDLER_ACTIONS : ['verify'];
  const formBox = h('div', { class: 'action-box' });
  const pending = outbox.items().filter((x) => x.caseId === c.id);
  const buttons = names.map((name) => {
    const { enabled, why } = availability(name, c, null, task);
    return h('button', {
      type: 'button', class: `btn action-btn${ACTIONS[name].primary ? ' btn-primary' : ''}${ACTIONS[name].danger ? ' btn-danger' : ''}`,
      'data-testid': 'action', 'data-action': name, disabled: !enabled, title: why,
      onclick: () => { fill(formBox, formFor(name, c)); formBox.scrollIntoView({ behavior: 'smooth' }); },
    }, ACTIONS[name].label);
  });
  fill(view,
    pending.length ? h('p', { class: 'notice', 'data-testid': 'case-pending' }, `有 ${pending.length} 项操作待发送（${pending.map((x) => x.label).join('、')}）`) : null,
    caseDetail(c),
    task ? h('p', { class: 'notice', 'data-testid': 'assisting-notice' }, `本单位为协办单位（主办：${unitName(c.unit)}），只办理本单位的协办任务`) : null,
    h('div', { class: 'action-bar', 'data-testid': 'action-bar' }, buttons),
    formBox);
}

function formFor(name, c) {
  const widgets = {
    photos: (f) => photoPicker({ label: f.label, testid: 'action-photos' }),
    position: () => positionField({ prefix: 'action', auto: true }),
  };
  return actionForm(name, c, {
    widgets,
    onCancel: () => caseView(c.id),
    onSubmit: async (body) => {
      const files = body.media || [];
      delete body.media;
      const { answer } = await outbox.submit({
        path: actionPath(name, c.id, me.unit), body, files, label: `${ACTIONS[name].label} ${c.id.slice(-6)}`, caseId: c.id,
      });
      const done = await settle(answer, () => `已${ACTIONS[name].label}`);
      if (done?.ok && location.hash === `#case/${c.id}`) caseView(c.id);
      else if (!done) caseView(c.id);
    },
  });
}

/** Tell how a write went: done, refused (kept in the outbox with the reason), or kept for later. */
async function settle(answer, okText) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), WAIT_MS));
  const done = await Promise.race([answer, timeout]);
  if (!done) {
    toast('网络不通，已保存在本机，恢复后自动发送', 'info', 6000);
    answer.then((late) => { if (late.ok) toast(`${okText(late.data)}（补发成功）`, 'ok'); else toast(late.error.message, 'error'); });
  } else if (done.ok) toast(okText(done.data), 'ok');
  else toast(done.error.message, 'error', 6000);
  return done;
}

function route() {
  if (!location.hash) history.replaceState(null, '', me.role === 'handler' ? '#tasks' : '#report');
  const [head, arg] = location.hash.split('/');
  if (head === '#case' && arg) return caseView(decodeURIComponent(arg));
  if (me.role === 'handler') return tasksView();
  if (head === '#verify') return verifyView();
  return reportView();
}

// ---- the outbox strip --------------------------------------------------------------------------------------------
const STATE_TEXT = { pending: '等待网络', sending: '发送中', failed: '未成功' };
function renderOutbox(items = outbox.items()) {
  const box = $('#outbox');
  box.hidden = !items.length;
  if (!items.length) { box.replaceChildren(); return; }
  const open = box.dataset.open === 'true';
  const failed = items.filter((x) => x.state === 'failed').length;
  fill(box,
    h('button', { type: 'button', class: 'outbox-head', 'data-testid': 'outbox-toggle', onclick: () => { box.dataset.open = String(!open); renderOutbox(); } },
      h('span', { 'data-testid': 'outbox-count' }, `待发送 ${items.length - failed} 项`), failed ? h('span', { class: 'text-red' }, ` · 未成功 ${failed} 项`) : null,
      h('span', { class: 'outbox-more' }, open ? '收起' : '查看')),
    open ? h('ul', { class: 'outbox-list' }, items.map((it) => h('li', { 'data-testid': 'outbox-item', 'data-state': it.state },
      h('div', {}, h('b', {}, it.label), ` · ${STATE_TEXT[it.state] || it.state} · ${shortTime(it.created)}`),
      it.error ? h('div', { class: 'text-red' }, it.error) : null,
      h('div', { class: 'outbox-btns' },
        it.state === 'failed' && it.path === '/api/v1/reports'
          ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => editReport(it) }, '改后重报') : null,
        it.state !== 'sending' ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => outbox.resend(it.id) }, '重新发送') : null,
        h('button', { type: 'button', class: 'btn btn-small btn-danger', onclick: () => outbox.discard(it.id) }, '删除'))))) : null);
}

/** A report the center refused back into the form (the photos must be taken again). */
function editReport(it) {
  const b = it.body;
  localStorage.setItem(REPORT_DRAFT, JSON.stringify({ description: b.description, category: b.category || '', address: b.location?.address || '', lon: b.location?.lon, lat: b.location?.lat }));
  outbox.discard(it.id);
  if (location.hash === '#report') reportView(); else location.hash = '#report';
  if (it.photos.length) toast('请重新添加照片', 'info');
}

// ---- live: new tasks and notifications ------------------------------------------------------------------------------
const recent = new Map();
function banner(text, caseId) {
  const key = caseId || text;
  const again = recent.has(key) && Date.now() - recent.get(key) < 10000;   // the same news twice (event, then notice)
  recent.set(key, Date.now());
  const el = $('#banner');
  fill(el, h('button', { type: 'button', class: 'banner-btn', 'data-case-id': caseId || '', onclick: () => { el.hidden = true; if (caseId) location.hash = `#case/${caseId}`; } }, text),
    h('button', { type: 'button', class: 'banner-close', 'aria-label': '关闭', onclick: () => { el.hidden = true; } }, '×'));
  el.hidden = false;
  if (!again) navigator.vibrate?.([200, 100, 200]);
  clearTimeout(banner.timer);
  banner.timer = setTimeout(() => { el.hidden = true; }, 12000);
}

function follow(notes) {
  const refresh = debounce(() => {
    list?.reload();
    if (current && !document.querySelector('.action-box form')) caseView(current.id);
  }, 400);
  stream().on((type, data) => {
    if (type === 'notification') return;
    if (me.role === 'handler' && ['dispatched', 'transferred', 'reworked', 'reopened'].includes(type) && data?.unit === me.unit) {
      banner(`新任务：${data.case_id}（点击查看）`, data.case_id);
    }
    refresh();
  });
  notes.on((kind, item) => { if (kind === 'new') banner(item.title || `${kindName(item.kind)}：${item.case_id || ''}`, item.case_id); });
}

// ---- start -------------------------------------------------------------------------------------------------------
async function main() {
  me = await signedIn('m', app);
  watchSession('m', app);
  me.unitName = me.unit ? unitName(me.unit) : '—';
  document.title = `${centerName(me.center)} · 移动端`;
  const notes = new Notifications();
  notes.follow(stream());
  $('#tools').append(streamBadge(), bell(notes, { onOpen: (id) => { location.hash = `#case/${id}`; }, onError: (err) => toast(err.message, 'error') }),
    h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'signout', title: `${me.name} · ${regionName(me.region)}`, onclick: signOut }, '退出'));
  notes.load().catch(() => {});
  fill($('#tabbar'), ROLE_TABS[me.role].map((t) => h('a', { href: t.hash, class: 'tabbar-item', 'data-testid': t.testid }, t.label)),
    h('span', { class: 'tabbar-who', 'data-testid': 'who-name' }, me.name));
  $('#back').addEventListener('click', () => (history.length > 1 ? history.back() : (location.hash = '')));
  window.addEventListener('hashchange', route);
  outbox.onChange(renderOutbox);
  outbox.startOutbox();
  renderOutbox();
  follow(notes);
  route();
}

main();
