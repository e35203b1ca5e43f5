// The case actions (CONTRACTS.md §2) as the screens offer them: who may, in which status, with which fields; and
// the small form that collects an action's body. The center decides in the end: its refusal is shown as it says.
import { h } from './dom.js';
import { OPEN_STATUSES } from './format.js';
import { catalog, unitName } from './catalog.js';

const reason = (label = '原因', required = true) => ({ name: 'reason', label, type: 'textarea', required });
const note = (label = '说明', required = false) => ({ name: 'note', label, type: 'textarea', required });
const yesno = (label, yes, no) => ({ name: 'approved', type: 'yesno', label, yes, no });
// While a return (退单) waits for review, or the case is suspended (挂账), the unit's work waits (the center says why).
const held = (c) => !c.return_pending;
const working = (c) => !c.return_pending && c.suspension !== 'suspended';

export const ACTIONS = {
  accept: { label: '签收', statuses: ['dispatched'], fields: [], primary: true, when: held },
  resolve: {
    label: '办结', statuses: ['accepted'], primary: true, when: held,
    fields: [note('办结说明', true), { name: 'media', type: 'photos', label: '现场照片' }, { name: 'location', type: 'position' }],
  },
  extend: {
    label: '申请延期', statuses: ['dispatched', 'accepted'], when: (c) => working(c) && !c.extension_pending,
    fields: [{ name: 'extension', type: 'extension', label: '延期时长' }, reason('延期原因')],
  },
  // 退单: within the sign-for window, with a reason code (workflow.toml, served by GET /api/v1/catalog) and the basis
  return: {
    label: '退单', statuses: ['dispatched', 'accepted'], danger: true, when: working,
    fields: [{ name: 'reason_code', type: 'reason_code', label: '退单原因类别', required: true },
      { name: 'basis', label: '退单依据（权责清单条款）', type: 'textarea', required: true }, reason('退单说明')],
  },
  suspend: {
    label: '申请挂账', statuses: ['dispatched', 'accepted'], when: (c) => working(c) && !c.suspension,
    fields: [reason('挂账/缓办原因'), { name: 'until', type: 'datetime', label: '挂账至（选填，到期自动恢复）' }],
  },
  resume: { label: '恢复办理', statuses: ['dispatched', 'accepted'], when: (c) => c.suspension === 'suspended', fields: [note('恢复说明')] },
  transfer: { label: '转派', statuses: ['dispatched', 'accepted'], fields: [{ name: 'unit', type: 'unit', label: '转派至单位', required: true }, reason('转派说明', false)] },
  escalate: { label: '上报/提级', statuses: ['triaged', 'dispatched', 'accepted'], fields: [reason('上报原因')] },
  supervise: { label: '督办', statuses: OPEN_STATUSES, ancestor: true, when: (c) => (c.supervision_level ?? 0) < 3, fields: [note('督办意见')] },
  merge: { label: '并单', statuses: ['received', 'triaged'], fields: [{ name: 'into', type: 'text', label: '并入案件编号', required: true, placeholder: '如 320612001-20261124-000001' }, reason('并单说明', false)] },
  split: { label: '拆单', statuses: ['merged'], fields: [reason('拆单原因')] },
  reject: { label: '不予受理', statuses: ['received', 'triaged'], danger: true, fields: [reason('不予受理原因')] },
  close: { label: '结案', statuses: ['verified'], primary: true, fields: [note('结案说明')] },
  'decide-extension': {
    label: '审批延期', statuses: ['dispatched', 'accepted'], when: (c) => c.extension_pending,
    fields: [{ name: 'approved', type: 'yesno', label: '审批意见', yes: '批准延期', no: '不予批准' }, note('审批说明')],
  },
  verify: {
    label: '核查', statuses: ['resolved'], primary: true,
    fields: [{ name: 'passed', type: 'yesno', label: '核查结果', yes: '核查通过', no: '核查不通过' }, note('核查说明'), { name: 'media', type: 'photos', label: '核查照片' }],
  },
  reopen: { label: '重办', statuses: ['verified', 'closed'], fields: [reason('重办原因')] },
  'review-return': {
    label: '退单审核', statuses: ['dispatched', 'accepted'], when: (c) => !!c.return_pending,
    fields: [yesno('审核意见', '同意退单（重新派遣）', '不同意（原单位继续办理）'), note('审核说明')],
  },
  'decide-suspension': {
    label: '审批挂账', statuses: ['dispatched', 'accepted'], when: (c) => c.suspension === 'requested',
    fields: [yesno('审批意见', '同意挂账', '不予批准'), note('审批说明')],
  },
  register: {
    label: '立案审核', statuses: ['triaged'], primary: true, when: (c) => !!c.registration_pending,
    fields: [yesno('审核意见', '予以立案（派遣）', '不予立案'), reason('不予立案原因（不予立案时必填）', false), note('审核说明')],
  },
  void: { label: '作废', statuses: ['received', 'triaged', 'dispatched'], danger: true, fields: [reason('作废原因（如测试工单、无效工单）')] },
  // 联合处置 (dispatcher): the lead (主办, default the unit holding the case) and the assisting units (协办)
  joint: {
    label: '联合处置', statuses: ['dispatched', 'accepted'],
    fields: [{ name: 'lead', type: 'lead', label: '主办单位', required: true },
      { name: 'assisting', type: 'units', label: '协办单位（可多选）', required: true }, reason('联合处置说明', false)],
  },
  // 街道吹哨, 部门报到 (a township center's dispatcher): summon the county's departments; the unit holding the case leads
  whistle: {
    label: '街道吹哨', statuses: ['dispatched', 'accepted'], when: (c) => !!c.unit,
    fields: [{ name: 'units', type: 'units', label: '报到部门（区县职能部门，可多选）', required: true }, reason('吹哨事由')],
  },
  // An assisting unit's acts on its own sub-task (POST /api/v1/cases/{id}/tasks/{unit}/{verb}); `task`: the sub-task
  // statuses in which each applies
  'task-accept': { label: '签收协办', verb: 'accept', statuses: ['dispatched', 'accepted'], task: ['dispatched'], primary: true, fields: [] },
  'task-resolve': {
    label: '办结协办', verb: 'resolve', statuses: ['dispatched', 'accepted'], task: ['accepted'], primary: true,
    fields: [note('协办办结说明', true), { name: 'media', type: 'photos', label: '现场照片' }],
  },
  'task-return': {
    label: '退回协办', verb: 'return', statuses: ['dispatched', 'accepted'], task: ['dispatched', 'accepted'], danger: true,
    fields: [{ name: 'reason_code', type: 'reason_code', label: '退回原因类别', required: true },
      { name: 'basis', label: '退回依据（权责清单条款）', type: 'textarea', required: true }, reason('退回说明')],
  },
};

const WHY_NOT = {
  extend: '已有延期申请待审批，或退单待审核/已挂账', 'decide-extension': '没有待审批的延期申请', supervise: '已是最高督办级别',
  accept: '退单待审核', resolve: '退单待审核', return: '退单待审核或已挂账', suspend: '已有挂账申请、已挂账或退单待审核',
  resume: '案件未挂账', 'review-return': '没有待审核的退单', 'decide-suspension': '没有待审批的挂账申请', register: '没有待立案审核的案件',
  whistle: '案件尚无承办单位', 'task-accept': '本单位协办任务不是待签收', 'task-resolve': '本单位协办任务未签收或已结束',
  'task-return': '本单位协办任务已结束',
};

export const DESK_ACTIONS = ['register', 'review-return', 'transfer', 'joint', 'whistle', 'escalate', 'supervise', 'decide-extension', 'decide-suspension', 'resume', 'merge', 'split', 'reject', 'void', 'close', 'verify', 'reopen'];
export const HANDLER_ACTIONS = ['accept', 'resolve', 'extend', 'suspend', 'resume', 'return'];
/** What an assisting unit's handler may do: its own sub-task's acts, never the lead's case actions. */
export const TASK_ACTIONS = ['task-accept', 'task-resolve', 'task-return'];

/** The sub-task of `unit` on the case, if it assists (协办) there. */
export const assistingTask = (c, unit) => (c.tasks || []).find((t) => t.unit === unit && t.role === 'assisting') || null;

/** Where an action is posted: the case's own route, or an assisting unit's sub-task route. */
export function actionPath(action, caseId, unit) {
  const id = encodeURIComponent(caseId);
  const spec = ACTIONS[action];
  return spec.verb ? `/api/v1/cases/${id}/tasks/${encodeURIComponent(unit)}/${spec.verb}` : `/api/v1/cases/${id}/${action}`;
}

/** The return reason codes (退单原因) the center accepts, from its catalog: [{code, name}]. */
export const returnReasons = () => catalog().return_reasons || [];

/** A datetime-local value ("2026-11-30T18:00") as ISO 8601 in China time. */
const chinaTime = (v) => `${v.length === 16 ? `${v}:00` : v}+08:00`;

/** Whether the action applies to the case now: {enabled, why}. `center`: the caller's center; `task`: the caller's
 * unit's sub-task (for the sub-task actions). */
export function availability(action, c, center, task = null) {
  const spec = ACTIONS[action];
  if (!spec.statuses.includes(c.status)) return { enabled: false, why: '当前状态不可用' };
  if (spec.task && !(task && spec.task.includes(task.status))) return { enabled: false, why: WHY_NOT[action] || '当前不可用' };
  if (spec.when && !spec.when(c)) return { enabled: false, why: WHY_NOT[action] || '当前不可用' };
  if (center && c.center && c.center !== center && !spec.ancestor) return { enabled: false, why: '其他中心办理，本中心只读' };
  return { enabled: true, why: '' };
}

/**
 * The form of one action. options: units ([{code, name}] for 'unit' fields), widgets ({photos: () => widget,
 * position: () => widget} for the phone: a widget is {el, value(): any|Promise}), onSubmit(body) → Promise,
 * (units are also the choices of 'lead' and 'units' fields: 联合处置's 主办/协办, 街道吹哨's 报到部门)
 * onCancel(). The form shows the error onSubmit throws.
 */
export function actionForm(action, c, { units = [], widgets = {}, onSubmit, onCancel } = {}) {
  const spec = ACTIONS[action];
  const getters = [];
  const rows = [];
  let leadSelect = null;
  for (const f of spec.fields) {
    const id = `f-${action}-${f.name}`;
    const test = `action-field-${f.name}`;
    if (f.type === 'textarea' || f.type === 'text') {
      const input = f.type === 'textarea'
        ? h('textarea', { id, name: f.name, required: f.required, rows: 3, maxlength: 1000, 'data-testid': test, placeholder: f.required ? '必填' : '选填' })
        : h('input', { id, name: f.name, type: 'text', required: f.required, 'data-testid': test, placeholder: f.placeholder || '' });
      rows.push(h('label', { for: id }, f.label, f.required ? h('span', { class: 'req' }, ' *') : null), input);
      getters.push((body) => { const v = input.value.trim(); if (v) body[f.name] = v; });
    } else if (f.type === 'unit') {
      const select = h('select', { id, name: f.name, required: true, 'data-testid': test },
        h('option', { value: '' }, '请选择单位'),
        units.filter((u) => u.code !== c.unit).map((u) => h('option', { value: u.code }, u.name)));
      rows.push(h('label', { for: id }, f.label, h('span', { class: 'req' }, ' *')), select);
      getters.push((body) => { if (select.value) body.unit = select.value; });
    } else if (f.type === 'lead') {
      // 主办: the unit holding the case by default (another lead is a transfer first)
      const choices = units.some((u) => u.code === c.unit) || !c.unit ? units : [{ code: c.unit, name: unitName(c.unit) }, ...units];
      const select = h('select', { id, name: f.name, required: true, 'data-testid': test },
        h('option', { value: '' }, '请选择主办单位'),
        choices.map((u) => h('option', { value: u.code, selected: u.code === c.unit }, u.code === c.unit ? `${u.name}（当前承办）` : u.name)));
      if (c.unit) select.value = c.unit;
      rows.push(h('label', { for: id }, f.label, h('span', { class: 'req' }, ' *')), select);
      getters.push((body) => { if (select.value) body[f.name] = select.value; });
      leadSelect = select;
    } else if (f.type === 'units') {
      // several units: a checkbox each (the unit holding the case and the chosen lead are not offered / left out)
      const open = new Set((c.tasks || []).filter((t) => t.role === 'assisting' && ['dispatched', 'accepted'].includes(t.status)).map((t) => t.unit));
      const choices = units.filter((u) => u.code !== c.unit);
      const boxes = choices.map((u) => h('input', { type: 'checkbox', name: f.name, value: u.code, 'data-unit': u.code, disabled: open.has(u.code) }));
      rows.push(h('label', {}, f.label, f.required ? h('span', { class: 'req' }, ' *') : null),
        choices.length
          ? h('div', { class: 'choice choice-units', 'data-testid': test, role: 'group', 'aria-label': f.label },
            choices.map((u, i) => h('label', { class: 'check' }, boxes[i], u.name, open.has(u.code) ? h('span', { class: 'muted' }, '（协办中）') : null)))
          : h('p', { class: 'muted', 'data-testid': test }, '没有可选的单位'));
      getters.push((body) => {
        const lead = leadSelect?.value;
        const picked = boxes.filter((b) => b.checked && b.value !== lead).map((b) => b.value);
        if (f.required && !picked.length) throw new Error(`请选择${f.label.replace(/（.*）/, '')}`);
        body[f.name] = picked;
      });
    } else if (f.type === 'reason_code') {
      const reasons = returnReasons();
      const input = reasons.length
        ? h('select', { id, name: f.name, required: true, 'data-testid': test },
          h('option', { value: '' }, '请选择退单原因'), reasons.map((r) => h('option', { value: r.code }, r.name)))
        : h('input', { id, name: f.name, type: 'text', required: true, 'data-testid': test, placeholder: '退单原因代码，如 not_ours' });
      rows.push(h('label', { for: id }, f.label, h('span', { class: 'req' }, ' *')), input);
      getters.push((body) => { if (input.value.trim()) body.reason_code = input.value.trim(); });
    } else if (f.type === 'datetime') {
      const input = h('input', { id, name: f.name, type: 'datetime-local', 'data-testid': test });
      rows.push(h('label', { for: id }, f.label), input);
      getters.push((body) => { if (input.value) body[f.name] = chinaTime(input.value); });
    } else if (f.type === 'yesno') {
      const yes = h('input', { type: 'radio', name: `${action}-${f.name}`, value: 'yes', checked: true, 'data-testid': `${test}-yes` });
      const no = h('input', { type: 'radio', name: `${action}-${f.name}`, value: 'no', 'data-testid': `${test}-no` });
      rows.push(h('label', {}, f.label), h('div', { class: 'choice' }, h('label', {}, yes, f.yes), h('label', {}, no, f.no)));
      getters.push((body) => { body[f.name] = yes.checked; });
    } else if (f.type === 'extension') {
      const amount = h('input', { id, type: 'number', min: 1, max: 30, step: 1, value: 1, required: true, 'data-testid': 'action-field-amount' });
      const unit = h('select', { 'data-testid': 'action-field-amount-unit', 'aria-label': '单位' },
        h('option', { value: 'working_days' }, '个工作日'), h('option', { value: 'hours' }, '小时'));
      rows.push(h('label', { for: id }, f.label, h('span', { class: 'req' }, ' *')), h('div', { class: 'field-row' }, amount, unit));
      getters.push((body) => {
        const n = Number(amount.value);
        body[unit.value] = unit.value === 'hours' ? n : Math.round(n);
      });
    } else if (widgets[f.type]) {
      const widget = widgets[f.type](f);
      rows.push(widget.el);
      getters.push(async (body) => { const v = await widget.value(); if (v != null && !(Array.isArray(v) && !v.length)) body[f.name] = v; });
    }
  }
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'action-error' });
  const submit = h('button', { type: 'submit', class: `btn ${spec.danger ? 'btn-danger' : 'btn-primary'}`, 'data-testid': 'action-submit' }, `确认${spec.label}`);
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'action-cancel', onclick: () => onCancel?.() }, '取消');
  const form = h('form', { class: 'action-form', 'data-testid': 'action-form', 'data-form-action': action },
    h('h3', { class: 'action-form-title' }, spec.label), rows, error, h('div', { class: 'action-form-btns' }, cancel, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const body = {};
      for (const get of getters) await get(body);
      await onSubmit(body);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
