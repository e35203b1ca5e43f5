// Who is signed in, the sign-in form (a token posted once: POST /api/v1/sessions) and signing out. A page for
// another role says which screen to use instead. Tokens never go into a URL.
import { get, post, del } from './api.js';
import { h, fill } from './dom.js';
import { ROLE } from './format.js';
import { loadCatalog, regionName } from './catalog.js';

const SCREENS = {
  screen: { path: '/screen/', title: '大屏（指挥大厅）', roles: ['viewer', 'dispatcher', 'admin'] },
  desk: { path: '/desk/', title: '中屏（调度坐席）', roles: ['dispatcher', 'admin'] },
  m: { path: '/m/', title: '小屏（手机）', roles: ['handler', 'gridworker'] },
};

/** The screen a role should use. */
export function screenFor(role) {
  return Object.values(SCREENS).find((s) => s.roles.includes(role)) || null;
}

function gate(app) {
  let layer = document.getElementById('gate');
  if (!layer) {
    layer = h('div', { id: 'gate', class: 'gate' });
    document.body.append(layer);
  }
  if (app) app.hidden = true;
  layer.hidden = false;
  return layer;
}

function signInForm(screen, onSignedIn, notice) {
  const input = h('input', {
    id: 'token', type: 'password', autocomplete: 'off', required: true, minlength: 16, placeholder: '请输入或粘贴令牌',
    'data-testid': 'signin-token', 'aria-label': '令牌',
  });
  const message = h('p', { class: 'gate-error', role: 'alert', 'data-testid': 'signin-error' }, notice || '');
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'signin-submit' }, '登录');
  const form = h('form', { class: 'gate-card', 'data-testid': 'signin-form' },
    h('h1', {}, '南通市一网统管'),
    h('p', { class: 'gate-sub' }, SCREENS[screen].title),
    h('label', { for: 'token' }, '令牌'),
    input, message, button,
    h('p', { class: 'gate-hint' }, '令牌由本中心管理员发放；登录后本机保持会话 12 小时。'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    message.textContent = '';
    try {
      await post('/api/v1/sessions', { token: input.value.trim() }, { retries: 2 });
      input.value = '';
      onSignedIn();
    } catch (err) {
      message.textContent = err.status === 401 ? '令牌无效或已停用' : err.message;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function wrongRole(me, screen) {
  const target = screenFor(me.role);
  return h('div', { class: 'gate-card', 'data-testid': 'wrong-role' },
    h('h1', {}, '南通市一网统管'),
    h('p', {}, `当前账号：${me.name}（${ROLE[me.role] || me.role}，${regionName(me.region)}）`),
    h('p', {}, `${SCREENS[screen].title}不面向此角色。`),
    target
      ? h('p', {}, '请使用', h('a', { href: target.path, 'data-testid': 'wrong-role-link' }, target.title), '。')
      : h('p', {}, '此角色没有可用的屏幕。'),
    h('button', { type: 'button', class: 'btn btn-block', 'data-testid': 'signout', onclick: signOut }, '退出登录'));
}

/**
 * Resolve with the signed-in person ({role, region, unit, name, center}) once they may use `screen`
 * ('screen' | 'desk' | 'm'): shows the sign-in form or the wrong-role notice until then. `app` is hidden meanwhile.
 */
export function signedIn(screen, app) {
  return new Promise((resolve) => {
    const attempt = async (notice) => {
      let me;
      try {
        me = await get('/api/v1/me', null, { retries: 6 });
      } catch (err) {
        fill(gate(app), err.status === 401 ? signInForm(screen, () => attempt(), notice)
          : h('div', { class: 'gate-card' }, h('h1', {}, '南通市一网统管'), h('p', { class: 'gate-error' }, err.message),
            h('button', { type: 'button', class: 'btn', onclick: () => attempt() }, '重试')));
        document.getElementById('token')?.focus();
        return;
      }
      await loadCatalog().catch(() => null);
      if (!SCREENS[screen].roles.includes(me.role)) {
        fill(gate(app), wrongRole(me, screen));
        return;
      }
      document.getElementById('gate')?.remove();
      if (app) app.hidden = false;
      resolve(me);
    };
    attempt();
  });
}

/** When the session ends while the page is open (revoked token, expiry): back to the sign-in form. */
export function watchSession(screen, app) {
  window.addEventListener('yiwang:unauthorized', () => {
    if (document.getElementById('gate')) return;
    const layer = gate(app);
    fill(layer, signInForm(screen, () => location.reload(), '会话已结束，请重新登录'));
  });
}

export async function signOut() {
  try { await del('/api/v1/sessions', { retries: 1 }); } catch { /* the cookie goes anyway when it expires */ }
  location.reload();
}

/** "值班长 · 调度员 · 金沙街道" with a 退出 button, for a header. */
export function whoAmI(me) {
  return h('div', { class: 'who', 'data-testid': 'who' },
    h('span', { class: 'who-name', 'data-testid': 'who-name' }, me.name),
    h('span', { class: 'who-role', 'data-testid': 'who-role' }, ROLE[me.role] || me.role),
    h('span', { class: 'who-region', 'data-testid': 'who-region' }, regionName(me.region)),
    h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'signout', onclick: signOut }, '退出'));
}
