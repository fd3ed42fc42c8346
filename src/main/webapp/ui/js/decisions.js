// Decision search for auditors: GET /api/v1/decisions with its filters (subject, model and version,
// route, rule, status, tenant, a time window), newest first, in pages of 50 with the API's cursor.
// The filters live in the address, so a search can be bookmarked and shared.
import { get } from './api.js';
import { AUDITS, el, showProblem, signedIn, when } from './ui.js';

const TEXT = ['subject', 'model', 'modelVersion', 'route', 'rule', 'status', 'tenant'];
const form = document.getElementById('filters');
const body = document.querySelector('#decisions tbody');
const problem = document.getElementById('problem');
const status = document.getElementById('status-line');
const more = document.getElementById('more');
let next = null;
let count = 0;

/** The search as API parameters: local times become instants. */
function params() {
  const data = new FormData(form);
  const out = new URLSearchParams();
  for (const name of TEXT) {
    const value = String(data.get(name) || '').trim();
    if (value) out.set(name, value);
  }
  for (const name of ['from', 'to']) {
    const value = String(data.get(name) || '');
    if (value) out.set(name, new Date(value).toISOString());
  }
  return out;
}

function row(d) {
  return el(
    'tr',
    { 'data-decision': d.id },
    el('td', {}, el('a', { href: '/ui/decision.html?id=' + encodeURIComponent(d.id) }, d.id)),
    el('td', {}, d.subject),
    el('td', {}, `${d.model.name} ${d.model.version}`),
    el('td', {}, d.route),
    el('td', {}, d.rule?.id ? `${d.rule.id} (${d.rule.kind})` : d.rule?.kind || '—'),
    el('td', {}, d.status.replace('_', ' ')),
    el('td', {}, d.resolution ? `${d.resolution.outcome} (${d.resolution.basis})` : '—'),
    el('td', {}, d.tenant || '—'),
    el('td', {}, el('time', { datetime: d.submittedAt }, when(d.submittedAt))),
  );
}

async function load(append) {
  problem.hidden = true;
  const query = params();
  query.set('limit', '50');
  if (append && next) query.set('cursor', next);
  try {
    const page = await get('/api/v1/decisions?' + query);
    if (!append) {
      body.replaceChildren();
      count = 0;
    }
    body.append(...page.items.map(row));
    count += page.items.length;
    next = page.next || null;
    more.hidden = !next;
    status.textContent = count ? `${count} decision${count === 1 ? '' : 's'}${next ? ' (more below)' : ''}` : 'No decisions match.';
  } catch (e) {
    showProblem(problem, e, form);
  }
}

/** Puts the search in the address (local times as typed) and runs it. */
function search() {
  const shown = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (String(value).trim()) shown.set(name, String(value).trim());
  history.replaceState(null, '', '?' + shown);
  load(false);
}

async function start() {
  await signedIn(AUDITS);
  const given = new URLSearchParams(location.search);
  for (const name of [...TEXT, 'from', 'to']) if (given.has(name)) form.elements[name].value = given.get(name);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  more.addEventListener('click', () => load(true));
  await load(false);
}

start();
