// memprobe view: the page. Plain DOM, no framework: every value from the heap goes in through textContent; the
// only HTML inserted is the report's charts, which the server built with the HTML report's escaping builders.
// The location hash is the state (#/object/@123, #/tree/@123, #/class/Name...): a link is shareable while the
// server runs (it carries the session token in its query).
'use strict';

const TOKEN = new URLSearchParams(location.search).get('token') || '';
const main = document.getElementById('main');
const tabsNav = document.getElementById('tabs');
const statusLine = document.getElementById('status');
let session = null;

// ---- helpers ---------------------------------------------------------------------------------------------
async function api(path, params) {
  const query = new URLSearchParams(params || {}).toString();
  const res = await fetch('/api/' + path + (query ? '?' + query : ''), { headers: { 'x-memprobe-token': TOKEN } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function bytes(value) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Math.abs(value);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  const text = (i === 0 ? String(Math.round(v)) : v.toFixed(v >= 100 ? 0 : 1)) + ' ' + units[i];
  return value < 0 ? '-' + text : text;
}
const count = (n) => Number(n).toLocaleString('en-US');
const signed = (n, f) => (n > 0 ? '+' : '') + f(n);
const objectLink = (id, text) => el('a', { href: '#/object/@' + id }, text || '@' + id);

function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? 'error' : 'muted';
}

/** Rows the keyboard moves between: any element with data-row, in document order. */
function rows() {
  return Array.from(main.querySelectorAll('[data-row]'));
}

function focusRow(index) {
  const all = rows();
  if (all.length === 0) return;
  const row = all[Math.max(0, Math.min(index, all.length - 1))];
  row.focus({ preventScroll: true });
  (row.querySelector(':scope > .line') || row).scrollIntoView({ block: 'nearest' });
}

// ---- tabs and routing ------------------------------------------------------------------------------------
function tabs() {
  const list = [];
  if (session.heap) list.push(['summary', 'Summary'], ['tree', 'Dominators'], ['object', 'Object']);
  if (session.leaks) list.push(['leaks', 'Leak clusters']);
  if (session.comparison) list.push(['diff', 'Diff']);
  if (session.report) list.push(['report', 'Report']);
  return list;
}

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [tab, ...rest] = hash.split('/');
  return { tab: tab || tabs()[0][0], arg: rest.join('/') };
}

function drawTabs(current) {
  tabsNav.replaceChildren(
    ...tabs().map(([id, label], i) =>
      el('a', { href: '#/' + id, 'aria-current': id === current ? 'page' : null, title: 'key ' + (i + 1) }, label),
    ),
  );
}

async function render() {
  const { tab, arg } = route();
  drawTabs(tab === 'class' ? 'summary' : tab);
  setStatus('');
  const started = performance.now();
  const view = { summary: summaryView, class: classView, tree: treeView, object: objectView, leaks: leaksView,
    diff: diffView, report: reportView }[tab];
  try {
    main.replaceChildren(view ? await view(arg) : el('p', { class: 'error' }, 'No such view: ' + tab));
    main.dataset.view = tab;
    setStatus('answered in ' + Math.round(performance.now() - started) + ' ms');
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error' }, String(error.message || error)));
    setStatus('error', true);
  }
}

// ---- summary (classes) -----------------------------------------------------------------------------------
const classState = { filter: '', sort: 'retainedSize', dir: 'desc' };

function sortHeader(label, key, state, redraw, numeric) {
  const mark = state.sort === key ? (state.dir === 'desc' ? ' ▼' : ' ▲') : '';
  const button = el('button', {
    type: 'button',
    onclick: () => {
      state.dir = state.sort === key && state.dir === 'desc' ? 'asc' : 'desc';
      state.sort = key;
      redraw();
    },
  }, label + mark);
  return el('th', { class: numeric ? 'num' : null, 'aria-sort': mark ? (state.dir === 'desc' ? 'descending' : 'ascending') : null }, button);
}

function filterBox(state, redraw, placeholder) {
  let timer = 0;
  return el('input', {
    class: 'filter', id: 'filter', type: 'search', placeholder, value: state.filter, 'aria-label': placeholder,
    oninput: (event) => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.filter = event.target.value; redraw(); }, 150);
    },
  });
}

async function summaryView() {
  const heap = session.heap;
  const body = el('tbody');
  const total = el('p', { class: 'muted' });
  const redraw = async () => {
    const page = await api('classes', { filter: classState.filter, sort: classState.sort, dir: classState.dir, limit: 200 });
    head.replaceChildren(el('tr', {}, sortHeader('class', 'name', classState, redraw),
      sortHeader('objects', 'count', classState, redraw, true), sortHeader('self size', 'selfSize', classState, redraw, true),
      sortHeader('retained size', 'retainedSize', classState, redraw, true)));
    total.textContent = count(page.total) + ' classes' + (page.total > page.rows.length ? ' (first ' + page.rows.length + ' shown)' : '');
    body.replaceChildren(...page.rows.map((c) => el('tr', { tabindex: -1, dataset: { row: 'class', name: c.name } },
      el('td', { class: 'cls' }, el('a', { href: '#/class/' + encodeURIComponent(c.name) }, c.name)),
      el('td', { class: 'num' }, count(c.count)), el('td', { class: 'num' }, bytes(c.selfSize)),
      el('td', { class: 'num' }, bytes(c.retainedSize)))));
  };
  const head = el('thead');
  await redraw();
  return el('section', {},
    el('h2', {}, 'Classes'),
    el('p', { class: 'muted' }, heap.file + ': ' + count(heap.nodes) + ' objects, ' + count(heap.edges) + ' edges, ' +
      bytes(heap.retainedSize) + ' retained by the root'),
    filterBox(classState, redraw, 'filter classes (/)'), total,
    el('table', { id: 'classes' }, head, body));
}

async function classView(name) {
  const page = await api('instances', { class: name, limit: 200 });
  return el('section', {},
    el('h2', {}, name),
    el('p', { class: 'muted' }, count(page.total) + ' objects; the ' + page.rows.length + ' largest by retained size. ',
      el('a', { href: '#/summary' }, 'back to classes')),
    objectTable(page.rows));
}

function objectTable(list, edgeOf) {
  return el('table', {},
    el('thead', {}, el('tr', {}, edgeOf ? el('th', {}, 'edge') : null, el('th', {}, 'object'),
      el('th', { class: 'num' }, 'self size'), el('th', { class: 'num' }, 'retained size'))),
    el('tbody', {}, list.map((item) => {
      const o = edgeOf ? item.node : item;
      return el('tr', { tabindex: -1, dataset: { row: 'object', id: o.id } },
        edgeOf ? el('td', { class: 'mono' }, item.edge + ' ', el('span', { class: 'muted' }, item.edgeType)) : null,
        el('td', {}, objectName(o)), el('td', { class: 'num' }, bytes(o.selfSize)), el('td', { class: 'num' }, bytes(o.retainedSize)));
    })));
}

function objectName(o) {
  const name = o.name && o.name !== o.className ? ' ' + o.name : '';
  return el('span', {}, el('span', { class: 'cls' }, o.className), name + ' ', objectLink(o.id));
}

// ---- dominator tree --------------------------------------------------------------------------------------
function treeItem(o) {
  const toggle = el('span', { class: 'toggle', 'aria-hidden': 'true' }, o.dominated > 0 ? '▸' : ' ');
  const item = el('li', { role: 'treeitem', tabindex: -1, 'aria-expanded': o.dominated > 0 ? 'false' : null,
    dataset: { row: 'tree', id: o.id } },
    el('div', { class: 'line' }, toggle, objectName(o), el('span', { class: 'num' }, bytes(o.selfSize)),
      el('span', { class: 'num' }, bytes(o.retainedSize))));
  item.querySelector('.line').addEventListener('click', (event) => {
    if (event.target.tagName !== 'A') toggleItem(item);
  });
  return item;
}

async function expand(item, offset) {
  if (item.getAttribute('aria-expanded') !== 'false' && !offset) return;
  const id = item.dataset.id;
  const page = await api('children', { id, offset: offset || 0, limit: 100 });
  let group = item.querySelector(':scope > ul');
  if (!group) {
    group = el('ul', { role: 'group' });
    item.append(group);
  }
  group.querySelector(':scope > .more')?.remove();
  group.append(...page.rows.map(treeItem));
  const shown = page.offset + page.rows.length;
  if (shown < page.total) {
    const more = el('li', { class: 'more', tabindex: -1, dataset: { row: 'more' } }, 'show more (' + count(page.total - shown) + ' left)');
    more.addEventListener('click', () => expand(item, shown));
    more.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.stopPropagation(); expand(item, shown); } });
    group.append(more);
  }
  item.setAttribute('aria-expanded', 'true');
  item.querySelector(':scope > .line .toggle').textContent = '▾';
  return { shown, total: page.total };
}

function collapse(item) {
  item.querySelector(':scope > ul')?.remove();
  item.setAttribute('aria-expanded', 'false');
  item.querySelector(':scope > .line .toggle').textContent = '▸';
}

function toggleItem(item) {
  if (item.getAttribute('aria-expanded') === 'true') collapse(item);
  else if (item.getAttribute('aria-expanded') === 'false') expand(item).catch((e) => setStatus(e.message, true));
}

async function treeView(arg) {
  const target = arg.replace(/^@/, '');
  const root = (await api('object', { id: target || session.heap.rootId })).chain;
  const tree = el('ul', { class: 'tree', role: 'tree', id: 'tree', 'aria-label': 'dominator tree' });
  let item = treeItem(root[0]);
  tree.append(item);
  // A shared #/tree/@id opens the tree down to that object.
  // A child past the first page is looked for in the next ones (a store's entries can tie on retained size).
  for (const step of root.slice(1)) {
    const find = (parent) => parent.querySelector(':scope > ul > li[data-id="' + step.id + '"]');
    let page = await expand(item);
    while (!find(item) && page && page.shown < Math.min(page.total, 5000)) page = await expand(item, page.shown);
    item = find(item);
    if (!item) break;
  }
  if (item && !target) await expand(item);
  setTimeout(() => {
    if (!item) return;
    item.focus({ preventScroll: true });
    item.querySelector(':scope > .line').scrollIntoView({ block: 'nearest' });
  }, 0);
  const head = el('ul', { class: 'tree', 'aria-hidden': 'true' }, el('li', {}, el('div', { class: 'line head' },
    el('span'), el('span', {}, 'object'), el('span', { class: 'num' }, 'self size'), el('span', { class: 'num' }, 'retained size'))));
  return el('section', {}, el('h2', {}, 'Dominator tree'),
    el('p', { class: 'muted' }, 'Each object retains what it dominates. Expand with Right or a click; Enter opens the object.'),
    head, tree);
}

// ---- one object: retainers, edges, dominators ------------------------------------------------------------
async function objectView(arg) {
  const id = arg.replace(/^@/, '');
  if (!id) {
    return el('section', {}, el('h2', {}, 'Object'),
      el('p', { class: 'muted' }, 'Open an object from the summary, the tree or a leak cluster (Enter, or r for its retainers).'));
  }
  const [info, retainers] = await Promise.all([api('object', { id }), api('retainers', { id })]);
  const o = info.object;
  return el('section', {},
    el('h2', {}, o.className + ' ', el('span', { class: 'id' }, '@' + o.id)),
    el('p', {}, o.type + (o.name && o.name !== o.className ? ' · ' + o.name : '') + ' · self ' + bytes(o.selfSize) +
      ' · retained ' + bytes(o.retainedSize) + ' · ', el('a', { href: '#/tree/@' + o.id }, 'show in the dominator tree')),
    el('h3', {}, 'Retainer path (shortest, from a GC root)'),
    retainers.path.length === 0 ? el('p', { class: 'muted' }, 'No path: the root, or unreachable.')
      : el('ol', { class: 'path', id: 'retainer-path' }, retainers.path.map((step) =>
        el('li', { tabindex: -1, dataset: { row: 'object', id: step.id } }, step.label + ' ', objectLink(step.id)))),
    el('h3', {}, 'Retained by (' + count(retainers.direct.total) + ' edges to it)'),
    objectTable(retainers.direct.rows, true),
    el('h3', {}, 'Dominators (root first)'),
    el('ol', { class: 'path' }, info.chain.map((d) => el('li', {}, objectName(d)))),
    el('h3', {}, 'Edges (' + count(info.edges.total) + ')'),
    objectTable(info.edges.rows, true));
}

// ---- leaks, diff, report ---------------------------------------------------------------------------------
function clusterCard(c, index) {
  return el('div', { class: 'cluster', tabindex: -1, dataset: { row: 'cluster', id: c.sampleIds[0] } },
    el('strong', {}, '#' + (index + 1) + ' ' + c.constructor), ' ×' + count(c.count) + ' · retained ' + bytes(c.retainedSize),
    el('ol', { class: 'path' }, c.path.map((step) => el('li', {}, step))),
    c.samples.length ? el('p', { class: 'mono muted' }, 'e.g. ' + c.samples.join(', ')) : null,
    c.sampleIds.length ? el('p', {}, 'largest members: ', c.sampleIds.map((id) => [objectLink(id), ' '])) : null);
}

async function leaksView() {
  const leaks = await api('leaks');
  const s = leaks.summary;
  return el('section', { id: 'leaks' }, el('h2', {}, 'Leak clusters ', el('span', { class: 'badge ' + (leaks.status === 'leaks' ? 'fail' : 'pass') }, leaks.status)),
    el('p', { class: 'muted' }, count(s.newAndAlive) + ' objects new in TARGET and alive in FINAL (' + bytes(s.newAndAliveSize) + '); ' +
      count(s.leakRoots) + ' leak roots in ' + leaks.clusters.length + ' clusters.'),
    leaks.clusters.length ? leaks.clusters.map(clusterCard) : el('p', {}, 'No leak found.'));
}

const diffState = { filter: '', sort: 'sizeDelta', dir: 'desc' };

async function diffView() {
  const body = el('tbody');
  const head = el('thead');
  const redraw = async () => {
    const page = await api('diff', { filter: diffState.filter, sort: diffState.sort, dir: diffState.dir, limit: 200 });
    head.replaceChildren(el('tr', {}, sortHeader('class', 'name', diffState, redraw),
      sortHeader('new', 'newCount', diffState, redraw, true), sortHeader('deleted', 'deletedCount', diffState, redraw, true),
      sortHeader('Δ count', 'countDelta', diffState, redraw, true), sortHeader('added', 'addedSize', diffState, redraw, true),
      sortHeader('freed', 'removedSize', diffState, redraw, true), sortHeader('Δ size', 'sizeDelta', diffState, redraw, true)));
    body.replaceChildren(...page.rows.map((c) => el('tr', { tabindex: -1, dataset: { row: 'class', name: c.name } },
      el('td', { class: 'cls' }, c.name), el('td', { class: 'num' }, count(c.newCount)), el('td', { class: 'num' }, count(c.deletedCount)),
      el('td', { class: 'num' }, signed(c.countDelta, count)), el('td', { class: 'num' }, bytes(c.addedSize)),
      el('td', { class: 'num' }, bytes(c.removedSize)), el('td', { class: 'num' }, signed(c.sizeDelta, bytes)))));
  };
  await redraw();
  const t = session.comparison.totals;
  return el('section', {}, el('h2', {}, 'Per-class diff'),
    el('p', { class: 'muted' }, session.comparison.files.base + ' → ' + session.comparison.files.target + ': ' +
      count(t.newCount) + ' new, ' + count(t.deletedCount) + ' deleted, ' + signed(t.addedSize - t.removedSize, bytes)),
    filterBox(diffState, redraw, 'filter classes (/)'), el('table', { id: 'diff' }, head, body));
}

function trustedHtml(markup) {
  // The server built this with the HTML report's escaping template (src/report): charts and tables only.
  const box = el('div', { class: 'charts' });
  box.innerHTML = markup;
  return box;
}

async function reportView() {
  const report = await api('report');
  return el('section', { id: 'report' }, el('h2', {}, report.kind + ' report ', el('span', { class: 'badge ' + report.verdict }, report.verdict)),
    el('p', { class: 'muted' }, report.file + (report.startedAt ? ' · ' + report.startedAt : '') +
      (report.explored ? ' · snapshots of ' + report.explored + ' explored in the other tabs' : '')),
    report.probes.map((p) => el('div', { class: 'card' },
      el('h3', {}, p.name + ' ', el('span', { class: 'badge ' + p.verdict }, p.verdict)),
      p.chartHtml ? trustedHtml(p.chartHtml) : el('p', { class: 'muted' }, 'no samples'),
      p.historyHtml ? trustedHtml(p.historyHtml) : null,
      p.clusters.length ? [el('h3', {}, 'Leak clusters'), p.clusters.map(clusterCard)] : null)));
}

// ---- keyboard --------------------------------------------------------------------------------------------
function openRow(row) {
  const kind = row.dataset.row;
  if (kind === 'class' && main.dataset.view === 'summary') location.hash = '#/class/' + encodeURIComponent(row.dataset.name);
  else if (kind === 'more') row.click();
  else if (row.dataset.id) location.hash = '#/object/@' + row.dataset.id;
}

document.addEventListener('keydown', (event) => {
  const typing = event.target instanceof HTMLInputElement;
  if (typing) {
    if (event.key === 'Escape' || event.key === 'Enter') { event.preventDefault(); focusRow(0); }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const all = rows();
  const row = event.target.closest ? event.target.closest('[data-row]') : null;
  const at = row ? all.indexOf(row) : -1;
  const key = event.key;
  if (/^[1-9]$/.test(key)) {
    const tab = tabs()[Number(key) - 1];
    if (tab) location.hash = '#/' + tab[0];
  } else if (key === '/') {
    const filter = document.getElementById('filter');
    if (filter) { event.preventDefault(); filter.focus(); }
  } else if (key === 'j' || key === 'ArrowDown') {
    event.preventDefault();
    focusRow(at + 1);
  } else if (key === 'k' || key === 'ArrowUp') {
    event.preventDefault();
    focusRow(at < 0 ? 0 : at - 1);
  } else if (key === 'Enter' && row) {
    event.preventDefault();
    openRow(row);
  } else if (key === 'r' && row && row.dataset.id) {
    location.hash = '#/object/@' + row.dataset.id;
  } else if (key === 'ArrowRight' && row && row.dataset.row === 'tree') {
    event.preventDefault();
    expand(row).catch((e) => setStatus(e.message, true));
  } else if (key === 'ArrowLeft' && row && row.dataset.row === 'tree') {
    event.preventDefault();
    if (row.getAttribute('aria-expanded') === 'true') collapse(row);
    else row.parentElement.closest('[data-row="tree"]')?.focus();
  }
});

window.addEventListener('hashchange', render);

(async () => {
  try {
    session = await api('session');
    document.title = 'memprobe view · ' + session.mode;
    await render();
    if (!/^#\/(tree)/.test(location.hash)) focusRow(0);
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error' }, 'memprobe view: ' + (error.message || error)));
  }
})();
