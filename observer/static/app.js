// lunatic observer: the live page. Plain JavaScript, no dependencies. Every value that
// comes from the program (entry names, registered names, paths) is inserted as text,
// never as markup.
'use strict';

const $ = (sel) => document.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';

// el builds an element: el('td', {class: 'num'}, 'text', child, …).
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids) {
    if (k === undefined || k === null || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

// ---- formatting ----------------------------------------------------------------------

const intFmt = new Intl.NumberFormat('en-US');
const fmtInt = (n) => intFmt.format(Math.round(n || 0));

function fmtScaled(n, units) {
  n = n || 0;
  let i = 0;
  while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  const digits = i === 0 ? (Math.abs(n) < 10 && n % 1 ? 1 : 0) : (Math.abs(n) < 10 ? 2 : Math.abs(n) < 100 ? 1 : 0);
  return n.toFixed(digits) + units[i];
}
const fmtRate = (n) => fmtScaled(n, ['', 'k', 'M', 'G', 'T']);
const fmtFuel = (n) => fmtScaled(n, ['', 'k', 'M', 'G', 'T', 'P']);

function fmtBytes(n) {
  n = n || 0;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(n < 10 ? 2 : 1)) + ' ' + units[i];
}

function fmtAge(s) {
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + String(Math.floor(s % 60)).padStart(2, '0') + 's';
  if (s < 86400) return Math.floor(s / 3600) + 'h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm';
  return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
}

function fmtIDs(ids) {
  if (!ids || ids.length === 0) return '–';
  const shown = ids.slice(0, 4).join(', ');
  return ids.length > 4 ? `${ids.length}: ${shown}, …` : shown;
}

async function getJSON(url) {
  const r = await fetch(url, { cache: 'no-store' });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = new Error(body.error || `${r.status} ${r.statusText}`);
    err.status = r.status;
    throw err;
  }
  return body;
}

// ---- state ---------------------------------------------------------------------------

const state = {
  info: { actions: false, interval_ms: 1000, history: 300 },
  points: [],
  updates: 0,
  tab: 'table',
  table: { sort: 'id', order: 'asc', filter: '', offset: 0, limit: 50, matched: 0, total: 0 },
  selected: null, // {env, id}
  expanded: new Map(), // "env:id" → number of children to show
  levels: new Map(), // "env:id" → last TreeLevel
  busy: { table: false, tree: false, detail: false },
  pending: { table: false, tree: false },
};

const OUTCOMES = ['normal', 'trap', 'killed', 'out_of_fuel'];
const OUTCOME_LABEL = { normal: 'ok', trap: 'trap', killed: 'killed', out_of_fuel: 'fuel' };
const sumFinished = (p) => OUTCOMES.reduce((s, o) => s + ((p.finished_per_s || {})[o] || 0), 0);

// ---- summary cards -------------------------------------------------------------------

const CARDS = [
  { key: 'alive', label: 'Processes alive', get: (p) => p.alive, fmt: fmtInt },
  { key: 'spawned', label: 'Spawned / s', get: (p) => p.spawned_per_s, fmt: fmtRate, sub: (p) => fmtInt(p.spawned_total) + ' total' },
  { key: 'finished', label: 'Finished / s', get: sumFinished, fmt: fmtRate, outcomes: true },
  { key: 'messages', label: 'Messages / s', get: (p) => p.messages_per_s, fmt: fmtRate, sub: (p) => fmtInt(p.messages_total) + ' total', title: 'data messages delivered to mailboxes', total: (p) => p.messages_total },
  { key: 'memory', label: 'Memory', get: (p) => p.memory_bytes, fmt: fmtBytes, sub: (p) => fmtInt(p.mailbox_messages) + ' queued', title: 'linear memory of live processes; messages waiting in mailboxes' },
  { key: 'fuel', label: 'Fuel / s', get: (p) => p.fuel_per_s, fmt: fmtFuel, sub: (p) => fmtFuel(p.fuel_total) + ' total', title: 'wasm instructions charged to processes', total: (p) => p.fuel_total },
  { key: 'sockets', label: 'Open sockets', get: (p) => p.sockets, fmt: fmtInt },
  { key: 'sqlite', label: 'SQLite connections', get: (p) => p.sqlite, fmt: fmtInt },
  { key: 'timers', label: 'Pending timers', get: (p) => p.timers, fmt: fmtInt },
];

function buildCards() {
  const box = $('#summary');
  for (const c of CARDS) {
    const svg = svgEl('svg', { viewBox: '0 0 200 34', preserveAspectRatio: 'none', role: 'img' });
    c.node = el('div', { class: 'card', id: 'card-' + c.key, title: c.title },
      el('div', { class: 'label' }, c.label),
      el('div', { class: 'value', id: 'v-' + c.key }, '–'),
      el('div', { class: 'sub' + (c.outcomes ? ' legend' : '') }),
      svg);
    c.svg = svg;
    box.append(c.node);
  }
}

// spark draws series (arrays of [t, v]) over the time window into svg.
function spark(svg, series, classes, window, area) {
  svg.replaceChildren();
  let now = 0;
  for (const s of series) if (s.length) now = Math.max(now, s[s.length - 1][0]);
  const t0 = now - window;
  let max = 0;
  for (const s of series) for (const [, v] of s) max = Math.max(max, v);
  if (max <= 0) max = 1;
  const W = 200, H = 34;
  const x = (t) => Math.max(0, ((t - t0) / window) * W);
  const y = (v) => H - 1 - (v / max) * (H - 3);
  svg.append(svgEl('line', { class: 'spark-base', x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5 }));
  series.forEach((s, i) => {
    const pts = s.filter(([t]) => t >= t0 - 2000);
    if (pts.length === 0) return;
    const line = pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    if (area && i === 0) {
      svg.append(svgEl('polygon', { class: 'spark-area', points: `${x(pts[0][0]).toFixed(1)},${H} ${line} ${x(pts[pts.length - 1][0]).toFixed(1)},${H}` }));
    }
    svg.append(svgEl('polyline', { class: 'spark-line ' + (classes[i] || ''), points: line }));
  });
  const title = svgEl('title', {});
  title.textContent = 'last ' + Math.round(window / 60000) + ' min; peak ' + max.toLocaleString('en-US');
  svg.append(title);
}

function renderSummary() {
  const pts = state.points;
  if (pts.length === 0) return;
  const p = pts[pts.length - 1];
  // The charts span the history kept (five minutes by default), or at least a minute while
  // less has been seen.
  const full = state.info.interval_ms * state.info.history;
  const window = Math.min(full, Math.max(60000, p.t - pts[0].t));
  for (const c of CARDS) {
    const v = c.get(p);
    const value = c.node.querySelector('.value');
    value.textContent = c.fmt(v);
    c.node.dataset.value = String(v);
    if (c.total) c.node.dataset.total = String(c.total(p));
    const sub = c.node.querySelector('.sub');
    if (c.outcomes) {
      sub.replaceChildren(...OUTCOMES.flatMap((o, i) => [
        i ? ' · ' : '',
        el('i', { class: 'o-' + o, title: o.replace(/_/g, ' ') + ': ' + fmtInt((p.finished_total || {})[o]) + ' in total' },
          OUTCOME_LABEL[o] + ' ' + fmtRate((p.finished_per_s || {})[o] || 0)),
      ]));
      spark(c.svg, OUTCOMES.map((o) => pts.map((q) => [q.t, (q.finished_per_s || {})[o] || 0])), OUTCOMES.map((o) => 'o-' + o), window, false);
    } else {
      sub.textContent = c.sub ? c.sub(p) : '';
      spark(c.svg, [pts.map((q) => [q.t, c.get(q)])], [], window, true);
    }
  }
}

// ---- process table -------------------------------------------------------------------

function tableURL() {
  const t = state.table;
  const q = new URLSearchParams({ sort: t.sort, order: t.order, offset: t.offset, limit: t.limit });
  if (t.filter) q.set('filter', t.filter);
  return 'api/processes?' + q;
}

async function refreshTable() {
  if (state.busy.table) { state.pending.table = true; return; }
  state.busy.table = true;
  let again = false;
  try {
    const page = await getJSON(tableURL());
    $('#filter-error').textContent = '';
    const t = state.table;
    t.matched = page.matched;
    t.total = page.total;
    if (page.rows.length === 0 && t.offset > 0 && page.matched > 0) {
      // The page ran past the end (processes ended): show the last page instead.
      t.offset = Math.max(0, Math.floor((page.matched - 1) / t.limit) * t.limit);
      again = true;
    } else {
      renderTable(page);
    }
  } catch (e) {
    $('#filter-error').textContent = e.message;
  } finally {
    state.busy.table = false;
  }
  if (again || state.pending.table) { state.pending.table = false; refreshTable(); }
}

function pidLink(env, id) {
  return el('a', { class: 'pid', href: '#', onclick: (ev) => { ev.preventDefault(); ev.stopPropagation(); select(env, id); } }, '#' + id);
}

function nameTags(names) {
  return (names || []).map((n) => el('span', { class: 'name', title: 'registered name' }, n));
}

function renderTable(page) {
  const body = $('#procs tbody');
  const rows = page.rows.map((r) => {
    const sel = state.selected && state.selected.env === r.env && state.selected.id === r.id;
    return el('tr', { class: sel ? 'selected' : '', 'data-id': r.id, 'data-env': r.env, onclick: () => select(r.env, r.id) },
      el('td', { class: 'num mono' }, r.id),
      el('td', { class: 'num mono' }, r.parent ? pidLink(r.env, r.parent) : '–'),
      el('td', { class: 'mono entry', title: r.entry }, ...nameTags(r.names), r.entry),
      el('td', {}, el('span', { class: 'badge ' + r.state }, r.state)),
      el('td', { class: 'num' }, fmtInt(r.mailbox)),
      el('td', { class: 'num' }, fmtBytes(r.memory)),
      el('td', { class: 'num' }, fmtFuel(r.fuel)),
      el('td', { class: 'num' }, fmtAge(r.age_s)),
      el('td', { class: 'ids', title: r.links.join(', ') }, fmtIDs(r.links)),
      el('td', { class: 'ids', title: r.monitors.join(', ') }, fmtIDs(r.monitors)));
  });
  if (rows.length === 0) {
    rows.push(el('tr', {}, el('td', { class: 'empty', colspan: 10 }, page.total ? 'No process matches the filter.' : 'No live processes.')));
  }
  body.replaceChildren(...rows);
  const t = state.table;
  const from = page.matched ? t.offset + 1 : 0;
  const to = t.offset + page.rows.length;
  $('#pager-text').textContent = `${fmtInt(from)}–${fmtInt(to)} of ${fmtInt(page.matched)}` +
    (page.matched !== page.total ? ` (${fmtInt(page.total)} live)` : '');
  $('#first').disabled = $('#prev').disabled = t.offset === 0;
  $('#next').disabled = $('#last').disabled = to >= page.matched;
  for (const th of document.querySelectorAll('#procs th')) {
    const on = th.dataset.sort === t.sort;
    th.classList.toggle('sorted', on);
    th.classList.toggle('asc', on && t.order === 'asc');
    th.classList.toggle('desc', on && t.order === 'desc');
  }
}

function setupTable() {
  const t = state.table;
  for (const th of document.querySelectorAll('#procs th')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort;
      if (t.sort === key) t.order = t.order === 'asc' ? 'desc' : 'asc';
      else { t.sort = key; t.order = ['id', 'parent', 'entry', 'state'].includes(key) ? 'asc' : 'desc'; }
      t.offset = 0;
      refreshTable();
    });
  }
  let timer = null;
  $('#filter').addEventListener('input', (ev) => {
    clearTimeout(timer);
    timer = setTimeout(() => { t.filter = ev.target.value.trim(); t.offset = 0; refreshTable(); }, 200);
  });
  $('#limit').addEventListener('change', (ev) => { t.limit = Number(ev.target.value); t.offset = 0; refreshTable(); });
  $('#first').addEventListener('click', () => { t.offset = 0; refreshTable(); });
  $('#prev').addEventListener('click', () => { t.offset = Math.max(0, t.offset - t.limit); refreshTable(); });
  $('#next').addEventListener('click', () => { t.offset += t.limit; refreshTable(); });
  $('#last').addEventListener('click', () => { t.offset = Math.max(0, Math.floor((t.matched - 1) / t.limit) * t.limit); refreshTable(); });
}

// ---- supervision tree ----------------------------------------------------------------

const TREE_PAGE = 200;
const keyOf = (env, id) => env + ':' + id;

async function refreshTree() {
  if (state.busy.tree) { state.pending.tree = true; return; }
  state.busy.tree = true;
  try {
    // One request per page size: the roots and every expanded node.
    const groups = new Map([[TREE_PAGE, ['0:0']]]);
    for (const [k, limit] of state.expanded) {
      if (!groups.has(limit)) groups.set(limit, []);
      groups.get(limit).push(k);
    }
    const answers = await Promise.all([...groups].map(([limit, parents]) => {
      const q = new URLSearchParams({ limit });
      for (const p of parents) q.append('parent', p);
      return getJSON('api/tree?' + q);
    }));
    state.levels.clear();
    for (const a of answers) for (const lv of a.levels) state.levels.set(keyOf(lv.env, lv.parent), lv);
    renderTree();
  } catch (e) {
    $('#tree').replaceChildren(el('li', { class: 'error' }, e.message));
  } finally {
    state.busy.tree = false;
  }
  if (state.pending.tree) { state.pending.tree = false; refreshTree(); }
}

function renderLevel(key) {
  const lv = state.levels.get(key);
  const ul = el('ul', {});
  if (!lv) return ul;
  for (const n of lv.children) {
    const k = keyOf(n.env, n.id);
    const open = state.expanded.has(k) && n.children > 0;
    const sel = state.selected && state.selected.env === n.env && state.selected.id === n.id;
    const toggle = el('button', {
      class: 'toggle', title: n.children ? (open ? 'collapse' : 'expand') : 'no children', 'aria-expanded': n.children ? String(open) : null,
      onclick: (ev) => {
        ev.stopPropagation();
        if (!n.children) return;
        if (state.expanded.has(k)) state.expanded.delete(k); else state.expanded.set(k, TREE_PAGE);
        refreshTree();
      },
    }, n.children ? (open ? '▾' : '▸') : '•');
    const li = el('li', { 'data-id': n.id },
      el('span', { class: 'node' + (sel ? ' selected' : ''), onclick: () => select(n.env, n.id) },
        toggle,
        el('span', { class: 'pid' }, '#' + n.id),
        ...nameTags(n.names),
        el('span', { class: 'mono' }, n.entry),
        el('span', { class: 'badge ' + n.state }, n.state),
        n.children ? el('span', { class: 'meta' }, fmtInt(n.children) + (n.children === 1 ? ' child' : ' children')) : null,
        n.links.length ? el('span', { class: 'meta', title: 'linked with ' + n.links.join(', ') }, '↔ ' + fmtIDs(n.links)) : null,
        n.mailbox ? el('span', { class: 'meta' }, '✉ ' + fmtInt(n.mailbox)) : null,
        n.orphan ? el('span', { class: 'orphan' }, 'parent #' + n.parent + ' ended') : null));
    if (open) li.append(renderLevel(k));
    ul.append(li);
  }
  if (lv.children.length < lv.total) {
    ul.append(el('li', {}, el('button', {
      class: 'more',
      onclick: () => {
        const k = keyOf(lv.env, lv.parent);
        state.expanded.set(k, Math.min(1000, (state.expanded.get(k) || TREE_PAGE) + TREE_PAGE));
        refreshTree();
      },
    }, `${fmtInt(lv.total - lv.children.length)} more…`)));
  }
  return ul;
}

function renderTree() {
  const roots = renderLevel('0:0');
  const tree = $('#tree');
  if (roots.children.length === 0) tree.replaceChildren(el('li', { class: 'empty' }, 'No live processes.'));
  else tree.replaceChildren(...roots.children);
}

// ---- process detail ------------------------------------------------------------------

function select(env, id) {
  state.selected = { env, id };
  for (const tr of document.querySelectorAll('#procs tbody tr')) {
    tr.classList.toggle('selected', tr.dataset.id === String(id) && tr.dataset.env === String(env));
  }
  refreshDetail(true);
  if (state.tab === 'tree') refreshTree();
}

async function refreshDetail(force) {
  const s = state.selected;
  if (!s || s.ended || (state.busy.detail && !force)) return;
  state.busy.detail = true;
  try {
    const d = await getJSON(`api/processes/${s.id}?env=${s.env}&missing=ok`);
    if (state.selected !== s) return;
    if (d.alive) renderDetail(d);
    else {
      s.ended = true; // ids are never reused: nothing more to fetch
      detailNote(`Process #${s.id} has ended.`);
    }
  } catch (e) {
    if (state.selected === s) detailNote(e.message);
  } finally {
    state.busy.detail = false;
  }
}

function detailNote(text) {
  const aside = $('#detail');
  let note = aside.querySelector('.ended');
  if (!note) {
    note = el('p', { class: 'ended' });
    aside.prepend(note);
  }
  note.textContent = text;
  for (const b of aside.querySelectorAll('button.kill')) b.disabled = true;
}

function chips(pairs) {
  return el('div', { class: 'chips' }, ...pairs.map(([name, on]) => el('span', { class: on ? 'on' : 'off' }, name)));
}

function ids(env, list, none) {
  if (!list || list.length === 0) return el('dd', {}, none);
  return el('dd', {}, ...list.slice(0, 50).map((id) => pidLink(env, id)), list.length > 50 ? `… ${list.length - 50} more` : null);
}

function renderDetail(d) {
  const c = d.config || {};
  const mem = svgEl('svg', { viewBox: '0 0 200 34', preserveAspectRatio: 'none', role: 'img', id: 'mailbox-chart' });
  const hist = (d.mailbox_history || []).map((p) => [p.t, p.len]);
  const span = hist.length > 1 ? Math.max(10000, hist[hist.length - 1][0] - hist[0][0]) : 10000;
  spark(mem, [hist], [], span, true);
  const kids = [
    el('h2', {}, 'Process #' + d.id, el('span', { class: 'badge ' + d.state }, d.state)),
    el('dl', {},
      el('dt', {}, 'entry'), el('dd', { class: 'mono' }, d.entry),
      el('dt', {}, 'module'), el('dd', { class: 'mono' }, d.module || '–'),
      el('dt', {}, 'parent'), d.parent ? el('dd', {}, pidLink(d.env, d.parent)) : el('dd', {}, 'none (root)'),
      el('dt', {}, 'children'), el('dd', {}, fmtInt(d.children)),
      el('dt', {}, 'environment'), el('dd', {}, d.env),
      el('dt', {}, 'age'), el('dd', { title: d.started }, fmtAge(d.age_s)),
      el('dt', {}, 'memory'), el('dd', {}, fmtBytes(d.memory)),
      el('dt', {}, 'fuel used'), el('dd', {}, fmtFuel(d.fuel) + ' instructions'),
      el('dt', {}, 'mailbox'), el('dd', { id: 'detail-mailbox' }, fmtInt(d.mailbox) + ' messages'),
      el('dt', {}, 'link failures'), el('dd', {}, d.die_when_link_dies ? 'kill this process' : 'arrive as messages (supervisor)')),
    el('h3', {}, 'Mailbox over time'),
    mem,
    el('div', { class: 'caption' }, `now ${fmtInt(d.mailbox)} · peak ${fmtInt(Math.max(0, ...hist.map((h) => h[1])))} · sampled while this view is open`),
    el('h3', {}, 'Links, monitors, names'),
    el('dl', {},
      el('dt', {}, 'linked with'), ids(d.env, d.links, 'none'),
      el('dt', {}, 'monitored by'), ids(d.env, d.monitors, 'nobody'),
      el('dt', {}, 'registered as'), el('dd', { class: 'mono', id: 'detail-names' }, d.names_known ? (d.names.length ? d.names.join(', ') : 'no name') : 'in the cluster registry (not shown)')),
    el('h3', {}, 'Config'),
    el('dl', {},
      el('dt', {}, 'max memory'), el('dd', {}, fmtBytes(c.max_memory)),
      el('dt', {}, 'max fuel'), el('dd', {}, c.max_fuel ? fmtInt(c.max_fuel) + ' × 100k instructions' : 'unlimited'),
      el('dt', {}, 'may'), el('dd', {}, chips([['spawn', c.can_spawn_processes], ['compile modules', c.can_compile_modules], ['create configs', c.can_create_configs]])),
      el('dt', {}, 'arguments'), el('dd', { class: 'mono' }, (c.args || []).length ? c.args.join(' ') : 'none'),
      el('dt', {}, 'environment'), el('dd', { class: 'mono', title: 'values are not shown' }, (c.env_names || []).length ? c.env_names.join(', ') : 'none'),
      el('dt', {}, 'preopens'), el('dd', { class: 'mono' }, (c.preopens || []).length ? c.preopens.map((p) => p.guest === p.host ? p.guest : `${p.host} → ${p.guest}`).join(', ') : 'none')),
  ];
  if (state.info.actions) {
    kids.push(el('button', {
      class: 'kill', onclick: async () => {
        if (!confirm(`Kill process #${d.id}? Linked processes see it fail.`)) return;
        const r = await fetch(`api/processes/${d.id}/kill?env=${d.env}`, { method: 'POST', headers: { 'X-Lunatic-Observer': 'kill' } });
        if (!r.ok) alert((await r.json().catch(() => ({}))).error || r.statusText);
        refreshAll();
      },
    }, 'Kill process'));
  }
  $('#detail').replaceChildren(...kids);
}

// ---- wiring --------------------------------------------------------------------------

function refreshAll() {
  if (state.tab === 'table') refreshTable(); else refreshTree();
  refreshDetail(false);
}

function setupTabs() {
  for (const b of document.querySelectorAll('.tabs button')) {
    b.addEventListener('click', () => {
      state.tab = b.dataset.tab;
      for (const o of document.querySelectorAll('.tabs button')) o.classList.toggle('active', o === b);
      $('#tab-table').hidden = state.tab !== 'table';
      $('#tab-tree').hidden = state.tab !== 'tree';
      refreshAll();
    });
  }
}

function setStatus(live, text) {
  const s = $('#status');
  s.className = 'status ' + (live ? 'live' : 'down');
  s.textContent = text;
}

function connect() {
  const es = new EventSource('api/events');
  let last = 0;
  es.addEventListener('history', (ev) => {
    state.points = JSON.parse(ev.data);
    renderSummary();
  });
  es.addEventListener('point', (ev) => {
    const p = JSON.parse(ev.data);
    state.points.push(p);
    if (state.points.length > state.info.history) state.points.shift();
    last = Date.now();
    renderSummary();
    refreshAll();
    state.updates++;
    document.body.dataset.updates = String(state.updates);
    setStatus(true, 'live');
  });
  es.addEventListener('open', () => setStatus(true, 'live'));
  es.addEventListener('error', () => setStatus(false, 'disconnected, retrying…'));
  // If the stream stalls (a proxy buffering it), fall back to polling.
  setInterval(() => {
    if (Date.now() - last > 3 * state.info.interval_ms) {
      getJSON('api/summary').then((pts) => { state.points = pts; renderSummary(); }).catch(() => {});
      refreshAll();
    }
  }, state.info.interval_ms);
}

async function main() {
  buildCards();
  setupTable();
  setupTabs();
  try {
    state.info = await getJSON('api/info');
  } catch (e) {
    setStatus(false, 'cannot reach the runtime');
  }
  refreshTable();
  connect();
}

main();
