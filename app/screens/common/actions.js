// The case actions (CONTRACTS.md §2) as the screens offer them: who may, in which status, with which fields; and
// the small form that collects an action's body. The center decides in the end: its refusal is shown as it says.
import { h } from './dom.js';
import { OPEN_STATUSES } from './format.js';

const reason = (label = '原因', required = true) => ({ name: 'reason', label, type: 'textarea', required });
const note = (label = '说明', required = false) => ({ name: 'note', label, type: 'textarea', required });

export const ACTIONS = {
  accept: { label: '签收', statuses: ['dispatched'], fields: [], primary: true },
  resolve: {
    label: '办结', statuses: ['accepted'], primary: true,
    fields: [note('办结说明', true), { name: 'media', type: 'photos', label: '现场照片' }, { name: 'location', type: 'position' }],
  },
  extend: {
    label: '申请延期', statuses: ['dispatched', 'accepted'], when: (c) => !c.extension_pending,
    fields: [{ name: 'extension', type: 'extension', label: '延期时长' }, reason('延期原因')],
  },
  return: { label: '退单', statuses: ['dispatched', 'accepted'], danger: true, fields: [reason('退单原因（说明依据）')] },
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
};

const WHY_NOT = { extend: '已有延期申请待审批', 'decide-extension': '没有待审批的延期申请', supervise: '已是最高督办级别' };

export const DESK_ACTIONS = ['transfer', 'escalate', 'supervise', 'merge', 'split', 'reject', 'close', 'decide-extension', 'verify', 'reopen'];
export const HANDLER_ACTIONS = ['accept', 'resolve', 'extend', 'return'];

/** Whether the action applies to the case now: {enabled, why}. `center`: the caller's center. */
export function availability(action, c, center) {
  const spec = ACTIONS[action];
  if (!spec.statuses.includes(c.status)) return { enabled: false, why: '当前状态不可用' };
  if (spec.when && !spec.when(c)) return { enabled: false, why: WHY_NOT[action] || '当前不可用' };
  if (center && c.center && c.center !== center && !spec.ancestor) return { enabled: false, why: '其他中心办理，本中心只读' };
  return { enabled: true, why: '' };
}

/**
 * The form of one action. options: units ([{code, name}] for 'unit' fields), widgets ({photos: () => widget,
 * position: () => widget} for the phone: a widget is {el, value(): any|Promise}), onSubmit(body) → Promise,
 * onCancel(). The form shows the error onSubmit throws.
 */
export function actionForm(action, c, { units = [], widgets = {}, onSubmit, onCancel } = {}) {
  const spec = ACTIONS[action];
  const getters = [];
  const rows = [];
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
