// The report form (POST /api/v1/reports): description, optional category, position (device or typed), address,
// and — on the phone — photos. What is typed is kept as a draft in localStorage until it has been handed over.
import { h } from './dom.js';
import { catalog } from './catalog.js';
import { positionField } from './position.js';
import { photoPicker } from './photos.js';

function categorySelect() {
  const groups = new Map();
  for (const c of catalog().categories || []) {
    const key = `${c.kind} · ${c.major_name}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  return h('select', { id: 'report-category', name: 'category', 'data-testid': 'report-category' },
    h('option', { value: '' }, '不选（由中心自动分类）'),
    [...groups].map(([label, list]) => h('optgroup', { label }, list.map((c) => h('option', { value: c.code }, c.name)))));
}

/**
 * reportForm({photos, autoLocate, reporter, draftKey, submitLabel, onSubmit(body, files) → Promise}) → {el, reset()}.
 * onSubmit resolving means the report is in good hands (sent, or kept by the outbox): the form is cleared.
 */
export function reportForm({ photos = false, autoLocate = false, reporter = false, draftKey = null, submitLabel = '提交上报', onSubmit }) {
  const draft = (() => { try { return JSON.parse(localStorage.getItem(draftKey) || 'null') || {}; } catch { return {}; } })();
  const description = h('textarea', { id: 'report-description', name: 'description', rows: 4, required: true, minlength: 2, maxlength: 2000, placeholder: '问题是什么、在哪里、影响如何', 'data-testid': 'report-description' });
  const category = categorySelect();
  const address = h('input', { id: 'report-address', type: 'text', name: 'address', maxlength: 200, placeholder: '如 人民路与建设路交叉口东北角', 'data-testid': 'report-address' });
  const position = positionField({ prefix: 'report', required: true, auto: autoLocate && !draft.lon, initial: draft.lon ? draft : null });
  const picker = photos ? photoPicker({ label: '现场照片', testid: 'report-photos' }) : null;
  const name = reporter ? h('input', { type: 'text', maxlength: 40, placeholder: '姓名（选填）', 'data-testid': 'report-reporter-name', 'aria-label': '报告人姓名' }) : null;
  const phone = reporter ? h('input', { type: 'tel', maxlength: 13, placeholder: '电话（选填）', 'data-testid': 'report-reporter-phone', 'aria-label': '报告人电话' }) : null;
  description.value = draft.description || '';
  category.value = draft.category || '';
  address.value = draft.address || '';

  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'report-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'report-submit' }, submitLabel);
  const form = h('form', { class: 'report-form', 'data-testid': 'report-form', novalidate: true },
    h('label', { for: 'report-description' }, '问题描述', h('span', { class: 'req' }, ' *')), description,
    h('label', { for: 'report-category' }, '类别'), category,
    position.el,
    h('label', { for: 'report-address' }, '地址'), address,
    reporter ? [h('label', {}, '报告人'), h('div', { class: 'field-row' }, name, phone)] : null,
    picker ? picker.el : null,
    error, submit);

  const keep = () => {
    if (!draftKey) return;
    const p = position.value() || {};
    localStorage.setItem(draftKey, JSON.stringify({ description: description.value, category: category.value, address: address.value, lon: p.lon, lat: p.lat }));
  };
  form.addEventListener('input', keep);
  form.addEventListener('change', keep);

  const reset = () => {
    form.reset();
    position.set('', '');
    picker?.clear();
    if (draftKey) localStorage.removeItem(draftKey);
    if (autoLocate) position.locate();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const text = description.value.trim();
    const where = position.value();
    if (text.length < 2) { error.textContent = '请填写问题描述（至少 2 个字）'; description.focus(); return; }
    if (!where) { error.textContent = '请获取当前位置，或手动填写经纬度'; return; }
    const body = { description: text, location: { ...where } };
    if (address.value.trim()) body.location.address = address.value.trim();
    if (category.value) body.category = category.value;
    if (reporter && (name.value.trim() || phone.value.trim())) {
      body.reporter = {};
      if (name.value.trim()) body.reporter.name = name.value.trim();
      if (phone.value.trim()) body.reporter.phone = phone.value.trim();
    }
    submit.disabled = true;
    try {
      await onSubmit(body, picker ? [...picker.value()] : []);
      reset();
    } catch (err) {
      error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });
  return { el: form, reset };
}
