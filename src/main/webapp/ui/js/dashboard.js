// The HITL dashboard: escalation, override, fail-safe, SLA-breach and reviewer-agreement rates per
// day, from the same endpoints an integrator's own dashboards would call (one window per day):
// GET /api/v1/metrics/hitl and, for those allowed, GET /api/v1/reviews/metrics.
import { get } from './api.js';
import { lineChart, percent } from './chart.js';
import { DASHBOARD, el, showProblem, signedIn } from './ui.js';

const REVIEW_METRICS = ['auditor', 'admin', 'lead-reviewer'];

const form = document.getElementById('filters');
const problem = document.getElementById('problem');
const status = document.getElementById('status');
const charts = document.getElementById('charts');

/** The series: what each is, and how a day's figures give it (null: nothing to measure). */
const SERIES = [
  { id: 'escalation', title: 'Escalation rate', about: 'decisions sent to human review', of: (h) => h.escalationRate },
  { id: 'override', title: 'Override rate', about: 'settled reviews that went against the model', of: (h) => h.overrideRate },
  { id: 'fail-safe', title: 'Fail-safe rate', about: 'decisions sent to review because something was in doubt', of: (h) => h.failSafeRate },
  {
    id: 'sla', title: 'SLA breach rate', about: 'review tasks created that day that missed their SLA', reviews: true,
    of: (h, r) => (r && r.overall.tasks ? r.overall.slaBreaches / r.overall.tasks : null),
  },
  {
    id: 'agreement', title: 'Reviewer agreement', about: 'tasks with several reviewers on which they agreed', reviews: true,
    of: (h, r) => (r && r.overall.disagreementRate !== null && r.overall.disagreementRate !== undefined ? 1 - r.overall.disagreementRate : null),
  },
];

/** UTC days, oldest first, ending with today: [{label, from, to}]. */
export function days(count, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const list = [];
  for (let i = count - 1; i >= 0; i--) {
    const from = new Date(today - i * 86400000);
    const to = new Date(from.getTime() + 86400000);
    list.push({ label: from.toISOString().slice(0, 10), from: from.toISOString(), to: to.toISOString() });
  }
  return list;
}

function query(path, day, filters) {
  const params = new URLSearchParams({ from: day.from, to: day.to });
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  return path + '?' + params;
}

/** Runs `tasks` (functions returning promises) a few at a time, in order of their results. */
async function few(tasks, width = 4) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

function panel(series, rows) {
  const points = rows.map((r) => ({ label: r.day.label, value: series.of(r.hitl, r.reviews) }));
  const measured = points.filter((p) => p.value !== null && p.value !== undefined);
  const latest = measured.length ? measured[measured.length - 1] : null;
  return el(
    'section',
    { class: 'panel', id: 'series-' + series.id, 'aria-labelledby': 'title-' + series.id },
    el('h2', { id: 'title-' + series.id }, series.title),
    el('p', { class: 'about' }, series.about, latest ? `; latest ${percent(latest.value)} (${latest.label})` : '; nothing to measure yet'),
    lineChart(points),
    el(
      'details',
      {},
      el('summary', {}, 'Figures'),
      el(
        'table',
        {},
        el('caption', { class: 'visually-hidden' }, series.title, ' per day'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Day'), el('th', { scope: 'col' }, series.title))),
        el('tbody', {}, points.map((p) => el('tr', {}, el('th', { scope: 'row' }, p.label), el('td', { 'data-value': p.value ?? '' }, percent(p.value))))),
      ),
    ),
  );
}

async function show(me) {
  problem.hidden = true;
  const data = new FormData(form);
  const filters = { model: String(data.get('model') || '').trim(), policy: String(data.get('policy') || '').trim() };
  const readsReviews = REVIEW_METRICS.some((r) => me.roles.includes(r));
  const list = days(Number(data.get('days')) || 14);
  status.textContent = `Loading ${list.length} days…`;
  try {
    const rows = await few(
      list.map((day) => async () => ({
        day,
        hitl: await get(query('/api/v1/metrics/hitl', day, filters)),
        // Review figures are per queue and reviewer, not per model: shown without the filters.
        reviews: readsReviews ? await get(query('/api/v1/reviews/metrics', day, {})) : null,
      })),
    );
    const shown = SERIES.filter((s) => !s.reviews || readsReviews);
    charts.replaceChildren(...shown.map((s) => panel(s, rows)));
    const decisions = rows.reduce((n, r) => n + r.hitl.decisions, 0);
    status.textContent =
      `${decisions} decision${decisions === 1 ? '' : 's'} over ${list.length} days (UTC)` +
      (readsReviews ? '.' : '. Review figures (SLA, agreement) are for leads, auditors and admins.');
    performance.mark('arbiter:dashboard-shown');
  } catch (e) {
    showProblem(problem, e, form);
  }
}

async function start() {
  const me = await signedIn(DASHBOARD);
  const params = new URLSearchParams(location.search);
  for (const name of ['days', 'model', 'policy']) if (params.has(name)) form.elements[name].value = params.get(name);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', '?' + new URLSearchParams(new FormData(form)));
    show(me);
  });
  await show(me);
}

start();
