// The caller's notifications (GET /api/v1/notifications, live `notification` stream events, POST …/{id}/read) and
// a bell with the unread count that opens the list.
import { get, post } from './api.js';
import { h, fill } from './dom.js';
import { shortTime } from './format.js';

export const KIND = {
  new_task: '新任务', rework: '返工', supervise: '督办', due_soon: '即将超期', overdue: '已超期', returned: '退单',
  extension: '延期申请', handed_over: '移交', warning: '预警',
};

export class Notifications {
  constructor() {
    this.items = [];
    this.unread = 0;
    this.available = true;
    this.listeners = new Set();
  }

  /** fn(kind, item): 'change' after any change, 'new' for a live one. */
  on(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  emit(kind, item) { for (const fn of this.listeners) fn(kind, item); }

  async load() {
    try {
      const data = await get('/api/v1/notifications');
      this.items = data.items || [];
      this.unread = data.unread ?? this.items.filter((n) => !n.read).length;
      this.available = true;
    } catch (err) {
      if (!err.missingRoute) throw err;
      this.available = false;   // a center without notifications yet: only live ones are shown
    }
    this.emit('change');
  }

  /** Follow the page's stream: live notifications are added at the top. */
  follow(stream) {
    stream.on((type, data) => {
      if (type === 'reconnected') { this.load().catch(() => {}); return; }
      if (type !== 'notification' || !data) return;
      if (data.id != null && this.items.some((n) => n.id === data.id)) return;
      const item = { ...data, read: false };
      this.items.unshift(item);
      this.unread += 1;
      this.emit('new', item);
      this.emit('change');
    });
  }

  async markRead(item) {
    if (item.read) return;
    if (item.id != null && this.available) await post(`/api/v1/notifications/${encodeURIComponent(item.id)}/read`, {});
    item.read = true;
    this.unread = Math.max(0, this.unread - 1);
    this.emit('change');
  }
}

export const kindName = (kind) => KIND[kind] || '通知';

/** The bell: a button with the unread count; a click opens the list; choosing one marks it read and calls onOpen. */
export function bell(model, { onOpen, onError } = {}) {
  const count = h('span', { class: 'bell-count', 'data-testid': 'notif-count' });
  const button = h('button', { type: 'button', class: 'btn btn-ghost bell', 'data-testid': 'notif-bell', 'aria-label': '通知', 'aria-expanded': 'false' },
    h('span', { class: 'bell-icon', 'aria-hidden': 'true' }), '通知', count);
  const panel = h('div', { class: 'notif-panel', 'data-testid': 'notif-panel', hidden: true });
  const wrap = h('div', { class: 'bell-wrap', style: 'position:relative' }, button, panel);

  const render = () => {
    count.textContent = String(model.unread);
    count.hidden = !model.unread;
    fill(panel,
      h('div', { class: 'notif-head' }, `通知（未读 ${model.unread}）`,
        model.available ? null : h('span', { class: 'muted', style: 'font-weight:normal;font-size:12px' }, '仅显示实时通知')),
      model.items.length ? model.items.slice(0, 50).map((n) =>
        h('button', {
          type: 'button', class: `notif-item${n.read ? '' : ' unread'}`, 'data-testid': 'notif-item', 'data-case-id': n.case_id || '',
          onclick: async () => {
            panel.hidden = true;
            button.setAttribute('aria-expanded', 'false');
            try { await model.markRead(n); } catch (err) { onError?.(err); }
            if (n.case_id) onOpen?.(n.case_id);
          },
        },
        h('div', { class: 'notif-title' }, h('span', { class: `tag notif-kind notif-${n.kind}` }, kindName(n.kind)), ' ', n.title || ''),
        n.body ? h('div', { class: 'notif-body' }, n.body) : null,
        h('div', { class: 'notif-at' }, `${n.case_id || ''} · ${shortTime(n.at)}`)))
        : h('div', { class: 'empty' }, '暂无通知'));
  };
  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
  });
  document.addEventListener('click', (e) => { if (!wrap.contains(e.target)) panel.hidden = true; });
  model.on(render);
  render();
  return wrap;
}
