// The screens' one way to the center: same-origin JSON with the session cookie, the CSRF header on changes, an
// Idempotency-Key on every POST (the same key for every retry of the same action until the center answers), and
// retries with backoff when the network drops. Errors come back as ApiError with a Chinese message.
import { ApiError, NetworkError } from './errors.js';

const CSRF_COOKIE = 'yiwang_csrf';
const CSRF_HEADER = 'X-Yiwang-CSRF';
// an action (method + path + body) sent but not yet answered → its Idempotency-Key, so that doing it again after a
// network failure replays the same request rather than a new one
const unanswered = new Map();

/** A random UUID v4; crypto.randomUUID exists only in secure contexts (a LAN center may be plain http). */
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds to wait before retry number `attempt` (0, 1, …): 0.5 s doubling to 30 s, with jitter. */
export function backoff(attempt) {
  return Math.min(30000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

export function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { error: { code: null, message: text.slice(0, 200), details: {} } }; }
}

/**
 * request('POST', '/api/v1/cases/X/accept', {body: {note}}) → the answer's JSON.
 * Options: query (object), body (JSON), form (FormData), key (an Idempotency-Key to use), retries (network
 * failures and 503s retried this many times; Infinity retries until the center answers).
 * Throws ApiError (the center answered no) or NetworkError (retries exhausted).
 */
export async function request(method, path, { query, body, form, key, retries = 4 } = {}) {
  const url = withQuery(path, query);
  const headers = { Accept: 'application/json' };
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = cookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  const signature = method === 'POST' && !key && !form ? `${path}\n${payload ?? ''}` : null;
  if (method === 'POST') {
    key = key || unanswered.get(signature) || uuid();
    if (signature) unanswered.set(signature, key);
    headers['Idempotency-Key'] = key;
  }
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    } catch (cause) {
      if (attempt >= retries) throw new NetworkError(cause);
      await sleep(backoff(attempt));
      continue;
    }
    if (res.status === 503 && attempt < retries) {
      const after = Number(res.headers.get('Retry-After'));
      await sleep(after > 0 ? Math.min(after * 1000, 30000) : backoff(attempt));
      continue;
    }
    if (signature) unanswered.delete(signature);
    const data = await readBody(res);
    if (res.ok) return data;
    const error = new ApiError(res.status, data);
    if (res.status === 401) window.dispatchEvent(new CustomEvent('yiwang:unauthorized', { detail: error }));
    throw error;
  }
}

export const get = (path, query, options) => request('GET', path, { ...options, query });
export const post = (path, body, options) => request('POST', path, { ...options, body: body ?? {} });
export const del = (path, options) => request('DELETE', path, options);

/** Upload a photo (POST /api/v1/media, multipart field `file`) → {media_id, url, …}. */
export function upload(file, { key, retries, name } = {}) {
  const form = new FormData();
  form.append('file', file, name || file.name || 'photo.jpg');
  return request('POST', '/api/v1/media', { form, key, retries });
}

/** A case action: POST /api/v1/cases/{id}/{action} → the case as it is now. */
export function act(caseId, action, body, options) {
  return post(`/api/v1/cases/${encodeURIComponent(caseId)}/${action}`, body, options);
}

/** Where a photo of a case is served: only this center's /media/ (never another host). */
export function mediaUrl(ref) {
  const s = String(ref ?? '');
  if (/^[\w.-]+$/.test(s)) return `/media/${encodeURIComponent(s)}`;
  if (s.startsWith('/media/')) return s;
  try {
    const u = new URL(s, location.origin);
    if (u.origin === location.origin && u.pathname.startsWith('/media/')) return u.pathname;
  } catch { /* not a URL */ }
  return null;
}
