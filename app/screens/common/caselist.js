// A paged list of cases behind a filter (GET /api/v1/cases?…): the rows, the total, the pager. Used by the big
// screen's drill-down and the desk's 全部 tab.
import { get } from './api.js';
import { h, fill } from './dom.js';
import { caseRow } from './caseview.js';

/**
 * pagedList(container, {filter, pageSize, onOpen, search, onLoaded}) → {load(filter?), reload(), page()}
 * `search` (optional): a function (case) → bool applied to the loaded page (a text search over id/description/…).
 * `selected`: the id shown as selected.
 */
export function pagedList(container, { filter = {}, pageSize = 20, onOpen, search = null, onLoaded, selected } = {}) {
  let current = { ...filter };
  let page = 1;
  let data = null;
  let seq = 0;
  const list = h('ul', { class: 'case-list', 'data-testid': 'case-list' });
  const info = h('span', { class: 'pager-info', 'data-testid': 'case-total' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'page-prev', onclick: () => go(page - 1) }, '上一页');
  const next = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'page-next', onclick: () => go(page + 1) }, '下一页');
  const pager = h('div', { class: 'pager' }, info, h('span', { class: 'pager-btns' }, prev, next));
  fill(container, list, pager);

  function render() {
    const items = (data?.items || []).filter((c) => !search || search(c));
    fill(list, items.length ? items.map((c) => caseRow(c, { onOpen, selected: c.id === selected?.() }))
      : h('li', { class: 'empty', 'data-testid': 'case-list-empty' }, data ? '没有符合条件的案件' : '加载中…'));
    const pages = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;
    info.textContent = data ? `共 ${data.total} 件 · 第 ${data.page}/${pages} 页${search && items.length !== data.items.length ? ` · 本页匹配 ${items.length} 件` : ''}` : '';
    prev.disabled = !data || page <= 1;
    next.disabled = !data || page >= pages;
  }

  async function go(p) {
    page = Math.max(1, p);
    const mine = ++seq;
    try {
      const answer = await get('/api/v1/cases', { ...current, page, page_size: pageSize });
      if (mine !== seq) return;
      data = answer;
      render();
      onLoaded?.(answer);
    } catch (err) {
      if (mine !== seq) return;
      fill(list, h('li', { class: 'empty notice-error', 'data-testid': 'case-list-error' }, err.message));
    }
  }

  render();
  return {
    load(next = current) { current = { ...next }; return go(1); },
    reload() { return go(page); },
    render,
    get data() { return data; },
  };
}
