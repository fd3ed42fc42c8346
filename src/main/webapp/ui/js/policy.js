// A policy version: its facts, the lifecycle steps the caller may take (the server enforces
// separation of duties whatever the page shows), its changes against another version of the same
// policy, the document as submitted, and its history.
import { get, post } from './api.js';
import { analyses } from './analyses.js';
import { lineDiff } from './diff.js';
import { POLICIES, byPolicyThenNewest, el, showProblem, signedIn, when } from './ui.js';

const params = new URLSearchParams(location.search);
const id = params.get('id') || '';
const version = params.get('version') || '';
const base = `/api/v1/policies/${encodeURIComponent(id)}/versions/`;
const problem = document.getElementById('problem');
const status = document.getElementById('status');
const form = document.getElementById('transition-form');

/** The steps of the lifecycle, the states each starts from, and what its button says. */
const STEPS = [
  { step: 'approve', from: ['draft'], label: 'Approve' },
  { step: 'shadow', from: ['approved'], label: 'Evaluate in shadow' },
  { step: 'activate', from: ['approved', 'shadow'], label: 'Activate' },
  { step: 'retire', from: ['draft', 'approved', 'active', 'shadow'], label: 'Retire' },
];

/**
 * The steps this caller may take on the version: policy approvers only, never the approval of a
 * version they wrote (four eyes). The server refuses them anyway; the page does not offer them.
 */
export function stepsFor(me, policy) {
  if (!me.roles.includes('policy-approver')) return [];
  return STEPS.filter((s) => s.from.includes(policy.state))
    .filter((s) => !(s.step === 'approve' && policy.author === me.user));
}

function facts(policy) {
  const rows = [
    ['State', el('span', { class: 'state state-' + policy.state }, policy.state)],
    ['Models', (policy.models || []).join(', ')],
    ['Tenants', policy.tenants ? policy.tenants.join(', ') : 'every tenant'],
    ['Author', policy.author],
    ['Approver', policy.approver || '— (not approved)'],
    ['Registered', el('time', { datetime: policy.registeredAt }, when(policy.registeredAt))],
    ['Revises', policy.previousVersion ? 'version ' + policy.previousVersion : '— (the first version)'],
    ['Content hash', el('code', {}, policy.contentHash)],
  ];
  document.getElementById('facts').replaceChildren(
    ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
  );
}

function lifecycle(me, policy) {
  const section = document.getElementById('lifecycle');
  section.hidden = !me.roles.includes('policy-approver');
  const steps = stepsFor(me, policy);
  document.getElementById('actions').replaceChildren(
    ...steps.map((s) =>
      el('button', { type: 'button', id: 'step-' + s.step, 'data-step': s.step, onclick: () => take(s) }, s.label),
    ),
  );
  const none = document.getElementById('no-actions');
  // Its author may still retire a draft they wrote, so the four-eyes note stands beside that step.
  const ownDraft = policy.state === 'draft' && policy.author === me.user;
  none.hidden = steps.length > 0 && !ownDraft;
  none.textContent = ownDraft
    ? 'You wrote this version: another approver must approve it.'
    : `No step leads on from ${policy.state}.`;
}

async function take(s) {
  problem.hidden = true;
  const reason = String(new FormData(form).get('reason') || '').trim();
  try {
    const policy = await post(base + encodeURIComponent(version) + '/' + s.step, reason ? { reason } : {});
    form.reset();
    show(policy);
    status.textContent = `Done: ${s.label.toLowerCase()}. The version is now ${policy.state}.`;
  } catch (e) {
    showProblem(problem, e, form);
  }
}

function history(policy) {
  document.getElementById('history').replaceChildren(
    el('li', {}, 'registered by ', policy.author, ' ', el('time', { datetime: policy.registeredAt }, when(policy.registeredAt))),
    ...policy.history.map((h) =>
      el('li', {}, h.transition, ' by ', h.actor, ' ', el('time', { datetime: h.time }, when(h.time)), h.reason ? ` — “${h.reason}”` : ''),
    ),
  );
}

async function compareWith(policy, other) {
  const pre = document.getElementById('diff');
  const summary = document.getElementById('diff-summary');
  if (!other) {
    summary.textContent = 'No other version of this policy to compare with.';
    pre.replaceChildren();
    // Empty, its aria-label would name nothing (axe: aria-prohibited-attr).
    pre.hidden = true;
    return;
  }
  const before = await get(base + encodeURIComponent(other));
  const lines = lineDiff(before.document, policy.document);
  if (!lines) {
    summary.textContent = 'The documents are too long to compare here.';
    pre.replaceChildren();
    pre.hidden = true;
    return;
  }
  pre.hidden = false;
  const added = lines.filter((l) => l.op === '+').length;
  const removed = lines.filter((l) => l.op === '-').length;
  summary.textContent = added || removed
    ? `Against version ${other}: ${added} line${added === 1 ? '' : 's'} added, ${removed} removed.`
    : `The same document as version ${other}.`;
  pre.replaceChildren(
    ...lines.map((l) => {
      const tag = l.op === '+' ? 'ins' : l.op === '-' ? 'del' : 'span';
      return el(tag, { class: 'line' }, l.op, ' ', l.text, '\n');
    }),
  );
}

let me = null;

function show(policy) {
  document.title = `${policy.id} version ${policy.version} · Arbiter`;
  document.getElementById('title').textContent = `${policy.id}, version ${policy.version}`;
  facts(policy);
  lifecycle(me, policy);
  document.getElementById('document').textContent = policy.document;
  history(policy);
}

async function start() {
  me = await signedIn(POLICIES);
  try {
    const [policy, all] = await Promise.all([get(base + encodeURIComponent(version)), get('/api/v1/policies')]);
    show(policy);
    analyses(base + encodeURIComponent(version));
    const others = all.filter((v) => v.id === id && v.version !== version).sort(byPolicyThenNewest);
    const select = document.getElementById('compare');
    select.replaceChildren(...others.map((v) => el('option', { value: v.version }, 'version ', v.version, ' (', v.state, ')')));
    const initial = params.get('compare') || policy.previousVersion || (others[0] && others[0].version);
    if (initial) select.value = initial;
    select.disabled = others.length === 0;
    select.addEventListener('change', () => compareWith(policy, select.value).catch((e) => showProblem(problem, e)));
    await compareWith(policy, initial);
    // For the page's load time in the tests' output (docs/performance.md).
    performance.mark('arbiter:policy-shown');
  } catch (e) {
    showProblem(problem, e);
  }
}

start();
