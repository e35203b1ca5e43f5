// The dispatcher's desk (中屏): the queue on the left (GET /api/v1/queue, or every case with filters, or the open
// warnings to turn into proactive tasks — 未诉先办 — or dismiss), the chosen case in the middle (summary, map, photos,
// timeline), the actions it allows on the right. The queue, the warnings and the case follow the live stream; after
// an action they are read again.
import { get, post, act } from '/assets/common/api.js';
import { h, fill, $, debounce, toast } from '/assets/common/dom.js';
import { STATUS, STATUSES, LIGHT, LIGHTS, SOURCE, SOURCES } from '/assets/common/format.js';
import { catalog, centerName, unitsOf, jointUnits, parentUnits, region, regionName } from '/assets/common/catalog.js';
import { signedIn, watchSession, whoAmI } from '/assets/common/session.js';
import { stream, streamBadge } from '/assets/common/stream.js';
import { caseRow, caseSummary, caseTasks, casePhotos, caseTimeline, statusTag, lightDot } from '/assets/common/caseview.js';
import { pagedList } from '/assets/common/caselist.js';
import { ACTIONS, DESK_ACTIONS, availability, actionForm } from '/assets/common/actions.js';
import { Notifications, bell } from '/assets/common/notifications.js';
import { reportForm } from '/assets/common/reportform.js';
import { loadMap, mapOption, focusOn } from '/assets/common/map.js';
import { openWarnings, warningHead, evidenceLines } from '/assets/common/warnings.js';

const TABS = [
  { key: 'new', label: '新案件' }, { key: 'returned', label: '退回' }, { key: 'escalated', label: '上报' },
  { key: 'overdue', label: '超期' }, { key: 'return_reviews', label: '退单审核' }, { key: 'extension_requests', label: '延期申请' },
  { key: 'suspension_requests', label: '挂账申请' }, { key: 'registrations', label: '立案审核' }, { key: 'supervising', label: '提级督办' },
  { key: 'warnings', label: '预警' }, { key: 'all', label: '全部' },
];
const app = $('#app');
const state = { me: null, tab: 'new', picked: false, warningForm: null, queue: null, queueMissing: false, warnings: null, selected: null, current: null, all: null, filter: {}, mine: false };
let mapChart = null, mapInfo = null;

// ---- the queue --------------------------------------------------------------------------------------------------
const searchText = () => $('#search').value.trim().toLowerCase();
function matches(c) {
  const q = searchText();
  if (state.mine && c.center && c.center !== state.me.center) return false;
  if (!q) return true;
  return [c.id, c.description, c.location?.address, c.external_ref].some((v) => v && String(v).toLowerCase().includes(q));
}

function renderTabs() {
  fill($('#tabs'), TABS.map((t) => {
    const n = t.key === 'all' ? state.all?.data?.total : t.key === 'warnings' ? state.warnings?.total : state.queue?.[t.key]?.length;
    const alert = (t.key === 'overdue' || t.key === 'warnings') && n;
    return h('button', {
      type: 'button', role: 'tab', class: `tab${state.tab === t.key ? ' active' : ''}${alert ? ' tab-alert' : ''}`,
      'aria-selected': String(state.tab === t.key), 'data-testid': 'queue-tab', 'data-tab': t.key,
      onclick: () => { state.picked = true; selectTab(t.key); },
    }, t.label, h('span', { class: 'tab-count', 'data-testid': 'queue-tab-count' }, n == null ? '–' : String(n)));
  }));
}

function select(label, name, options) {
  const el = h('select', { 'data-testid': `filter-${name}`, 'aria-label': label },
    h('option', { value: '' }, `${label}：全部`), options.map(([v, text]) => h('option', { value: v }, text)));
  el.value = state.filter[name] || '';
  el.addEventListener('change', () => {
    if (el.value) state.filter[name] = el.value; else delete state.filter[name];
    state.all.load(state.filter);
  });
  return el;
}

function renderFilters() {
  const box = $('#filters');
  box.hidden = state.tab !== 'all';
  if (box.hidden || box.childElementCount) return;
  const overdue = h('input', { type: 'checkbox', 'data-testid': 'filter-overdue' });
  overdue.addEventListener('change', () => {
    if (overdue.checked) state.filter.overdue = 'true'; else delete state.filter.overdue;
    state.all.load(state.filter);
  });
  const mine = h('input', { type: 'checkbox', 'data-testid': 'filter-mine' });
  mine.addEventListener('change', () => { state.mine = mine.checked; state.all.render(); });
  fill(box,
    select('状态', 'status', STATUSES.map((s) => [s, STATUS[s]])),
    select('亮灯', 'light', LIGHTS.map((l) => [l, LIGHT[l]])),
    select('来源', 'source', SOURCES.map((s) => [s, SOURCE[s]])),
    select('类别', 'category', (catalog().categories || []).map((c) => [c.code, `${c.name}`])),
    select('承办单位', 'unit', unitsOf(state.me.center).map((u) => [u.code, u.name])),
    h('label', { class: 'check' }, overdue, '仅超期（在办）'),
    h('label', { class: 'check' }, mine, '仅本中心办理'));
}

function renderQueueList() {
  const box = $('#queue-list');
  if (state.tab === 'all') return;
  if (state.tab === 'warnings') { renderWarningList(); return; }
  if (state.queueMissing) {
    fill(box, h('p', { class: 'empty' }, '待办队列暂不可用，请使用「全部」查看案件'));
    return;
  }
  const items = (state.queue?.[state.tab] || []).filter(matches);
  fill(box, h('ul', { class: 'case-list', 'data-testid': 'case-list' }, items.length
    ? items.map((c) => caseRow(c, { onOpen: (x) => openCase(x.id), selected: c.id === state.selected }))
    : h('li', { class: 'empty', 'data-testid': 'case-list-empty' }, state.queue ? '队列为空' : '加载中…')));
}

function selectTab(key) {
  state.tab = key;
  renderTabs();
  renderFilters();
  if (key === 'all') {
    state.all = pagedList($('#queue-list'), {
      filter: state.filter, pageSize: 30, search: matches, selected: () => state.selected,
      onOpen: (c) => openCase(c.id), onLoaded: renderTabs,
    });
    state.all.load(state.filter);
  } else {
    state.all = null;
    renderQueueList();
  }
}

async function loadQueue() {
  try {
    state.queue = await get('/api/v1/queue');
    state.queueMissing = false;
    $('#queue-notice').hidden = true;
  } catch (err) {
    state.queueMissing = err.missingRoute;
    if (!err.missingRoute) { $('#queue-notice').hidden = false; $('#queue-notice').textContent = err.message; }
  }
  renderTabs();
  if (state.tab === 'all') state.all?.reload();
  else renderQueueList();
}

// ---- warnings (预警): turned into a proactive task (未诉先办) or dismissed with a reason -------------------------
async function loadWarnings() {
  try {
    state.warnings = await openWarnings();
  } catch (err) {
    state.warnings = { items: [], total: null, error: err.message };
  }
  renderTabs();
  if (state.tab === 'warnings') renderWarningList();
}

function renderWarningList() {
  // an open task or dismiss form outlives the list's refresh (a live event may come while the dispatcher types)
  const open = state.warningForm;
  const typing = open && open.el.contains(document.activeElement);
  const q = searchText();
  const items = (state.warnings?.items || []).filter((w) => !q
    || [w.id, w.title, regionName(w.region), ...(w.case_ids || [])].some((v) => String(v).toLowerCase().includes(q)));
  const empty = !state.warnings ? '加载中…' : state.warnings.error || '暂无待处置预警';
  fill($('#queue-list'), h('ul', { class: 'warning-list', 'data-testid': 'warning-list' },
    items.length ? items.map(warningCard) : h('li', { class: 'empty', 'data-testid': 'warning-list-empty' }, empty)));
  if (open && !(state.warnings?.items || []).some((w) => w.id === open.id)) state.warningForm = null;   // acted on
  else if (typing) open.el.querySelector('textarea')?.focus();
}

function warningCard(w) {
  const form = h('div', { class: 'warning-form-box' });
  const show = (action) => {
    closeWarningForm();   // one form open at a time
    state.warningForm = { id: w.id, el: warningForm(w, action) };
    form.append(state.warningForm.el);
  };
  if (state.warningForm?.id === w.id) form.append(state.warningForm.el);
  const ids = w.case_ids || [];
  return h('li', { class: `warning-card warning-${w.level}`, 'data-testid': 'warning-card', 'data-warning-id': w.id, 'data-kind': w.kind },
    warningHead(w),
    h('ul', { class: 'warning-evidence', 'data-testid': 'warning-evidence' }, evidenceLines(w).map((line) => h('li', {}, line))),
    ids.length ? h('div', { class: 'warning-cases' }, '关联案件：', ids.slice(0, 5).map((id) => h('button', {
      type: 'button', class: 'btn btn-ghost btn-small mono', 'data-testid': 'warning-case', onclick: () => openCase(id) }, id)),
    ids.length > 5 ? h('span', { class: 'muted' }, `等 ${ids.length} 件`) : null) : null,
    // a warning raised below is acted on where it was raised (here it is read only: the center answers 409)
    w.center === state.me.center
      ? h('div', { class: 'warning-btns' },
        h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'warning-task', onclick: () => show('task') }, '转为主动任务'),
        h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'warning-dismiss', onclick: () => show('dismiss') }, '忽略'))
      : h('p', { class: 'muted', 'data-testid': 'warning-elsewhere' }, `由${centerName(w.center)}处置 · 本中心只读`),
    form);
}

function closeWarningForm() {
  state.warningForm?.el.remove();
  state.warningForm = null;
}

function warningForm(w, action) {
  const task = action === 'task';
  const text = h('textarea', { rows: 2, maxlength: 500, 'data-testid': 'warning-text',
    placeholder: task ? '任务说明（选填）：到场核查什么' : '忽略原因（必填）' });
  const submit = h('button', { type: 'submit', class: 'btn btn-small btn-primary', 'data-testid': 'warning-submit' }, task ? '确认转任务' : '确认忽略');
  const form = h('form', { class: 'action-form', 'data-form-action': `warning-${action}` },
    h('label', {}, task ? '转为主动任务（未诉先办）：按常规流程分拨派遣' : h('span', {}, '忽略原因', h('span', { class: 'req' }, ' *'))),
    text,
    h('div', { class: 'action-form-btns' }, h('button', { type: 'button', class: 'btn btn-small', onclick: closeWarningForm }, '取消'), submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!task && !value) { toast('请填写忽略原因', 'error'); text.focus(); return; }
    submit.disabled = true;
    try {
      const done = await post(`/api/v1/warnings/${encodeURIComponent(w.id)}/act`,
        task ? { action, ...(value ? { note: value } : {}) } : { action, reason: value });
      toast(task ? `已转为主动任务：${done.task_case_id}` : '已忽略该预警', 'ok');
      closeWarningForm();
      await Promise.all([loadWarnings(), loadQueue()]);
      if (done.task_case_id) openCase(done.task_case_id);
    } catch (err) {
      toast(err.message, 'error');
      submit.disabled = false;
    }
  });
  return form;
}

// ---- the case -----------------------------------------------------------------------------------------------------
async function openCase(id) {
  state.selected = id;
  history.replaceState(null, '', `#case=${encodeURIComponent(id)}`);
  for (const row of document.querySelectorAll('.case-row')) row.classList.toggle('selected', row.dataset.caseId === id);
  await loadCase();
}

async function loadCase() {
  const id = state.selected;
  if (!id) return;
  try {
    const c = await get(`/api/v1/cases/${encodeURIComponent(id)}`);
    if (id !== state.selected) return;
    const changed = state.current?.id !== c.id;
    state.current = c;
    renderCase(c);
    renderActions(c, changed);
  } catch (err) {
    toast(err.message, 'error');
  }
}

function renderCase(c) {
  $('#case-empty').hidden = true;
  $('#case-view').hidden = false;
  $('#case-pane').dataset.caseId = c.id;
  $('#case-head-id').textContent = c.id;
  fill($('#case-head-tags'), statusTag(c.status), lightDot(c.light),
    c.overdue ? h('span', { class: 'tag tag-overdue' }, '超期') : null,
    c.return_pending ? h('span', { class: 'tag', 'data-testid': 'tag-return-pending' }, '退单待审核') : null,
    c.suspension ? h('span', { class: 'tag', 'data-testid': 'tag-suspension' }, c.suspension === 'suspended' ? '已挂账' : '挂账待审批') : null,
    c.registration_pending ? h('span', { class: 'tag', 'data-testid': 'tag-registration' }, '待立案审核') : null,
    c.center !== state.me.center ? h('span', { class: 'tag' }, '其他中心办理 · 只读') : null);
  fill($('#case-summary'), caseSummary(c), caseTasks(c));
  fill($('#case-photos'), casePhotos(c));
  fill($('#case-timeline'), caseTimeline(c));
  renderCaseMap(c);
}

async function renderCaseMap(c) {
  const box = $('#case-map');
  if (!window.echarts) { fill(box, h('p', { class: 'empty' }, '地图组件未加载')); return; }
  try {
    mapInfo ??= await loadMap();
  } catch (err) {
    fill(box, h('p', { class: 'empty' }, `地图不可用：${err.message}`));
    return;
  }
  $('#map-attr').textContent = mapInfo.attribution;
  mapChart ??= window.echarts.init(box);
  const loc = c.location || {};
  const has = loc.lon != null && loc.lat != null;
  const points = has ? [{ id: c.id, lon: loc.lon, lat: loc.lat, light: c.light, status: c.status, category: c.category }] : [];
  mapChart.setOption(mapOption({ theme: 'light', points, townships: mapInfo.townships, view: has ? focusOn([[loc.lon, loc.lat]], 0.1) : null, symbolSize: 14 }), { notMerge: true });
  box.dataset.points = String(points.length);
}

// ---- actions -----------------------------------------------------------------------------------------------------
function renderActions(c, reset) {
  const readOnly = c.center !== state.me.center;
  const notice = $('#actions-notice');
  notice.hidden = !readOnly;
  notice.textContent = readOnly ? '该案件由其他中心办理，本中心只读（可督办）' : '';
  const open = $('#action-form-box').firstElementChild?.dataset.formAction;
  // 街道吹哨 is a township center's (a county or city center answers 403)
  const township = region(state.me.center)?.tier === 'township';
  fill($('#action-buttons'), DESK_ACTIONS.filter((name) => name !== 'whistle' || township).map((name) => {
    const spec = ACTIONS[name];
    const { enabled, why } = availability(name, c, state.me.center);
    return h('button', {
      type: 'button', class: `btn action-btn${spec.primary ? ' btn-primary' : ''}${spec.danger ? ' btn-danger' : ''}${open === name ? ' active' : ''}`,
      'data-testid': 'action', 'data-action': name, disabled: !enabled, title: why || spec.label,
      onclick: () => showForm(name),
    }, spec.label);
  }));
  if (reset || (open && !availability(open, c, state.me.center).enabled)) fill($('#action-form-box'));
}

function showForm(name) {
  const c = state.current;
  // 联合处置 names units of this center and below; 街道吹哨 the parent county's departments; 转派 this center's units
  const units = name === 'joint' ? jointUnits(state.me.center)
    : name === 'whistle' ? parentUnits()
      : unitsOf(state.me.center).filter((u) => u.kind !== 'command');
  const form = actionForm(name, c, {
    units,
    onCancel: () => fill($('#action-form-box')),
    onSubmit: async (body) => {
      await act(c.id, name, body);
      fill($('#action-form-box'));
      toast(`已${ACTIONS[name].label}：${c.id}`, 'ok');
      await Promise.all([loadCase(), loadQueue()]);
    },
  });
  fill($('#action-form-box'), form);
  for (const b of document.querySelectorAll('.action-btn')) b.classList.toggle('active', b.dataset.action === name);
  form.querySelector('textarea, input, select')?.focus();
}

// ---- entering a case (录入) -----------------------------------------------------------------------------------
function openReport() {
  const dialog = $('#report-dialog');
  if (!$('#report-box').childElementCount) {
    const { el } = reportForm({
      reporter: true, draftKey: 'yiwang.desk.report', submitLabel: '录入并受理',
      onSubmit: async (body) => {
        const answer = await post('/api/v1/reports', body);
        dialog.close();
        toast(`已录入：${answer.case_id}`, 'ok');
        await loadQueue();
        openCase(answer.case_id);
      },
    });
    fill($('#report-box'), el);
  }
  dialog.showModal();
}

// ---- start -------------------------------------------------------------------------------------------------------
async function main() {
  state.me = await signedIn('desk', app);
  watchSession('desk', app);
  const name = centerName(state.me.center);
  $('#title').textContent = `${name} · 调度坐席`;
  document.title = `${name} · 调度坐席`;
  const notes = new Notifications();
  notes.follow(stream());
  notes.on((kind, item) => { if (kind === 'new') toast(`新通知：${item.title || item.case_id || ''}`, 'info'); });
  $('#tools').append(bell(notes, { onOpen: openCase, onError: (err) => toast(err.message, 'error') }), streamBadge(), whoAmI(state.me));
  notes.load().catch((err) => toast(err.message, 'error'));
  $('#new-report').addEventListener('click', openReport);
  $('#report-close').addEventListener('click', () => $('#report-dialog').close());
  $('#case-refresh').addEventListener('click', loadCase);
  $('#search').addEventListener('input', debounce(() => (state.all ? state.all.render() : renderQueueList()), 150));

  // listen before the first read: what changes while the queue and the warnings load is read again, never missed
  const refreshQueue = debounce(loadQueue, 400);
  const refreshCase = debounce(loadCase, 300);
  const refreshWarnings = debounce(loadWarnings, 400);
  stream().on((type, data) => {
    if (type === 'notification') return;
    if (type === 'warning' || type === 'reconnected') refreshWarnings();
    if (type === 'warning') {
      if (data?.status === 'open' && data.title) toast(`新预警：${data.title}`, 'info');
      return;
    }
    refreshQueue();
    if (data?.case_id && data.case_id === state.selected) refreshCase();
  });

  await Promise.all([loadQueue(), loadWarnings()]);
  if (!state.picked) selectTab(state.queueMissing ? 'all' : 'new');   // a tab picked while loading stays picked
  const fromHash = () => decodeURIComponent((location.hash.match(/case=([^&]+)/) || [])[1] || '');
  if (fromHash()) openCase(fromHash());
  window.addEventListener('hashchange', () => { if (fromHash() && fromHash() !== state.selected) openCase(fromHash()); });
  window.addEventListener('resize', () => mapChart?.resize());
}

main();
