// The API's errors ({"error": {code, message, details}}, CONTRACTS.md §2) in plain Chinese.

const BY_CODE = {
  unauthorized: '请重新登录',
  forbidden: '无权进行此操作',
  not_found: '案件不存在或不在您的辖区',
  illegal_transition: '当前状态不允许此操作',
  not_owner: '该案件由其他中心办理，本中心只读',
  validation_failed: '填写内容有误',
  invalid_command: '操作内容不完整，请检查填写项',
  unknown_unit: '单位不存在',
  unknown_category: '类别不存在',
  unknown_region: '行政区划不存在',
  region_outside_center: '位置不在本中心辖区内',
  unit_outside_region: '单位不属于该辖区',
  payload_too_large: '文件过大',
  unsupported_media_type: '文件格式不支持（仅限 JPEG/PNG/WebP 照片）',
  not_ready: '系统暂不可用，请稍后重试',
  rate_limited: '操作过于频繁，请稍后再试',
  too_many_requests: '操作过于频繁，请稍后再试',
  idempotency_conflict: '重复提交的内容与首次不一致，请刷新后重试',
  malformed_request: '请求格式有误',
};

const BY_STATUS = {
  401: '请重新登录', 403: '无权进行此操作', 404: '请求的内容不存在', 413: '文件过大',
  429: '操作过于频繁，请稍后再试', 503: '系统暂不可用，请稍后重试',
};

const FIELDS = {
  description: '问题描述', category: '类别', location: '位置', lon: '经度', lat: '纬度', address: '地址',
  reason: '原因', note: '说明', unit: '单位', into: '目标案件编号', hours: '小时数', working_days: '工作日数',
  media: '照片', passed: '核查结果', approved: '审批结果', token: '令牌', reporter: '报告人', phone: '电话',
  file: '照片', region: '区划', '(body)': '内容',
};

const PROBLEMS = [
  [/^Field required/i, '必填'],
  [/at least (\d+) character/i, (m) => `至少 ${m[1]} 个字`],
  [/at most (\d+) character/i, (m) => `最多 ${m[1]} 个字`],
  [/greater than (or equal to )?(\S+)/i, (m) => `应大于${m[1] ? '等于' : ''} ${m[2]}`],
  [/less than (or equal to )?(\S+)/i, (m) => `应小于${m[1] ? '等于' : ''} ${m[2]}`],
  [/outside China/i, '位置不在中国境内'],
  [/either hours or working_days/i, '请填写小时数或工作日数（二选一）'],
  [/valid (number|integer)/i, '应为数字'],
  [/valid boolean/i, '应为是或否'],
  [/URL/i, '应为有效的照片地址'],
  [/control characters/i, '含有非法字符'],
];

const STATUS_NAMES = {
  received: '已受理', triaged: '已立案', dispatched: '已派遣', accepted: '已签收', resolved: '已办结',
  verified: '已核查', closed: '已结案', rejected: '不予受理', merged: '已并单',
};

const REASONS = [
  [/^allowed only when the case is (.+)$/, (m) => `仅在案件${m[1].split(' or ').map((s) => STATUS_NAMES[s] || s).join('或')}时可操作`],
  [/^it was merged into (.+)$/, (m) => `已并入案件 ${m[1]}`],
  [/^it is finished$/, () => '案件已终结'],
  [/no parent to escalate/, () => '本中心已是最高层级，无处上报'],
  [/already waiting for a decision/, () => '已有延期申请等待审批'],
  [/already had (\d+) extensions/, (m) => `延期次数已达上限（${m[1]} 次）`],
  [/no extension request is waiting/, () => '没有待审批的延期申请'],
  [/highest supervision level/, () => '已是最高督办级别'],
  [/already routed to a unit/, () => '已派遣到单位，请先退单'],
  [/^the target case (\S+) is (\w+)$/, (m) => `目标案件 ${m[1]} ${STATUS_NAMES[m[2]] || m[2]}，不能并入`],
];

function translate(table, text) {
  for (const [pattern, out] of table) {
    const m = String(text).match(pattern);
    if (m) return typeof out === 'function' ? out(m) : out;
  }
  return text;
}

function fieldErrors(details) {
  const list = Array.isArray(details?.errors) ? details.errors : [];
  return list.map((e) => {
    const path = String(e.field ?? '').split('.');
    const name = FIELDS[path[path.length - 1]] || FIELDS[path[0]] || e.field;
    return `${name}：${translate(PROBLEMS, e.problem ?? '')}`;
  }).join('；');
}

/** The Chinese sentence for an HTTP status and the error body the API sent (which may be missing). */
export function describe(status, body) {
  const err = body && typeof body === 'object' ? body.error : null;
  const code = err?.code;
  const details = err?.details || {};
  let text = (code && BY_CODE[code]) || BY_STATUS[status];
  if (code === 'illegal_transition' && details.reason) text += `（${translate(REASONS, details.reason)}）`;
  if (code === 'validation_failed') {
    const fields = fieldErrors(details);
    if (fields) text += `（${fields}）`;
    else if (err.message) text += `（${err.message}）`;
  }
  if (code === 'not_owner' && details.owner) text += `（承办中心 ${details.owner}）`;
  if (!text) text = err?.message ? `操作未成功：${err.message}` : `操作未成功（HTTP ${status}）`;
  return text;
}

/** An answer of the center that is not a success. */
export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error?.code ?? null;
    this.details = body?.error?.details ?? {};
    this.serverMessage = body?.error?.message ?? '';
    // a route this center does not serve (yet): the screens show the part as unavailable
    this.missingRoute = status === 404 && /^no route /.test(this.serverMessage);
  }
}

/** No answer at all: the network is down or the center is unreachable. */
export class NetworkError extends Error {
  constructor(cause) {
    super('网络连接中断，请检查网络后重试');
    this.name = 'NetworkError';
    this.network = true;
    this.cause = cause;
  }
}
