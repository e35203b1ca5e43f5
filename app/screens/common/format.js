// Names and times as the screens show them (Chinese; times in China time, whatever the device's zone).

export const STATUS = {
  received: '已受理', triaged: '已立案', dispatched: '已派遣', accepted: '已签收', resolved: '已办结',
  verified: '已核查', closed: '已结案', rejected: '不予受理', merged: '已并单', voided: '已作废',
};
export const STATUSES = Object.keys(STATUS);
export const OPEN_STATUSES = ['received', 'triaged', 'dispatched', 'accepted', 'resolved', 'verified'];
export const LIGHT = { green: '绿灯', yellow: '黄灯', red: '红灯' };
export const LIGHTS = ['red', 'yellow', 'green'];
export const SOURCE = {
  hotline: '12345热线', grid: '网格上报', sensor: '物联感知', open311: '市民APP', desk: '坐席录入', proactive: '主动发现',
};
export const SOURCES = ['hotline', 'grid', 'sensor', 'open311', 'desk'];
export const PRIORITY = { urgent: '紧急', high: '较急', normal: '一般' };
export const STAGE = { sign: '签收', resolve: '处置', verify: '核查', feedback: '反馈' };
export const ROLE = {
  admin: '管理员', dispatcher: '调度员', handler: '处置人员', gridworker: '网格员', viewer: '只读',
  hotline: '12345平台', sensor: '感知设备', citizen: '市民',
};
export const SATISFACTION = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
export const EVENT = {
  received: '受理', triaged: '立案', routed: '移交下级中心', dispatched: '派遣', accepted: '签收', returned: '退单',
  transferred: '转派', escalated: '上报', resolved: '办结', verified: '核查', reworked: '返工',
  extension_requested: '申请延期', extension_decided: '延期审批', due_soon: '即将到期', overdue: '超期',
  supervised: '督办', visited: '回访', reopened: '重办', closed: '结案', rejected: '不予受理', merged: '并单',
  split: '拆单', alert_grouped: '告警归并', hotspot_detected: '类案高发', warning: '预警', notification: '通知',
  urged: '催办', joint: '联合处置', suspended: '挂起', voided: '作废',
  return_reviewed: '退单审核', suspension_requested: '申请挂账', suspension_decided: '挂账审批', resumed: '恢复办理',
  registration_requested: '待立案审核', registered: '立案审核通过', joint_opened: '联合处置', task_accepted: '协办签收',
  task_returned: '协办退回', task_resolved: '协办办结', whistled: '街道吹哨',
};
export const WARNING_LEVEL = { info: '提示', yellow: '黄色预警', red: '红色预警' };

export const name = (table, code) => (code == null ? '—' : table[code] || String(code));
export const statusName = (s) => name(STATUS, s);
export const lightName = (l) => name(LIGHT, l);
export const sourceName = (s) => name(SOURCE, s);
export const eventName = (t) => name(EVENT, t);

const ZONE = 'Asia/Shanghai';
const parts = (fmt, d) => Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
const FULL = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', hourCycle: 'h23',
});

function toDate(value) {
  if (value == null || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2026-11-24 17:33" (seconds: true → "…:05"); "—" for no time. */
export function time(value, { seconds = false } = {}) {
  const d = toDate(value);
  if (!d) return '—';
  const p = parts(FULL, d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** "11-24 17:33": short, for dense lists. */
export function shortTime(value) {
  const d = toDate(value);
  if (!d) return '—';
  const p = parts(FULL, d);
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "2026-11-24" in China time. */
export function day(value) {
  const d = toDate(value);
  if (!d) return '—';
  const p = parts(FULL, d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026年11月24日 星期二" for a header. */
export function longDay(value = new Date()) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, dateStyle: 'full' }).format(toDate(value));
}

/** "还剩 3小时20分" / "超期 1天2小时" from now to a deadline. */
export function until(deadline, now = Date.now()) {
  const d = toDate(deadline);
  if (!d) return '';
  const ms = d.getTime() - now;
  const m = Math.round(Math.abs(ms) / 60000);
  const days = Math.floor(m / 1440), hours = Math.floor((m % 1440) / 60), mins = m % 60;
  const span = days ? `${days}天${hours}小时` : hours ? `${hours}小时${mins}分` : `${mins}分钟`;
  return ms >= 0 ? `还剩 ${span}` : `超期 ${span}`;
}

/** 123456 → "123,456". */
export const count = (n) => (typeof n === 'number' ? n.toLocaleString('zh-CN') : '—');
