/**
 * The head explorer's single page. Its style and script are inline and it fetches only its own
 * server's /api/ (the server's Content-Security-Policy forbids anything else), so it works with
 * no network. Everything shown comes from the API; text from files is set as text, and the
 * SVG maps are drawn by the report's escaping renderer on the server.
 */
const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { padding: 10px 18px; background: #24313f; color: #fff; }
header h1 { font-size: 18px; margin: 0; display: inline; }
header .note { color: #cfd8e3; margin-left: 10px; }
main { display: flex; flex-wrap: wrap; gap: 18px; padding: 14px 18px; align-items: flex-start; }
section.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; }
#picker { flex: 0 1 360px; }
#detail { flex: 1 1 560px; min-width: 320px; }
h2 { font-size: 15px; margin: 4px 0 8px; }
h3 { font-size: 13px; margin: 12px 0 4px; color: #444; }
label { font-weight: 600; margin-right: 6px; }
select, input[type=text] { font: inherit; padding: 3px 6px; }
#sentence { width: min(100%, 420px); }
#head-grid svg.grid rect { cursor: pointer; }
#head-grid svg.grid rect.selected { stroke: #e8590c; stroke-width: 3; }
#head-grid svg.grid { max-width: 100%; height: auto; }
#attention svg.grid { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 2px 0 6px; }
th, td { border: 1px solid #e2e2e2; padding: 2px 8px; text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
.note { color: #666; font-size: 12px; }
.badge { display: inline-block; border-radius: 8px; padding: 0 7px; font-size: 12px; margin-left: 4px; }
.badge.undecided { background: #fff3bf; color: #7a5b00; }
.badge.kept { background: #d3f9d8; color: #1b5e20; }
.badge.pruned { background: #eee; color: #555; }
.badge.stem-cell { background: #e7f5ff; color: #0b4f8a; }
.error { color: #a61e1e; }
button { font: inherit; padding: 3px 12px; }
`;

const SCRIPT = `
'use strict';
const $ = (id) => document.getElementById(id);
const state = { study: null, settings: new Map(), setting: null, layer: null, head: null };
const fixed = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : 'n/a');

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error ? body.error.message : response.statusText);
    error.hint = body.error ? body.error.hint : '';
    error.code = body.error ? body.error.code : '';
    throw error;
  }
  return body;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function table(head, rows) {
  const t = element('table');
  const tr = element('tr');
  for (const h of head) tr.append(element('th', h));
  t.append(tr);
  for (const row of rows) {
    const r = element('tr');
    for (const c of row) r.append(c instanceof Node ? wrapCell(c) : element('td', c));
    t.append(r);
  }
  return t;
}
function wrapCell(node) { const td = element('td'); td.append(node); return td; }

function showError(target, error) {
  target.replaceChildren(element('p', error.message + (error.hint ? ' (' + error.hint + ')' : ''), 'error'));
  target.dataset.error = error.code || 'error';
}

/** The column a probe result goes in: static, STL, or the multi-task setting without its seed. */
function probeColumn(setting) {
  if (!setting || setting.kind === 'static') return 'static';
  const base = setting.tasks.length === 1 ? 'STL' : setting.name.replace(/-s\\d+$/, '');
  return setting.kind === 'prune' ? base + ' (pruned)' : base;
}

async function loadSetting() {
  state.setting = $('setting').value;
  const setting = state.settings.get(state.setting);
  const target = $('head-grid');
  try {
    const grid = await api('/api/grid?setting=' + encodeURIComponent(state.setting));
    target.innerHTML = grid.svg;
    $('grid-legend').innerHTML = grid.legend;
    $('grid-what').textContent = 'Colour: ' + grid.what + '. Click a head.';
  } catch (error) {
    showError(target, error);
    return;
  }
  const heads = state.study.heads;
  target.querySelectorAll('svg.grid rect').forEach((rect, k) => {
    const layer = Math.floor(k / heads);
    const head = k % heads;
    rect.dataset.layer = String(layer);
    rect.dataset.head = String(head);
    rect.setAttribute('tabindex', '0');
    rect.setAttribute('role', 'button');
    rect.addEventListener('click', () => selectHead(layer, head));
    rect.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') selectHead(layer, head);
    });
  });
  $('attend').disabled = !setting.checkpoint;
  $('attend-note').textContent = setting.checkpoint
    ? 'Computed by this stem process from the best checkpoint of ' + setting.name + ', as stem model attend computes it.'
    : 'No checkpoint in ' + setting.name + ': attention needs a run that still has checkpoints/best.';
  markSelected();
}

function markSelected() {
  for (const rect of document.querySelectorAll('#head-grid rect')) {
    const on = Number(rect.dataset.layer) === state.layer && Number(rect.dataset.head) === state.head;
    rect.classList.toggle('selected', on);
  }
}

async function selectHead(layer, head) {
  state.layer = layer;
  state.head = head;
  markSelected();
  $('detail').hidden = false;
  $('head-title').textContent = 'Layer ' + (layer + 1) + ', head ' + (head + 1);
  $('detail').dataset.layer = String(layer);
  $('detail').dataset.head = String(head);
  let record;
  try {
    record = await api('/api/head?layer=' + layer + '&head=' + head);
  } catch (error) {
    showError($('probes'), error);
    return;
  }
  $('stem-cell').replaceChildren(
    record.stemCell === undefined ? '' : element('span', record.stemCell ? 'stem cell' : 'not a stem cell', 'badge stem-cell'),
  );
  renderProbes(record);
  renderGates(record);
  renderConflicts(record);
  $('attention').replaceChildren();
  if ($('sentence').value.trim() !== '' && !$('attend').disabled) await attend();
}

function renderProbes(record) {
  const columns = [];
  const cells = new Map();
  for (const p of record.probes) {
    const column = probeColumn(state.settings.get(p.setting));
    if (!columns.includes(column)) columns.push(column);
    const key = p.task + ' ' + p.probe + '|' + column;
    cells.set(key, [...(cells.get(key) || []), p]);
  }
  const order = (c) => (c === 'static' ? 0 : c === 'STL' ? 1 : c.endsWith('(pruned)') ? 3 : 2);
  columns.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const rows = [...new Set(record.probes.map((p) => p.task + ' ' + p.probe))].map((row) => [
    row,
    ...columns.map((column) => {
      const found = cells.get(row + '|' + column) || [];
      const values = found.map((p) => p.accuracy).filter((v) => typeof v === 'number');
      if (values.length === 0) return '';
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const cell = element('span', fixed(mean) + (found.some((p) => p.best) ? ' ★' : ''));
      cell.dataset.task = row.split(' ')[0];
      cell.dataset.column = column;
      cell.title = found.map((p) => p.setting + ': ' + fixed(p.accuracy)).join('\\n');
      return cell;
    }),
  ]);
  $('probes').replaceChildren(
    rows.length === 0
      ? element('p', 'No probe results in this directory.', 'note')
      : table(['task, probe', ...columns], rows),
  );
}

function renderGates(record) {
  const rows = record.gates.map((g) => {
    const setting = state.settings.get(g.setting);
    const mark = g.undecided ? 'undecided' : g.gate === 0 ? 'pruned' : g.gate === 1 ? 'kept' : '';
    const badge = element('span', mark, 'badge ' + mark);
    const value = element('span', fixed(g.gate));
    value.dataset.setting = g.setting;
    const both = element('span');
    both.append(value, badge);
    return [setting ? setting.name : g.setting, g.tasks.join(', '), both];
  });
  $('gates').replaceChildren(
    rows.length === 0
      ? element('p', 'No pruning runs in this directory.', 'note')
      : table(['pruning run', 'tasks', 'gate'], rows),
  );
}

function renderConflicts(record) {
  const rows = record.conflicts.map((c) => [
    (state.settings.get(c.setting) || { name: c.setting }).name,
    String(c.updates),
    fixed(c.conflict),
    Object.entries(c.cosine).map(([pair, v]) => pair.replace('|', '–') + ' ' + fixed(v)).join(', '),
  ]);
  $('conflicts').replaceChildren(
    rows.length === 0
      ? element('p', 'Not measured (no analyses/conflict in this directory).', 'note')
      : table(['run', 'measurements', 'conflict (mean)', 'cosine per task pair (mean)'], rows),
  );
}

async function attend() {
  if (state.layer === null) return;
  const target = $('attention');
  const text = $('sentence').value;
  target.replaceChildren(element('p', 'computing…', 'note'));
  delete target.dataset.error;
  try {
    const result = await api(
      '/api/attention?setting=' + encodeURIComponent(state.setting) + '&layer=' + state.layer +
        '&head=' + state.head + '&text=' + encodeURIComponent(text),
    );
    target.innerHTML = result.svg + result.legend;
    target.dataset.layer = String(result.layer);
    target.dataset.head = String(result.head);
    target.dataset.words = String(result.units.length - 1);
    $('subwords').textContent = 'Sub-words: ' + result.subwords.join(' ') + '. Rows and columns are numbered units: 0 is <root> ([CLS]).';
  } catch (error) {
    showError(target, error);
  }
}

async function start() {
  try {
    const study = await api('/api/study');
    state.study = study;
    $('name').textContent = study.name;
    $('shape').textContent = study.kind + ' · ' + study.layers + ' layers × ' + study.heads + ' heads · tasks: ' + study.tasks.join(', ');
    for (const s of study.settings) {
      state.settings.set(s.id, s);
      const option = element('option', s.name + ' (' + s.kind + (s.checkpoint ? ', checkpoint' : '') + ')');
      option.value = s.id;
      $('setting').append(option);
    }
    const first = study.settings.find((s) => s.checkpoint) || study.settings[0];
    if (!first) throw new Error('no runs or probe results in this directory');
    $('setting').value = first.id;
    $('setting').addEventListener('change', loadSetting);
    $('sentence-form').addEventListener('submit', (event) => {
      event.preventDefault();
      attend();
    });
    await loadSetting();
    document.body.dataset.ready = 'true';
  } catch (error) {
    showError($('head-grid'), error);
  }
}
start();
`;

export const VIEW_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>stem view</title><style>${STYLE}</style></head><body>
<header><h1>stem view: <span id="name"></span></h1><span class="note" id="shape"></span></header>
<main>
<section class="card" id="picker" aria-label="pick a setting and a head">
<h2>Setting and head</h2>
<p><label for="setting">Setting</label><select id="setting"></select></p>
<div id="head-grid"></div><div id="grid-legend"></div><p class="note" id="grid-what"></p>
<p class="note">Rows are layers, columns heads, both counted from 1 as in the report (the API counts from 0).</p>
</section>
<section class="card" id="detail" hidden aria-live="polite">
<h2><span id="head-title"></span> <span id="stem-cell"></span></h2>
<h3>Probe accuracy of this head (weighted; ★ the best head of that result)</h3><div id="probes"></div>
<h3>Its gate in each pruning run</h3><div id="gates"></div>
<h3>Gradient conflict</h3><div id="conflicts"></div>
<h3>Attention on a sentence</h3>
<form id="sentence-form"><input type="text" id="sentence" placeholder="Type a sentence, words separated by spaces" aria-label="sentence"> <button id="attend" type="submit">Show attention</button></form>
<p class="note" id="attend-note"></p>
<div id="attention"></div><p class="note" id="subwords"></p>
</section>
</main>
<script>${SCRIPT}</script>
</body></html>
`;
