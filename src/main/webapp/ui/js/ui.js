// Small DOM helpers and the workspace's frame: the header with the pages the caller's roles open,
// and how problems are shown (title, detail, and each field at fault next to its field).
import { get, post, Problem } from './api.js';

/** Creates an element: el('td', {class: 'x'}, 'text', child, ...). Text is never parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** A table of an object's keys and values (nested values as JSON); null when it has none. */
export function table(caption, object) {
  const rows = Object.entries(object || {}).map(([key, value]) =>
    el('tr', {}, el('th', { scope: 'row' }, key), el('td', {}, typeof value === 'object' ? JSON.stringify(value) : String(value))),
  );
  return rows.length ? el('table', { class: 'pairs' }, el('caption', {}, caption), el('tbody', {}, rows)) : null;
}

/** A description list of [term, value] pairs; null entries are left out. */
export function facts(list) {
  return el('dl', { class: 'facts' }, list.filter(Boolean).map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

/** Pages of the workspace and the roles that open them. */
export const REVIEWS = ['reviewer', 'lead-reviewer'];
export const POLICIES = ['policy-author', 'policy-approver', 'auditor', 'admin'];
export const DASHBOARD = ['auditor', 'admin', 'lead-reviewer', 'policy-author', 'policy-approver'];
/** Who reads every decision, its receipt, replay and lineage (the API's roles for them). */
export const AUDITS = ['auditor', 'admin'];

const PAGES = [
  { href: '/ui/queue.html', label: 'Review queue', roles: REVIEWS },
  { href: '/ui/decisions.html', label: 'Decisions', roles: AUDITS },
  { href: '/ui/sparql.html', label: 'SPARQL', roles: AUDITS },
  { href: '/ui/policies.html', label: 'Policies', roles: POLICIES },
  { href: '/ui/drift.html', label: 'Drift', roles: POLICIES },
  { href: '/ui/dashboard.html', label: 'HITL dashboard', roles: DASHBOARD },
];

/**
 * Who is signed in ({user, roles}); sends anyone else to the sign-in page. With `roles`, a caller
 * holding none of them is told so (the API would refuse them anyway).
 */
export async function signedIn(roles) {
  let me;
  try {
    me = await get('/auth/me');
  } catch (e) {
    location.assign('/ui/?next=' + encodeURIComponent(location.pathname + location.search));
    throw e;
  }
  frame(me);
  if (roles && !roles.some((r) => me.roles.includes(r))) {
    const main = document.querySelector('main');
    main.replaceChildren(
      el('h1', {}, 'Not for your roles'),
      el('p', {}, 'This page is for ', roles.join(' and '), '. ', el('a', { href: '/ui/' }, 'Back to your pages')),
    );
    throw new Error('not for these roles');
  }
  return me;
}

function frame(me) {
  const header = document.querySelector('header');
  const links = PAGES.filter((p) => p.roles.some((r) => me.roles.includes(r))).map((p) =>
    el('li', {}, el('a', { href: p.href, 'aria-current': location.pathname === p.href ? 'page' : false }, p.label)),
  );
  header.replaceChildren(
    el('a', { class: 'brand', href: '/ui/' }, 'Arbiter'),
    el('nav', { 'aria-label': 'Workspace' }, el('ul', {}, links)),
    el(
      'div',
      { class: 'who' },
      el('span', { id: 'who' }, me.user),
      ' ',
      el('button', { type: 'button', id: 'sign-out', onclick: signOut }, 'Sign out'),
    ),
  );
}

/**
 * Ends the session; after a single sign-on the server also names the provider's end-session page,
 * which ends the provider's session and sends the browser back to the sign-in page.
 */
async function signOut() {
  let ended = null;
  try {
    ended = await post('/auth/logout');
  } finally {
    location.assign(ended && ended.endSession ? ended.endSession : '/ui/');
  }
}

/**
 * Shows a problem in `box` (a role=alert element): its title, its detail, the fields at fault; and
 * marks each named field of `form` (by its name) invalid, with the message beside it.
 */
export function showProblem(box, problem, form) {
  if (form) clearFieldErrors(form);
  const p = problem instanceof Problem ? problem : new Problem(0, { title: String(problem.message || problem) });
  const items = p.errors.map((e) => el('li', {}, el('code', {}, e.field), ': ', e.message));
  box.replaceChildren(
    el('strong', { class: 'problem-title' }, p.title),
    p.detail ? el('p', {}, p.detail) : null,
    items.length ? el('ul', { class: 'problem-fields' }, items) : null,
  );
  box.hidden = false;
  if (form) {
    let first = null;
    for (const e of p.errors) {
      const name = e.field.replace(/\[\d+\]$/, '');
      const field = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (!field) continue;
      const message = field.querySelector('.field-error');
      message.textContent = e.message;
      message.hidden = false;
      const input = field.querySelector('input, select, textarea');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first = first || input;
      }
    }
    (first || box).focus();
  }
}

export function clearFieldErrors(form) {
  for (const message of form.querySelectorAll('.field-error')) {
    message.textContent = '';
    message.hidden = true;
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** "3 h 12 min left" or "overdue by 5 min", from now to an ISO instant. */
export function timeLeft(deadline, now = Date.now()) {
  const ms = Date.parse(deadline) - now;
  const minutes = Math.round(Math.abs(ms) / 60000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return ms >= 0 ? `${text} left` : `overdue by ${text}`;
}

/** A date and time in the reader's locale. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** True when a keyboard shortcut should not fire: the user is typing into a field. */
export function typing(event) {
  const t = event.target;
  return event.ctrlKey || event.metaKey || event.altKey ||
    (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName)));
}

/** Policy versions by policy id, then newest first (versions compare as numbers where they are). */
export function byPolicyThenNewest(a, b) {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return b.version.localeCompare(a.version, undefined, { numeric: true });
}
