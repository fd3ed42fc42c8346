// The sign-in page, and once signed in the list of the caller's own pages.
import { get, post } from './api.js';
import { AUDITS, DASHBOARD, POLICIES, REVIEWS, el, showProblem, signedIn } from './ui.js';

const HOME = [
  { href: '/ui/queue.html', label: 'Review queue: claim, decide and release tasks', roles: REVIEWS },
  { href: '/ui/queue.html?state=adjudication', label: 'Disagreements awaiting your ruling', roles: ['lead-reviewer'] },
  { href: '/ui/decisions.html', label: 'Decisions: search, then read one with its trace, reviews, replay, provenance and verified receipt', roles: AUDITS },
  { href: '/ui/sparql.html', label: 'SPARQL and the audit query library, with CSV download', roles: AUDITS },
  { href: '/ui/policies.html', label: 'Policies: versions, changes and their lifecycle', roles: POLICIES },
  { href: '/ui/drift.html', label: 'Drift: each model version\'s reference against its live inputs, and profiles awaiting approval', roles: POLICIES },
  { href: '/ui/dashboard.html', label: 'HITL dashboard: escalation, override, fail-safe, SLA and agreement rates by day', roles: DASHBOARD },
];

/** Where to go after signing in: the page that sent us here, if it is one of ours. */
function next() {
  const target = new URLSearchParams(location.search).get('next');
  return target && target.startsWith('/ui/') && !target.startsWith('//') ? target : null;
}

async function home() {
  const me = await signedIn();
  const pages = HOME.filter((p) => p.roles.some((r) => me.roles.includes(r)));
  document.getElementById('home-pages').replaceChildren(
    ...(pages.length
      ? pages.map((p) => el('li', {}, el('a', { href: p.href }, p.label)))
      : [el('li', {}, 'The workspace has no pages for your roles (',
        me.roles.join(', ') || 'none', ') yet; the API serves them (README).')]),
  );
  document.getElementById('home').hidden = false;
}

/** "Sign in with <provider>", when the server signs people in through an OpenID provider. */
async function offerSingleSignOn() {
  let provider;
  try {
    provider = await get('/auth/sso/provider');
  } catch {
    return; // 404: single sign-on is not configured
  }
  const link = document.getElementById('sso-link');
  link.textContent = `Sign in with ${provider.name}`;
  link.href = provider.start;
  document.getElementById('sso').hidden = false;
}

async function start() {
  let me = null;
  try {
    me = await get('/auth/me');
  } catch {
    // nobody signed in
  }
  if (me) {
    const target = next();
    if (target) location.replace(target);
    else await home();
    return;
  }
  const form = document.getElementById('sign-in-form');
  const problem = document.getElementById('sign-in-problem');
  document.getElementById('sign-in').hidden = false;
  document.getElementById('username').focus();
  offerSingleSignOn();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    try {
      await post('/auth/login', new URLSearchParams(new FormData(form)));
      location.assign(next() || '/ui/');
    } catch (e) {
      showProblem(problem, e, form);
    }
  });
}

start();
