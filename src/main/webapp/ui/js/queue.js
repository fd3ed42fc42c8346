// The review queue: the tasks the caller may work, most urgent first (the API's order), with the
// time left on each SLA; filters by queue, state and SLA; "claim next" takes the first free slot.
// Live: the server's task-change stream (/api/v1/reviews/events) says which tasks changed, and the
// page asks the API again for its first page, keeping the focus on the task it was on.
import { get, post } from './api.js';
import { REVIEWS, el, showProblem, signedIn, timeLeft, typing, when } from './ui.js';

const form = document.getElementById('filters');
const body = document.querySelector('#tasks tbody');
const problem = document.getElementById('problem');
const status = document.getElementById('status');
const more = document.getElementById('more');
const live = document.getElementById('live');
let next = null;
let shown = [];

function query(cursor) {
  const params = new URLSearchParams();
  const data = new FormData(form);
  for (const name of ['queue', 'state', 'overdue']) {
    const value = String(data.get(name) || '').trim();
    if (value) params.set(name, value);
  }
  if (data.get('mine')) params.set('mine', 'true');
  params.set('limit', '50');
  if (cursor) params.set('cursor', cursor);
  return '/api/v1/reviews?' + params;
}

function row(task) {
  const link = el('a', { href: '/ui/task.html?id=' + encodeURIComponent(task.id) }, task.id);
  return el(
    'tr',
    { 'data-task': task.id, class: task.overdue ? 'overdue' : false },
    el('td', {}, link, task.blind ? el('span', { class: 'tag' }, 'blind') : null),
    el('td', {}, task.queue),
    el('td', {}, task.state.replace('_', ' ')),
    el('td', {}, task.kind),
    el('td', {}, task.priority),
    el('td', {}, el('time', { datetime: task.deadline }, when(task.deadline))),
    el('td', { class: 'time-left' }, task.state === 'open' || task.state === 'adjudication' ? timeLeft(task.deadline) : '—'),
    el('td', {}, `${task.verdictsGiven} of ${task.reviewersNeeded}`),
    el('td', {}, task.freeSlots),
    el('td', {}, task.claimedByMe ? 'claimed' : ''),
  );
}

async function load(append) {
  problem.hidden = true;
  try {
    const page = await get(query(append ? next : null));
    shown = append ? shown.concat(page.items) : page.items;
    next = page.next || null;
    if (!append) body.replaceChildren();
    body.append(...page.items.map(row));
    more.hidden = !next;
    status.textContent = shown.length ? `${shown.length} task${shown.length === 1 ? '' : 's'}${next ? ' (more below)' : ''}` : 'No tasks match.';
    history.replaceState(null, '', '?' + new URLSearchParams(query(null).split('?')[1]));
    // How long the page took to show its tasks, for QueuePageBench (docs/performance.md).
    if (!append) performance.mark('arbiter:queue-shown');
  } catch (e) {
    showProblem(problem, e, form);
  }
}

/** Claims the first task shown that has a free slot; a task taken meanwhile (409) is skipped. */
async function claimNext() {
  problem.hidden = true;
  const candidates = shown.filter((t) => t.state === 'open' && (t.claimedByMe || t.freeSlots > 0));
  for (const task of candidates) {
    try {
      if (!task.claimedByMe) await post(`/api/v1/reviews/${encodeURIComponent(task.id)}/claim`);
      location.assign('/ui/task.html?id=' + encodeURIComponent(task.id));
      return;
    } catch (e) {
      if (e.status !== 409 && e.status !== 403) {
        showProblem(problem, e);
        return;
      }
    }
  }
  status.textContent = 'No task shown here has a free slot for you.';
}

// Changes come in bursts (a claim, then a verdict; a sweep's timeouts): one reload per burst.
let reloading = null;
function reloadSoon() {
  if (reloading) return;
  reloading = setTimeout(async () => {
    reloading = null;
    const focused = document.activeElement?.closest?.('tr[data-task]')?.dataset.task;
    await load(false);
    if (focused) {
      const link = body.querySelector(`tr[data-task="${CSS.escape(focused)}"] a`);
      if (link) link.focus();
    }
  }, 500);
}

function listen() {
  const events = new EventSource('/api/v1/reviews/events');
  const state = (name, text) => {
    live.dataset.live = name;
    live.textContent = 'Live updates: ' + text;
  };
  events.addEventListener('open', () => state('on', 'on'));
  events.addEventListener('review.task-changed', reloadSoon);
  // The browser reconnects by itself; a stream refused outright (429, 401) is closed for good.
  events.addEventListener('error', () =>
    state(events.readyState === EventSource.CLOSED ? 'off' : 'connecting',
      events.readyState === EventSource.CLOSED ? 'off (reload the page to retry)' : 'reconnecting'));
}

function move(step) {
  const links = [...body.querySelectorAll('a')];
  const at = links.indexOf(document.activeElement);
  const target = links[Math.min(links.length - 1, Math.max(0, at + step))];
  if (target) target.focus();
}

async function start() {
  await signedIn(REVIEWS);
  const params = new URLSearchParams(location.search);
  for (const name of ['queue', 'state', 'overdue']) {
    if (params.has(name)) form.elements[name].value = params.get(name);
  }
  form.elements.mine.checked = params.get('mine') === 'true';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load(false);
  });
  document.getElementById('claim-next').addEventListener('click', claimNext);
  more.addEventListener('click', () => load(true));
  document.addEventListener('keydown', (event) => {
    if (typing(event)) return;
    if (event.key === 'n') claimNext();
    else if (event.key === 'j') move(1);
    else if (event.key === 'k') move(-1);
    else if (event.key === '/') {
      event.preventDefault();
      form.elements.queue.focus();
    } else return;
  });
  await load(false);
  listen();
}

start();
