// What the phone sends (reports, case actions) survives a dropped connection: each write is kept in localStorage
// (its photos in IndexedDB) with its Idempotency-Key until the center answers, and sent again — with the same key —
// on load, when the browser comes back online, and with backoff meanwhile. A refusal (4xx) is kept, with the
// center's reason, until the person discards or resends it.
import { request, upload, uuid, backoff } from './api.js';
import { putBlob, getBlob, deleteBlob } from './blobstore.js';

const KEY = 'yiwang.outbox.v1';
const listeners = new Set();
const waiting = new Map();   // item id → resolve(answer) of this page's submit()
let flushing = false;
let retryTimer = null;
let attempt = 0;

export function items() {
  try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch { return []; }
}
function save(list) {
  localStorage.setItem(KEY, JSON.stringify(list));
  for (const fn of listeners) fn(list);
}
function update(id, change) {
  save(items().map((it) => (it.id === id ? { ...it, ...change } : it)));
}

/** fn(items) on every change. */
export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/**
 * Keep a write and send it: {method: 'POST', path, body, files: [File], label, caseId}. The files are uploaded
 * first (POST /api/v1/media) and their ids put in body.media. Returns {item, answer}: `answer` resolves when the
 * center answers ({ok: true, data} or {ok: false, error}); it stays pending while the network is down.
 */
export async function submit({ path, body, files = [], label, caseId = null }) {
  const id = uuid();
  const photos = [];
  for (const [i, file] of files.entries()) {
    const blobKey = `${id}:${i}`;
    await putBlob(blobKey, file);
    photos.push({ blob: blobKey, name: file.name || `photo-${i}.jpg`, media: null });
  }
  const item = { id, key: uuid(), path, body, photos, label, caseId, created: new Date().toISOString(), state: 'pending', error: null };
  save([...items(), item]);
  const answer = new Promise((resolve) => waiting.set(id, resolve));
  flush();
  return { item, answer };
}

/** Send again a write the center refused (same key, same content). */
export function resend(id) {
  update(id, { state: 'pending', error: null });
  attempt = 0;
  flush();
}

/** Give up a write (and its photos). */
export async function discard(id) {
  const it = items().find((x) => x.id === id);
  save(items().filter((x) => x.id !== id));
  for (const p of it?.photos || []) await deleteBlob(p.blob).catch(() => {});
  waiting.get(id)?.({ ok: false, error: new Error('已删除') });
  waiting.delete(id);
}

function schedule() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, backoff(Math.min(attempt++, 6)));
}

async function sendOne(it) {
  const photos = [...it.photos];
  for (const [i, p] of photos.entries()) {
    if (p.media) continue;
    const blob = await getBlob(p.blob);
    if (!blob) throw Object.assign(new Error('照片已丢失，请删除后重新拍摄'), { lost: true });
    const answer = await upload(blob, { key: `${it.key}:${i}`, retries: 1, name: p.name });
    photos[i] = { ...p, media: answer.media_id };
    update(it.id, { photos });
  }
  const body = { ...it.body };
  if (photos.length) body.media = photos.map((p) => p.media);
  return request('POST', it.path, { body, key: it.key, retries: 1 });
}

/** Send every pending write, oldest first; stops at the first network failure and tries again later. */
export async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (const it of items().filter((x) => x.state === 'pending' || x.state === 'sending')) {
      update(it.id, { state: 'sending' });
      try {
        const data = await sendOne(it);
        save(items().filter((x) => x.id !== it.id));
        for (const p of it.photos) await deleteBlob(p.blob).catch(() => {});
        waiting.get(it.id)?.({ ok: true, data });
        waiting.delete(it.id);
        attempt = 0;
      } catch (error) {
        if (error.network || error.status === 503 || error.status === 429 || error.status === 401) {
          update(it.id, { state: 'pending', error: error.status === 401 ? '请重新登录后发送' : null });
          schedule();
          return;
        }
        update(it.id, { state: 'failed', error: error.message });
        waiting.get(it.id)?.({ ok: false, error });
        waiting.delete(it.id);
      }
    }
  } finally {
    flushing = false;
  }
}

/** Start sending what an earlier visit left, and again whenever the browser is back online. */
export function startOutbox() {
  window.addEventListener('online', () => { attempt = 0; flush(); });
  // writes left 'sending' by a closed page are pending again
  save(items().map((it) => (it.state === 'sending' ? { ...it, state: 'pending' } : it)));
  flush();
}
