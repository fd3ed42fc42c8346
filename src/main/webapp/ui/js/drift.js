// Drift per model version: each monitored input's reference profile against its live window, bucket
// by bucket, with the PSI and KS of the last assessment and the alarm; and the profile awaiting
// approval, which only another policy approver than its author is offered to approve (the server
// refuses anyone else whatever the page shows). Without a model version: every monitored one.
import { get, post, Problem } from './api.js';
import { barChart, percent } from './chart.js';
import { POLICIES, el, facts, showProblem, signedIn, when } from './ui.js';

const params = new URLSearchParams(location.search);
const model = params.get('model') || '';
const version = params.get('version') || '';
const base = `/api/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}`;
const problem = document.getElementById('problem');
const status = document.getElementById('status');

/** The score's name among the inputs, as the API and policies call it. */
const SCORE = 'output.score';

/**
 * A distribution's buckets in the API's order ([{label, reference}], reference a share): a
 * histogram's bins, or a categorical's categories sorted (as the server sorts them) and then one
 * for categories the reference never saw.
 */
export function buckets(distribution) {
  if (distribution.type === 'histogram') {
    const shares = normalise(distribution.counts);
    const e = distribution.edges;
    return shares.map((s, i) => ({ label: `[${e[i]}, ${e[i + 1]}${i === shares.length - 1 ? ']' : ')'}`, reference: s }));
  }
  const names = Object.keys(distribution.counts).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shares = normalise(names.map((n) => distribution.counts[n]));
  return [...names.map((n, i) => ({ label: n, reference: shares[i] })), { label: 'other (not in the reference)', reference: 0 }];
}

function normalise(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

function distributionOf(profile, name) {
  if (!profile) return null;
  return name === SCORE ? profile.score || null : (profile.inputs || {})[name] || null;
}

function namesOf(profile) {
  return [...Object.keys(profile.inputs || {}).sort(), ...(profile.score ? [SCORE] : [])];
}

/** How a statistic stands against its thresholds, in words (colour only repeats them). */
export function standing(value, alarmAt, clearAt) {
  if (value === null || value === undefined) return { text: 'not assessed yet', kind: '' };
  if (value >= alarmAt) return { text: `at or above the alarm threshold ${alarmAt}`, kind: 'bad' };
  if (value < clearAt) return { text: `below the clear threshold ${clearAt}`, kind: 'ok' };
  return { text: `between the clear (${clearAt}) and alarm (${alarmAt}) thresholds`, kind: '' };
}

function figure(value) {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

function legend(series) {
  return el('ul', { class: 'legend' }, series.map((s) => el('li', {}, el('span', { class: 'swatch bar-' + s.kind }), s.name)));
}

/** A panel per input: the chart of shares side by side and the same figures in a table. */
function panel(id, name, about, rows, series) {
  return el(
    'section',
    { class: 'panel', id, 'data-input': name, 'aria-labelledby': id + '-title' },
    el('h3', { id: id + '-title' }, name),
    about,
    legend(series),
    barChart(rows.map((r) => ({ label: r.label, values: series.map((s) => r[s.kind]) })), series),
    el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, name, ': ', series.map((s) => s.name).join(' against '), ', bucket by bucket'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Bucket'), series.map((s) => el('th', { scope: 'col' }, s.name)), rows[0] && 'count' in rows[0] ? el('th', { scope: 'col' }, 'Live values') : null)),
      el(
        'tbody',
        {},
        rows.map((r) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, r.label),
            series.map((s) => el('td', { 'data-series': s.kind, 'data-value': r[s.kind] ?? '' }, percent(r[s.kind]))),
            'count' in r ? el('td', { 'data-series': 'count' }, String(r.count)) : null,
          ),
        ),
      ),
    ),
  );
}

const LIVE = [{ name: 'Reference', kind: 'reference' }, { name: 'Live window', kind: 'live' }];

function inputPanel(input, reference, thresholds) {
  const distribution = distributionOf(reference, input.name);
  const psi = standing(input.psi, thresholds.psiAlarm, thresholds.psiClear);
  const ks = standing(input.ks, thresholds.ksAlarm, thresholds.ksClear);
  const about = el(
    'p',
    { class: 'about' },
    `${input.samples} of ${thresholds.window} values in the window`,
    input.samples < thresholds.minSamples ? ` (assessed from ${thresholds.minSamples})` : '',
    '. PSI ', el('strong', { 'data-statistic': 'psi' }, figure(input.psi)), ', ', el('span', { class: psi.kind }, psi.text),
    distribution && distribution.type === 'histogram'
      ? ['; KS ', el('strong', { 'data-statistic': 'ks' }, figure(input.ks)), ', ', el('span', { class: ks.kind }, ks.text)]
      : '',
    '.',
  );
  if (!distribution) return el('section', { class: 'panel' }, el('h3', {}, input.name), about);
  const counts = input.counts || [];
  const total = counts.reduce((a, b) => a + b, 0);
  const rows = buckets(distribution).map((b, i) => ({
    label: b.label,
    reference: b.reference,
    live: total > 0 ? (counts[i] || 0) / total : null,
    count: counts[i] || 0,
  }));
  return panel('input-' + input.name.replace(/[^A-Za-z0-9_-]/g, '_'), input.name, about, rows, LIVE);
}

function showState(drift, reference) {
  const t = drift.thresholds;
  document.getElementById('facts').replaceChildren(
    ...facts([
      ['Alarm', drift.alarm
        ? [el('span', { id: 'alarm', class: 'badge bad', 'data-alarm': 'raised' }, 'raised'), ' — policies that test ', el('code', {}, 'drift.alarm'), ' send this version\'s decisions to humans meanwhile']
        : el('span', { id: 'alarm', class: 'badge ok', 'data-alarm': 'none' }, 'none')],
      drift.alarmIri ? ['Alarm IRI', el('code', {}, drift.alarmIri)] : null,
      ['Reference in force', el('code', { id: 'reference-iri' }, drift.reference)],
      ['Last assessed', drift.assessedAt ? el('time', { datetime: drift.assessedAt }, when(drift.assessedAt)) : 'not yet'],
      ['Thresholds', `PSI alarm ${t.psiAlarm}, clear ${t.psiClear}; KS alarm ${t.ksAlarm}, clear ${t.ksClear}; window ${t.window} values, assessed from ${t.minSamples}`],
    ]).childNodes,
  );
  document.getElementById('inputs').replaceChildren(...drift.inputs.map((i) => inputPanel(i, reference, t)));
  document.getElementById('state').hidden = false;
}

const PENDING = [{ name: 'Awaiting approval', kind: 'pending' }];
const PENDING_AND_IN_FORCE = [{ name: 'In force', kind: 'reference' }, ...PENDING];

function pendingPanel(name, pending, reference) {
  const proposed = buckets(distributionOf(pending, name));
  const current = distributionOf(reference, name) && buckets(distributionOf(reference, name));
  const comparable = current && current.length === proposed.length && current.every((b, i) => b.label === proposed[i].label);
  const rows = proposed.map((b, i) => ({ label: b.label, pending: b.reference, ...(comparable ? { reference: current[i].reference } : {}) }));
  const about = el('p', { class: 'about' }, comparable ? 'Its shares against the profile in force.' : current ? 'Other buckets than the profile in force.' : 'Not monitored until now.');
  return panel('pending-' + name.replace(/[^A-Za-z0-9_-]/g, '_'), name, about, rows, comparable ? PENDING_AND_IN_FORCE : PENDING);
}

function showPending(me, pending, reference) {
  const section = document.getElementById('pending');
  section.hidden = false;
  const pendingStatus = document.getElementById('pending-status');
  if (!pending) {
    pendingStatus.textContent = 'No reference profile awaits approval.';
    for (const id of ['pending-facts', 'pending-actions', 'pending-inputs']) document.getElementById(id).replaceChildren();
    return;
  }
  pendingStatus.textContent = '';
  document.getElementById('pending-facts').replaceChildren(
    ...facts([
      ['Uploaded by', el('span', { id: 'pending-author' }, pending.author)],
      ['Uploaded', el('time', { datetime: pending.uploadedAt }, when(pending.uploadedAt))],
      ['IRI once approved', el('code', {}, pending.iri)],
    ]).childNodes,
  );
  const actions = document.getElementById('pending-actions');
  if (pending.author === me.user) {
    actions.replaceChildren(el('p', { id: 'own-upload' }, 'You uploaded this profile: another person, a policy approver, must approve it.'));
  } else if (!me.roles.includes('policy-approver')) {
    actions.replaceChildren(el('p', { id: 'not-approver' }, 'Policy approvers approve reference profiles.'));
  } else {
    actions.replaceChildren(
      el('button', { type: 'button', id: 'approve', onclick: () => approve(me, pending) }, 'Approve: put it in force'),
      el('span', { class: 'about' }, ' Its windows then start empty; an alarm already raised stays until cleared.'),
    );
  }
  document.getElementById('pending-inputs').replaceChildren(...namesOf(pending).map((n) => pendingPanel(n, pending, reference)));
}

async function approve(me, pending) {
  const box = document.getElementById('approve-problem');
  box.hidden = true;
  try {
    await post(base + '/reference/approve', { reference: pending.iri });
    await show(me);
    document.getElementById('pending-status').textContent = `Approved: the profile uploaded by ${pending.author} is in force.`;
  } catch (e) {
    showProblem(box, e);
    box.focus();
  }
}

/** The resource, or null when the API answers 404 (nothing in force, nothing pending). */
async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof Problem && e.status === 404) return null;
    throw e;
  }
}

async function show(me) {
  problem.hidden = true;
  const [drift, reference, pending] = await Promise.all([
    optional(base + '/drift'),
    optional(base + '/reference'),
    optional(base + '/reference/pending'),
  ]);
  if (drift && reference) {
    showState(drift, reference);
    status.textContent = '';
  } else {
    document.getElementById('state').hidden = true;
    status.textContent = `No reference profile is in force for ${model} version ${version}: it is not monitored.`;
  }
  showPending(me, pending, reference);
  performance.mark('arbiter:drift-shown');
}

async function list() {
  const all = await get('/api/v1/drift');
  document.querySelector('#versions tbody').replaceChildren(
    ...all.map((d) =>
      el(
        'tr',
        { 'data-model': d.model, 'data-version': d.version },
        el('td', {}, el('a', { href: `/ui/drift.html?model=${encodeURIComponent(d.model)}&version=${encodeURIComponent(d.version)}` }, d.model)),
        el('td', {}, d.version),
        el('td', {}, d.alarm ? el('span', { class: 'badge bad' }, 'raised') : 'none'),
        el('td', {}, d.inputs.map((i) => i.name).join(', ')),
        el('td', {}, d.assessedAt ? el('time', { datetime: d.assessedAt }, when(d.assessedAt)) : 'not yet'),
      ),
    ),
  );
  document.getElementById('monitored').hidden = false;
  status.textContent = all.length ? `${all.length} monitored model version${all.length === 1 ? '' : 's'}.` : 'No model version is monitored yet.';
}

async function start() {
  const me = await signedIn(POLICIES);
  const form = document.getElementById('pick');
  form.elements.model.value = model;
  form.elements.version.value = version;
  try {
    if (model && version) {
      document.title = `Drift of ${model} version ${version} · Arbiter`;
      document.getElementById('title').textContent = `Drift of ${model}, version ${version}`;
      await show(me);
    } else {
      await list();
    }
  } catch (e) {
    showProblem(problem, e);
  }
}

start();
