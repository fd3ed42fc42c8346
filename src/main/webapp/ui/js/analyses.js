// A policy version's analyses on its page: rule coverage, the shadow report and a backtest. Each is
// a report the API runs as a job when asked with `Prefer: respond-async` (202 and the job): the
// page shows the job's progress, offers to cancel it while it runs, and draws its result as SVG bars
// with the same figures in a table. The page decides nothing: the server refuses what the caller's
// roles do not allow, and its problem is shown as any other.
import { call, get, post, Problem } from './api.js';
import { barChart, percent } from './chart.js';
import { clearFieldErrors, el, showProblem, when } from './ui.js';

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/**
 * Runs a report as a job and resolves to its result (null when cancelled); `box` shows its state,
 * progress and a Cancel button while it runs. Waits on the server (`Prefer: wait=`), never a timer.
 */
export async function runJob(method, path, body, box, what) {
  const cancel = el('button', { type: 'button', class: 'cancel' }, 'Cancel');
  const bar = el('progress', { 'aria-label': what + ' progress' });
  const line = el('span', { class: 'job-state', role: 'status' }, 'Starting…');
  box.replaceChildren(line, ' ', bar, ' ', cancel);
  box.hidden = false;
  let job = await call(method, path, body, { headers: { Prefer: 'respond-async' } });
  let cancelling = false;
  cancel.addEventListener('click', async () => {
    cancelling = true;
    cancel.disabled = true;
    try {
      job = await post(job.href + '/cancel', {});
      render();
    } catch (e) {
      line.textContent = 'Could not cancel: ' + (e.title || e.message);
    }
  });
  const render = () => {
    const p = job.progress || { done: 0 };
    const state = job.state === 'cancelled' && cancelling ? 'cancelled at your request' : job.state;
    line.textContent = `${what}: ${state}, ${p.done}${p.total !== null && p.total !== undefined ? ' of ' + p.total : ''} done`;
    line.dataset.state = job.state;
    if (p.total) {
      bar.max = p.total;
      bar.value = p.done;
    }
    cancel.hidden = FINISHED.includes(job.state);
  };
  render();
  while (!FINISHED.includes(job.state)) {
    job = await get(job.href, { headers: { Prefer: 'wait=2' } });
    render();
  }
  bar.hidden = true;
  if (job.state === 'failed') throw new Problem(job.problem?.status || 500, job.problem || {});
  if (job.state === 'cancelled') return null;
  return job.result;
}

function figures(id, caption, head, rows) {
  return el(
    'table',
    { id },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map(([label, ...cells]) => el('tr', { 'data-key': label instanceof Node ? label.textContent : label }, el('th', { scope: 'row' }, label), cells.map((c) => el('td', {}, c))))),
  );
}

/** A decision's id, linked to its page (for those whose roles open it). */
function decisionLink(id) {
  return el('a', { href: '/ui/decision.html?id=' + encodeURIComponent(id) }, id);
}

function legend(series) {
  return el('ul', { class: 'legend' }, series.map((s) => el('li', {}, el('span', { class: 'swatch bar-' + s.kind }), s.name)));
}

const SHARE = [{ name: 'Share of decisions', kind: 'live' }];

/** Coverage: how often each guardrail and rule matched, the default, and what never matched. */
export function coverageView(c) {
  const entries = [...Object.entries(c.matched), ['(default)', c.reachedDefault]];
  const share = (n) => (c.decisions ? n / c.decisions : null);
  return [
    el('p', { class: 'about' }, `${c.decisions} decision${c.decisions === 1 ? '' : 's'} routed by this version; `,
      `${percent(c.defaultShare)} reached the default; ${c.failedSafe} failed safe.`),
    c.neverMatched.length ? el('p', { id: 'never-matched' }, 'Never matched: ', c.neverMatched.map((r) => el('code', {}, r)).flatMap((x, i) => (i ? [', ', x] : [x]))) : null,
    legend(SHARE),
    barChart(entries.map(([rule, n]) => ({ label: rule, values: [share(n)] })), SHARE),
    figures('coverage-figures', 'Decisions per guardrail and rule, in document order', ['Rule', 'Decisions', 'Share'],
      entries.map(([rule, n]) => [rule, String(n), percent(share(n))])),
  ];
}

function pairs(map, total) {
  return Object.entries(map).sort((a, b) => b[1] - a[1]).map(([pair, n]) => [pair, n, total ? n / total : null]);
}

/** The shadow report: agreement with the routing applied, by route pair, and the disagreements. */
export function shadowView(s) {
  const rows = pairs(s.byRoutePair, s.compared);
  return [
    el('p', { class: 'about' }, `${s.compared} decision${s.compared === 1 ? '' : 's'} compared, ${s.agreed} agreed: `,
      el('strong', { id: 'agreement' }, percent(s.compared ? s.agreement : null)), ' agreement.'),
    legend(SHARE),
    barChart(rows.map(([pair, , share]) => ({ label: pair, values: [share] })), SHARE),
    figures('shadow-figures', 'Decisions by applied → shadow route', ['Applied → shadow', 'Decisions', 'Share'],
      rows.map(([pair, n, share]) => [pair, String(n), percent(share)])),
    s.disagreements.length
      ? figures('shadow-disagreements', `Disagreements, newest first${s.nextOffset ? ' (the first page)' : ''}`, ['Decision', 'Submitted', 'Applied', 'Shadow'],
        s.disagreements.map((d) => [decisionLink(d.decision), when(d.submittedAt), `${d.route} (${d.rule || 'default'})`, `${d.shadowRoute} (${d.shadowRule || 'default'})`]))
      : el('p', {}, 'No disagreements.'),
  ];
}

const BEFORE_AFTER = [{ name: 'As recorded', kind: 'reference' }, { name: 'This version', kind: 'live' }];

/** A backtest: escalation before and after, the changed decisions by route pair and by rule. */
export function backtestView(b) {
  const rows = pairs(b.changedByRoutePair, b.evaluated);
  return [
    el('p', { class: 'about' }, `${b.evaluated} recorded decision${b.evaluated === 1 ? '' : 's'} from ${when(b.from)} to ${when(b.to)}; `,
      el('strong', { id: 'changed' }, String(b.changed)), ` would change route. Human review: ${percent(b.escalationBefore)} as recorded, ${percent(b.escalationAfter)} with this version.`),
    legend(BEFORE_AFTER),
    barChart([{ label: 'human review', values: [b.escalationBefore, b.escalationAfter] }, ...rows.map(([pair, , share]) => ({ label: pair, values: [null, share] }))], BEFORE_AFTER),
    figures('backtest-figures', 'Changed decisions by recorded → candidate route', ['Recorded → this version', 'Decisions', 'Share of those evaluated'],
      rows.map(([pair, n, share]) => [pair, String(n), percent(share)])),
    figures('backtest-rules', 'Changed decisions by the rule of this version that decided them', ['Rule', 'Decisions'],
      Object.entries(b.changedByRule).map(([rule, n]) => [rule, String(n)])),
    b.changes.length
      ? figures('backtest-changes', `Changed decisions, newest first${b.nextOffset ? ' (the first page)' : ''}`, ['Decision', 'Submitted', 'As recorded', 'This version'],
        b.changes.map((c) => [decisionLink(c.decision), when(c.submittedAt), `${c.recordedRoute} (${c.recordedRule || 'default'})`, `${c.candidateRoute} (${c.candidateRule || 'default'})`]))
      : null,
  ];
}

/** Wires the analyses section of the policy page for the version at `base` (…/versions/{v}). */
export function analyses(base) {
  const problem = document.getElementById('analysis-problem');
  const run = (button, what, method, path, body, view, target) =>
    button.addEventListener('click', async () => {
      problem.hidden = true;
      clearFieldErrors(document.getElementById('backtest-form'));
      button.disabled = true;
      const result = document.getElementById(target);
      try {
        const report = await runJob(method, path, body(), document.getElementById(target + '-job'), what);
        if (report) result.replaceChildren(...view(report).filter(Boolean));
      } catch (e) {
        showProblem(problem, e, e instanceof Problem && e.errors.length ? document.getElementById('backtest-form') : undefined);
      } finally {
        button.disabled = false;
      }
    });
  run(document.getElementById('run-coverage'), 'Coverage', 'GET', base + '/coverage', () => undefined, coverageView, 'coverage');
  run(document.getElementById('run-shadow'), 'Shadow report', 'GET', base + '/shadow-report', () => undefined, shadowView, 'shadow');
  const form = document.getElementById('backtest-form');
  form.addEventListener('submit', (e) => e.preventDefault());
  run(document.getElementById('run-backtest'), 'Backtest', 'POST', base + '/backtest', () => {
    const range = {};
    for (const name of ['from', 'to']) {
      const value = form.elements[name].value;
      // datetime-local is the reader's local time; the API takes instants.
      if (value) range[name] = Number.isNaN(Date.parse(value)) ? value : new Date(value).toISOString();
    }
    return range;
  }, backtestView, 'backtest');
}
