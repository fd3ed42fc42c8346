// A review task: what the API lets the caller see of it (in blind review it withholds the model's
// output, the trace and the real rule ids; this page shows only what it is given), claim and
// release, the caller's verdict, and for a lead the verdicts of a disagreement and the ruling.
import { get, post } from './api.js';
import { REVIEWS, clearFieldErrors, el, facts, showProblem, signedIn, table, timeLeft, typing, when } from './ui.js';

const id = new URLSearchParams(location.search).get('id') || '';
const path = '/api/v1/reviews/' + encodeURIComponent(id);
const container = document.getElementById('task');
const problem = document.getElementById('problem');
const status = document.getElementById('status');
const form = document.getElementById('verdict-form');
const formProblem = document.getElementById('verdict-problem');
let me;
let detail;

/** The words the task's policy gives a reason code: its label, or the code itself. */
function reasonLabel(code) {
  const known = (detail.labelledReasonCodes || []).find((c) => c.code === code);
  return known && known.label !== code ? `${known.label} (${code})` : code;
}

function verdictView(v, heading) {
  return el(
    'article',
    { class: 'verdict', 'data-reviewer': v.reviewer },
    el('h3', {}, heading || v.reviewer),
    facts([
      ['Verdict', el('strong', {}, v.verdict)],
      ['Reason code', reasonLabel(v.reasonCode)],
      ['Rules', (v.rules || []).join(', ') || '—'],
      ['Justification', v.justification || '—'],
      ['Given', when(v.at)],
    ]),
  );
}

function render(keepForm = false) {
  const t = detail.task;
  const d = detail.decision || {};
  document.getElementById('title').textContent = `Review task ${t.id}`;
  const claim = detail.myClaim;
  const canClaim = t.state === 'open' && (claim || t.freeSlots > 0) && !detail.verdicts.some((v) => v.reviewer === me.user);
  const sections = [
    facts([
      ['Queue', t.queue],
      ['State', t.state.replace('_', ' ')],
      ['Kind', t.kind],
      ['Deadline', [el('time', { datetime: t.deadline }, when(t.deadline)), ` (${timeLeft(t.deadline)})`]],
      ['Verdicts', `${t.verdictsGiven} of ${t.reviewersNeeded} given; ${t.freeSlots} slot(s) free`],
      ['Rule', t.rule || '—'],
      t.blind ? ['Blind review', detail.modelOutputHidden ? "Yes: the model's output is withheld from you" : 'Yes (settled: shown)'] : null,
      ['Your claim', claim ? `held until ${when(claim.expiresAt)}` : 'none'],
    ]),
    el(
      'div',
      { class: 'actions' },
      canClaim
        ? el('button', { type: 'button', id: 'claim', 'aria-keyshortcuts': 'c', onclick: () => act('claim') }, claim ? 'Extend claim' : 'Claim')
        : null,
      claim ? el('button', { type: 'button', id: 'release', 'aria-keyshortcuts': 'u', onclick: () => act('release') }, 'Release') : null,
    ),
    el('h2', {}, 'The case'),
    facts([
      ['Subject', d.subject || '—'],
      ['Model', d.model ? `${d.model.name} ${d.model.version}` : '—'],
      ['Submitted', when(d.submittedAt)],
    ]),
    table('Inputs', d.input),
    table('Context', d.context),
  ];
  if (d.output) {
    sections.push(el('h2', {}, "The model's recommendation"), table('Output', { label: d.output.label, score: d.output.score, confidence: d.output.confidence }));
  }
  if (Array.isArray(d.trace) && d.trace.length) {
    sections.push(el('h2', {}, 'How the policy routed it'),
      el('ol', { class: 'trace' }, d.trace.map((s) => el('li', {}, `${s.kind} ${s.rule}: ${s.outcome}`, s.detail ? ` (${s.detail})` : ''))));
  }
  if (detail.escalations.length) {
    sections.push(el('h2', {}, 'Escalations'),
      el('ul', {}, detail.escalations.map((e) => el('li', {}, `${e.fromQueue} → ${e.toQueue}, ${when(e.at)}`))));
  }
  const others = detail.verdicts.filter((v) => v.reviewer !== me.user);
  const mine = detail.verdicts.filter((v) => v.reviewer === me.user);
  sections.push(el('h2', {}, 'Verdicts'));
  if (!detail.verdicts.length) sections.push(el('p', {}, 'No verdict you may see yet.'));
  sections.push(...mine.map((v) => verdictView(v, 'Your verdict')), ...others.map((v) => verdictView(v)));
  if (t.verdictsGiven > detail.verdicts.length) {
    sections.push(el('p', { class: 'hint' }, "Other reviewers' verdicts stay hidden until every verdict is in (four eyes)."));
  }
  if (detail.ruling) sections.push(verdictView(detail.ruling, `Ruling by ${detail.ruling.reviewer}`));
  if (detail.settlement) {
    const s = detail.settlement;
    sections.push(el('h2', {}, 'Outcome'), facts([['Outcome', el('strong', {}, s.outcome)], ['Basis', s.basis], ['Fail-safe', s.failSafe ? 'yes' : 'no'], ['Settled', when(s.at)]]));
  }
  container.replaceChildren(...sections.filter(Boolean));
  // A live update leaves a form that still applies as the reviewer left it, half-filled or not.
  if (!(keepForm && !form.hidden && form.dataset.action === formAction())) renderForm();
}

// Live: the task-change stream (/api/v1/reviews/events) names the tasks the caller may see that
// changed, with their state and nothing of the decision; when it names this task, the page asks the
// API again, so a blind reviewer still sees only what the API shows them.
let refreshing = null;
function refreshSoon() {
  if (refreshing) return;
  refreshing = setTimeout(async () => {
    refreshing = null;
    const focused = document.activeElement && container.contains(document.activeElement) ? document.activeElement.id : '';
    const before = detail.task.state;
    try {
      const now = await get(path);
      // The caller's own claim or verdict comes back as a change too: nothing new to show.
      if (JSON.stringify(now) === JSON.stringify(detail)) return;
      detail = now;
      render(true);
      const state = detail.task.state;
      status.textContent = state === before ? 'This task changed: shown as it stands now.' : `This task is now ${state.replace('_', ' ')}.`;
      if (focused) document.getElementById(focused)?.focus();
    } catch (e) {
      showProblem(problem, e);
    }
  }, 300);
}

function listen() {
  const live = document.getElementById('live');
  const events = new EventSource('/api/v1/reviews/events');
  const state = (name, text) => {
    live.dataset.live = name;
    live.textContent = 'Live updates: ' + text;
  };
  events.addEventListener('open', () => state('on', 'on'));
  events.addEventListener('review.task-changed', (event) => {
    let changed;
    try {
      changed = JSON.parse(event.data);
    } catch {
      return;
    }
    if (detail && changed.id === detail.task.id) refreshSoon();
  });
  events.addEventListener('error', () =>
    state(events.readyState === EventSource.CLOSED ? 'off' : 'connecting',
      events.readyState === EventSource.CLOSED ? 'off (reload the page to retry)' : 'reconnecting'));
}

/** What the verdict form is for now: 'adjudication', 'verdict' or '' (hidden). */
function formAction() {
  const t = detail.task;
  const ruling = t.state === 'adjudication' && me.roles.includes('lead-reviewer') && !detail.verdicts.some((v) => v.reviewer === me.user) && !detail.ruling;
  const deciding = t.state === 'open' && detail.myClaim && !detail.verdicts.some((v) => v.reviewer === me.user);
  return ruling ? 'adjudication' : deciding ? 'verdict' : '';
}

function renderForm() {
  const action = formAction();
  const ruling = action === 'adjudication';
  form.hidden = !action;
  if (form.hidden) return;
  form.dataset.action = ruling ? 'adjudication' : 'verdict';
  document.getElementById('verdict-title').textContent = ruling ? 'Your ruling on the disagreement' : 'Your verdict';
  document.getElementById('submit-verdict').textContent = ruling ? 'Submit ruling' : 'Submit verdict';
  // The verdicts are the outcomes of the policy version that routed the decision, as the task
  // gives them (approve/reject only in the demo's vocabulary); keys 1-9 choose them in order.
  const verdicts = document.getElementById('verdict-field');
  verdicts.replaceChildren(verdicts.querySelector('legend'),
    ...(detail.outcomes || []).map((o, i) => el('label', {},
      el('input', { type: 'radio', name: 'verdict', value: o, 'aria-keyshortcuts': i < 9 ? String(i + 1) : null }), ' ', o)),
    verdicts.querySelector('.field-error'));
  // Each code shows as the label its policy gives it and is sent as the code; its definition, where
  // the policy wrote one, is the choice's title and the help text under the list once chosen.
  const reason = document.getElementById('reason-field');
  const codes = detail.labelledReasonCodes || [];
  const help = el('p', { class: 'hint', id: 'reason-hint' });
  const input = codes.length
    ? el('select', { id: 'reasonCode', name: 'reasonCode', required: true, 'aria-describedby': 'reason-hint' },
      el('option', { value: '' }, 'Choose a reason code'),
      codes.map((c) => el('option', { value: c.code, title: c.definition }, c.label)))
    : el('input', { id: 'reasonCode', name: 'reasonCode', required: true, 'aria-describedby': 'reason-hint' });
  const explain = () => {
    help.textContent = codes.length
      ? (codes.find((c) => c.code === input.value) || {}).definition || ''
      : 'The policy lists no codes: any code is accepted.';
    help.hidden = !help.textContent;
  };
  if (codes.length) input.addEventListener('change', explain);
  explain();
  reason.replaceChildren(reason.querySelector('label'), input, help, reason.querySelector('.field-error'));
  const rules = document.getElementById('rules-field');
  rules.replaceChildren(rules.querySelector('legend'),
    ...(detail.rules || []).map((r) => el('label', {}, el('input', { type: 'checkbox', name: 'rules', value: r }), ' ', r)),
    rules.querySelector('.field-error'));
}

async function act(action) {
  problem.hidden = true;
  try {
    detail = await post(`${path}/${action}`);
    status.textContent = action === 'claim' ? 'Claimed.' : 'Released.';
    render();
  } catch (e) {
    showProblem(problem, e);
  }
}

async function submit(event) {
  event.preventDefault();
  formProblem.hidden = true;
  clearFieldErrors(form);
  const data = new FormData(form);
  const body = {
    verdict: data.get('verdict') || null,
    reasonCode: String(data.get('reasonCode') || '').trim() || null,
    rules: data.getAll('rules').map(String),
    justification: String(data.get('justification') || '').trim() || null,
  };
  try {
    detail = await post(`${path}/${form.dataset.action}`, body);
    form.reset();
    status.textContent = form.dataset.action === 'adjudication' ? 'Ruling recorded.' : 'Verdict recorded.';
    render();
  } catch (e) {
    showProblem(formProblem, e, form);
  }
}

/** Keys 1-9: the verdict at that place in the form, if there is one. */
function choose(place) {
  if (form.hidden) return;
  const radio = form.querySelectorAll('input[name=verdict]')[place - 1];
  if (!radio) return;
  radio.checked = true;
  document.getElementById('reasonCode').focus();
}

async function start() {
  me = await signedIn(REVIEWS);
  form.addEventListener('submit', submit);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  document.addEventListener('keydown', (event) => {
    if (typing(event) || !detail) return;
    const keys = { c: () => document.getElementById('claim')?.click(), u: () => document.getElementById('release')?.click(),
      q: () => location.assign('/ui/queue.html') };
    if (/^[1-9]$/.test(event.key)) {
      event.preventDefault();
      choose(Number(event.key));
    } else if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });
  try {
    detail = await get(path);
    render();
    listen();
  } catch (e) {
    showProblem(problem, e);
  }
}

start();
