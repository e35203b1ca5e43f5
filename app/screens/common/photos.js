// Photos from the camera (or the album): previews now, files sent later by the outbox.
import { h, fill } from './dom.js';

const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** A photo picker: {el, value() → [File]}. testid names the input (e.g. 'report-photos'). */
export function photoPicker({ label = '现场照片', testid = 'photos-input', max = 6 } = {}) {
  let files = [];
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', multiple: true, class: 'photo-input', 'data-testid': testid, 'aria-label': label });
  const previews = h('div', { class: 'photos photo-previews', 'data-testid': `${testid}-previews` });
  const note = h('p', { class: 'form-error' });
  const render = () => fill(previews, files.map((f, i) => {
    const url = URL.createObjectURL(f);
    const img = h('img', { src: url, alt: `照片${i + 1}` });
    img.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
    return h('span', { class: 'photo' }, img,
      h('button', { type: 'button', class: 'photo-remove', 'aria-label': '移除照片', onclick: () => { files.splice(i, 1); render(); } }, '×'));
  }));
  input.addEventListener('change', () => {
    note.textContent = '';
    for (const f of input.files) {
      if (files.length >= max) { note.textContent = `最多 ${max} 张`; break; }
      if (f.size > MAX_BYTES) { note.textContent = '文件过大（单张不超过 10 MB）'; continue; }
      if (f.type && !TYPES.includes(f.type)) { note.textContent = '仅支持 JPEG/PNG/WebP 照片'; continue; }
      files.push(f);
    }
    input.value = '';
    render();
  });
  const button = h('label', { class: 'btn photo-add' }, input, '＋ 拍照/选图');
  return {
    el: h('div', { class: 'photo-field' }, h('label', {}, label), h('div', { class: 'photo-row' }, previews, button), note),
    value: () => files,
    clear() { files = []; render(); },
  };
}
