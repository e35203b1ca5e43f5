// Where the device is (navigator.geolocation, which needs https or localhost) with a manual fallback: longitude and
// latitude typed in.
import { h } from './dom.js';

/** Ask the device once: resolves {lon, lat, accuracy} or rejects with a Chinese reason. */
export function locate(timeout = 10000) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error('设备不支持定位，请手动填写')); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)), accuracy: p.coords.accuracy }),
      (e) => reject(new Error(e.code === 1 ? '未获得定位权限，请手动填写经纬度' : '定位失败，请手动填写经纬度')),
      { enableHighAccuracy: true, timeout, maximumAge: 60000 });
  });
}

/**
 * A position field: a 定位 button, lon/lat inputs (filled by the device or by hand), a status line.
 * {el, value() → {lon, lat} | null, set(lon, lat), locate()}. required: the value must be filled.
 */
export function positionField({ prefix = 'position', required = false, auto = true, initial = null } = {}) {
  const lon = h('input', { type: 'number', step: 'any', min: 73, max: 135.5, inputmode: 'decimal', placeholder: '经度 如 121.06', required, 'data-testid': `${prefix}-lon`, 'aria-label': '经度' });
  const lat = h('input', { type: 'number', step: 'any', min: 3.5, max: 53.6, inputmode: 'decimal', placeholder: '纬度 如 32.08', required, 'data-testid': `${prefix}-lat`, 'aria-label': '纬度' });
  const status = h('span', { class: 'position-status muted', 'data-testid': `${prefix}-status` });
  const run = async () => {
    status.textContent = '正在定位…';
    try {
      const p = await locate();
      lon.value = String(p.lon);
      lat.value = String(p.lat);
      status.textContent = `已定位（精度约 ${Math.round(p.accuracy)} 米）`;
      lon.dispatchEvent(new Event('input', { bubbles: true }));
    } catch (err) {
      status.textContent = err.message;
    }
  };
  const button = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': `${prefix}-locate`, onclick: run }, '◎ 获取当前位置');
  if (initial) { lon.value = initial.lon ?? ''; lat.value = initial.lat ?? ''; }
  if (auto && !lon.value) run();
  return {
    el: h('div', { class: 'position-field' }, h('label', {}, '位置', required ? h('span', { class: 'req' }, ' *') : null),
      h('div', { class: 'field-row' }, lon, lat), h('div', { class: 'position-line' }, button, status)),
    value() {
      const x = Number.parseFloat(lon.value), y = Number.parseFloat(lat.value);
      return Number.isFinite(x) && Number.isFinite(y) ? { lon: x, lat: y } : null;
    },
    set(x, y) { lon.value = x; lat.value = y; status.textContent = ''; },
    locate: run,
    inputs: [lon, lat],
  };
}
