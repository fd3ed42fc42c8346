// Every policy version, by policy and newest first, each a link to its page; and, for a policy
// author, a form submitting a new version (POST /api/v1/policies) as YAML or JSON.
import { call, get } from './api.js';
import { POLICIES, byPolicyThenNewest, clearFieldErrors, el, showProblem, signedIn, when } from './ui.js';

const body = document.querySelector('#versions tbody');
const form = document.getElementById('new-version-form');
const formProblem = document.getElementById('new-version-problem');
const documentField = document.getElementById('policy-document');
const created = document.getElementById('created');

function versionPage(v) {
  return `/ui/policy.html?id=${encodeURIComponent(v.id)}&version=${encodeURIComponent(v.version)}`;
}

async function list() {
  const versions = (await get('/api/v1/policies')).sort(byPolicyThenNewest);
  body.replaceChildren(
    ...versions.map((v) =>
      el(
        'tr',
        { 'data-policy': v.id, 'data-version': v.version },
        el('td', {}, v.id),
        el('td', {}, el('a', { href: versionPage(v) }, 'version ', v.version)),
        el('td', {}, el('span', { class: 'state state-' + v.state }, v.state)),
        el('td', {}, (v.models || []).join(', ')),
        el('td', {}, v.author),
        el('td', {}, v.approver || '—'),
        el('td', {}, el('time', { datetime: v.registeredAt }, when(v.registeredAt))),
      ),
    ),
  );
  document.getElementById('status').textContent =
    `${versions.length} version${versions.length === 1 ? '' : 's'}`;
}

/** Marks the document invalid when the server names fields inside it (paths such as rules[0].condition). */
function markDocument(problem) {
  // Only a refusal of the document itself names fields inside it (not, say, a cross-site refusal).
  const aboutDocument = [400, 409, 422].includes(problem.status);
  if (!aboutDocument || !problem.errors || problem.errors.length === 0) return;
  const own = form.querySelector('[data-field="document"] .field-error');
  if (own.hidden) {
    own.textContent = `The server found ${problem.errors.length === 1 ? 'a problem' : problem.errors.length + ' problems'} in the document: see above.`;
    own.hidden = false;
    documentField.setAttribute('aria-invalid', 'true');
    documentField.focus();
  }
}

async function submit(event) {
  event.preventDefault();
  formProblem.hidden = true;
  created.hidden = true;
  clearFieldErrors(form);
  const text = documentField.value;
  const type = text.trim().startsWith('{') ? 'application/json' : 'application/yaml';
  try {
    const v = await call('POST', '/api/v1/policies', text, { contentType: type });
    created.replaceChildren(
      'Recorded: ',
      el('a', { href: versionPage(v), id: 'created-link' }, v.id, ', version ', v.version),
      ` (${v.state}).`,
    );
    created.hidden = false;
    await list();
    document.getElementById('created-link').focus();
  } catch (e) {
    showProblem(formProblem, e, form);
    markDocument(e);
  }
}

async function readFile() {
  const file = document.getElementById('policy-file').files[0];
  if (file) documentField.value = await file.text();
}

async function start() {
  const me = await signedIn(POLICIES);
  if (me.roles.includes('policy-author')) {
    document.getElementById('new-version').hidden = false;
    form.addEventListener('submit', submit);
    document.getElementById('policy-file').addEventListener('change', () =>
      readFile().catch((e) => showProblem(formProblem, e)),
    );
  }
  try {
    await list();
  } catch (e) {
    showProblem(document.getElementById('problem'), e);
  }
}

start();
