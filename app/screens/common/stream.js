// The page's one live stream (GET /api/v1/stream, server-sent events with the session cookie). An EventSource
// that gets an error is closed and a new one opened after a short delay with ?last_event_id=<last id seen>, so
// nothing is missed (the center replays the last hour). Listeners get (type, data, id); after a reconnection they
// also get ('reconnected', {lastEventId}) so that a page which had seen no id yet can read its data again.
import { h } from './dom.js';
import { get } from './api.js';

// every event name the center sends (CONTRACTS.md §5 and §6); an EventSource only delivers names it listens to
export const EVENT_NAMES = [
  'received', 'rejected', 'merged', 'split', 'triaged', 'routed', 'dispatched', 'accepted', 'returned',
  'transferred', 'escalated', 'resolved', 'verified', 'reworked', 'extension_requested', 'extension_decided',
  'due_soon', 'overdue', 'supervised', 'visited', 'reopened', 'closed', 'alert_grouped', 'hotspot_detected',
  'warning', 'notification', 'message',
  // issue 11: a return's review, 挂账/缓办, 作废, 立案审核; joint handling (联合处置) and the whistle (街道吹哨)
  'return_reviewed', 'suspension_requested', 'suspension_decided', 'resumed', 'voided', 'registration_requested',
  'registered', 'joint_opened', 'task_accepted', 'task_returned', 'task_resolved', 'whistled',
];
const HEALTHY_MS = 15000;   // open this long: the next break starts the backoff again
const STATE_TEXT = { connecting: '连接中', live: '实时', reconnecting: '重连中' };

export class Stream {
  constructor(url = '/api/v1/stream') {
    this.url = url;
    this.source = null;
    this.lastId = null;
    this.state = 'connecting';
    this.failures = 0;
    this.openedAt = null;
    this.listeners = new Set();
    this.stateListeners = new Set();
    this.timer = null;
  }

  /** fn(type, data, id) for every event; returns a function that removes it. */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** fn(state) now and on every change of 'connecting' | 'live' | 'reconnecting'. */
  onState(fn) {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    for (const fn of this.stateListeners) fn(state);
  }

  open() {
    clearTimeout(this.timer);
    this.source?.close();
    const url = this.lastId != null ? `${this.url}?last_event_id=${encodeURIComponent(this.lastId)}` : this.url;
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.openedAt = Date.now();
      const again = this.state === 'reconnecting';
      this.setState('live');
      // what changed while away is replayed after the last id seen; with no id seen yet, listeners read afresh
      if (again) this.deliver('reconnected', { lastEventId: this.lastId });
    };
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();   // reopen ourselves, passing the last id (a closed-for-good EventSource never would)
      this.source = null;
      this.setState('reconnecting');
      // a stream that opened and then broke at once counts as a failure too: back off 1 s, 2 s, 4 s … 15 s
      if (this.openedAt && Date.now() - this.openedAt > HEALTHY_MS) this.failures = 0;
      this.openedAt = null;
      const delay = Math.min(15000, 1000 * 2 ** Math.min(this.failures++, 4));
      // an EventSource cannot see a 401: ask who is signed in (a 401 there shows the sign-in form)
      if (this.failures === 3) get('/api/v1/me', null, { retries: 0 }).catch(() => {});
      this.timer = setTimeout(() => this.open(), delay);
    };
    for (const name of EVENT_NAMES) source.addEventListener(name, (e) => this.deliver(name, e));
    return this;
  }

  deliver(name, e) {
    let data = e;
    if (e instanceof MessageEvent) {
      if (e.lastEventId) this.lastId = e.lastEventId;
      try { data = e.data ? JSON.parse(e.data) : null; } catch { data = { raw: e.data }; }
    }
    for (const fn of this.listeners) {
      try { fn(name, data, this.lastId); } catch (err) { console.error(err); }
    }
  }

  close() {
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }
}

let pageStream = null;
/** The page's stream (one per page: browsers allow few connections per host). */
export function stream() {
  pageStream ??= new Stream().open();
  return pageStream;
}

/** A small 「实时」/「重连中」 badge bound to the page's stream. */
export function streamBadge() {
  const badge = h('span', { class: 'live-badge', 'data-testid': 'stream-state', role: 'status' });
  stream().onState((state) => {
    badge.dataset.state = state;
    badge.textContent = STATE_TEXT[state] || state;
    badge.title = state === 'live' ? '实时数据连接正常' : '实时数据连接中断，正在重连（断开期间的变化会补发）';
  });
  return badge;
}
