// One decision for an auditor: its facts, route, matched rule and evaluation trace; its reviews and
// the outcome that stands; a replay; its receipt verified in the browser (receipt.js); its
// provenance drawn from the JSON-LD the API serves, and the lineage explorer (graph.js).
import { get, post } from './api.js';
import { AUDITS, el, facts, showProblem, signedIn, table, when } from './ui.js';
import { drawing, fromJsonLd, fromLineage, shortName, withoutQualifiedInfluences } from './graph.js';
import { flipByte, verify } from './receipt.js';

const id = new URLSearchParams(location.search).get('id') || '';
const path = '/api/v1/decisions/' + encodeURIComponent(id);
const problem = document.getElementById('problem');
let decision;
let receipt;
let publishedKey;

/** Graph reads wait until the projection holds the decision (read-your-writes, docs/architecture.md). */
const projected = () => ({ headers: { 'Arbiter-Wait-For-Sequence': String(decision.sequence) } });

function ruleText(rule) {
  if (!rule) return '—';
  return rule.id ? `${rule.id} (${rule.kind})` : rule.kind;
}

function renderDecision() {
  const d = decision;
  document.getElementById('title').textContent = `Decision ${d.id}`;
  const review = d.review;
  const sections = [
    facts([
      ['Subject', d.subject],
      ['Model', `${d.model.name} ${d.model.version}`],
      ['Tenant', d.tenant || '—'],
      ['Submitted', `${when(d.submittedAt)} by ${d.submittedBy}`],
      ['Status', d.status.replace('_', ' ')],
      ['Ledger sequence', String(d.sequence)],
      ['IRI', el('code', {}, d.iri)],
      ['Audit queries', ['who-decided', 'decision-lineage'].map((q, i) => [i ? ' · ' : '',
        el('a', { href: `/ui/sparql.html?query=${q}&decision=${encodeURIComponent(d.iri)}` }, q)])],
    ]),
    el('h2', {}, 'Route'),
    facts([
      ['Route', el('strong', { id: 'route' }, d.route)],
      ['Matched rule', el('span', { id: 'rule' }, ruleText(d.rule))],
      ['Policy', d.policy ? `${d.policy.id} version ${d.policy.version}` : 'none governed the model'],
      review ? ['Review', `queue ${review.queue}, ${review.reviewers} reviewer(s), SLA ${review.sla}${review.blind ? ', blind' : ''}`] : null,
      d.failure ? ['Failed safe', d.failure] : null,
      d.drift ? ['Drift', d.drift.alarm ? 'alarm raised' : 'no alarm'] : null,
    ]),
    el('h2', {}, 'Facts'),
    table('Inputs', d.input),
    table('Context', d.context),
    d.output ? table("The model's output", { label: d.output.label, score: d.output.score, confidence: d.output.confidence }) : null,
    el('h2', {}, 'Evaluation trace'),
    d.trace?.length
      ? el('ol', { class: 'trace', id: 'trace' }, d.trace.map((s) =>
        el('li', { 'data-outcome': s.outcome }, `${s.kind} ${s.rule}: `, el('strong', {}, s.outcome), s.detail ? ` (${s.detail})` : '')))
      : el('p', {}, 'No condition was evaluated.'),
  ];
  document.getElementById('decision').replaceChildren(...sections.filter(Boolean));
}

function verdictRows(verdicts) {
  return el('table', { id: 'verdicts' },
    el('caption', {}, 'Verdicts'),
    el('thead', {}, el('tr', {}, ['Reviewer', 'Verdict', 'Reason code', 'Rules', 'Justification', 'Given'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, verdicts.map((v) => el('tr', {},
      el('td', {}, v.reviewer), el('td', {}, v.verdict), el('td', {}, v.reasonCode), el('td', {}, (v.rules || []).join(', ') || '—'),
      el('td', {}, v.justification || '—'), el('td', {}, when(v.at))))));
}

async function renderReviews() {
  const box = document.getElementById('reviews');
  const parts = [];
  if (decision.route === 'review') {
    try {
      const detail = await get('/api/v1/reviews/' + encodeURIComponent(decision.id));
      const t = detail.task;
      parts.push(facts([
        ['Task', `${t.state.replace('_', ' ')} in queue ${t.queue}, ${t.verdictsGiven} of ${t.reviewersNeeded} verdicts`],
        ['Deadline', when(t.deadline)],
      ]));
      parts.push(detail.verdicts.length ? verdictRows([...detail.verdicts, ...(detail.ruling ? [{ ...detail.ruling, reviewer: `${detail.ruling.reviewer} (ruling)` }] : [])])
        : el('p', {}, 'No verdict yet.'));
      if (detail.escalations?.length) {
        parts.push(el('ul', {}, detail.escalations.map((e) => el('li', {}, `escalated ${e.fromQueue} → ${e.toQueue}, ${when(e.at)}`))));
      }
    } catch (e) {
      parts.push(el('p', {}, e.status === 404 ? 'No review task.' : `The review could not be read: ${e.title}`));
    }
  } else {
    parts.push(el('p', {}, `Automated: the policy routed it to ${decision.route}; no human reviewed it.`));
  }
  const r = decision.resolution;
  parts.push(el('h3', {}, 'Outcome'), r
    ? facts([['Outcome', el('strong', { id: 'outcome' }, r.outcome)], ['Basis', r.basis], ['Fail-safe', r.failSafe ? 'yes' : 'no'],
      ['Overrides the model', r.overridesRecommendation ? 'yes' : 'no'], ['Settled', when(r.at)]])
    : el('p', { id: 'outcome' }, decision.status === 'pending_review' ? 'Pending review.' : `The policy's route stands: ${decision.route}.`));
  box.replaceChildren(...parts);
}

async function replay() {
  const out = document.getElementById('replay-result');
  const box = document.getElementById('replay-problem');
  box.hidden = true;
  out.replaceChildren(el('p', { class: 'hint' }, 'Replaying…'));
  try {
    const r = await post(path + '/replay');
    out.replaceChildren(
      el('p', { id: 'replay-verdict', class: r.matches ? 'ok' : 'bad' },
        el('strong', {}, r.matches ? 'Matches the recording' : 'Differs from the recording'),
        `: recorded ${r.recorded.route} by ${ruleText(r.recorded.rule)}, replayed ${r.replayed.route} by ${ruleText(r.replayed.rule)}`,
        r.policy ? ` (policy ${r.policy.id} version ${r.policy.version})` : ''),
      r.differences?.length ? el('ul', {}, r.differences.map((d) => el('li', {}, d))) : null,
    );
  } catch (e) {
    out.replaceChildren();
    showProblem(box, e);
  }
}

const MARK = { true: '✓ passed', false: '✗ failed', null: '– not checked' };

/** Verifies a receipt (the real one, or a tampered copy) and shows each step. */
async function showVerification(copy, note) {
  const steps = await verify(copy, publishedKey, decision.iri);
  const ok = steps.every((s) => s.ok === true);
  document.getElementById('receipt').replaceChildren(
    ...(note ? [el('p', { class: 'hint', id: 'tampered' }, note)] : []),
    el('ol', { class: 'steps', id: 'receipt-steps' }, steps.map((s) =>
      el('li', { 'data-step': s.id, 'data-ok': String(s.ok), class: s.ok === true ? 'ok' : s.ok === false ? 'bad' : 'skipped' },
        el('strong', {}, `${MARK[s.ok]}: `), s.title, el('br'), el('span', { class: 'detail' }, s.detail)))),
    el('p', { id: 'receipt-verdict', class: ok ? 'ok' : 'bad' }, el('strong', {},
      ok ? `Verified: decision ${decision.id} is entry ${copy.entries[0].seq} of the signed log.` : 'Not verified.')),
  );
}

async function checkReceipt() {
  const box = document.getElementById('receipt-problem');
  box.hidden = true;
  try {
    [receipt, publishedKey] = await Promise.all([get(path + '/receipt'), get('/api/v1/ledger/key')]);
    await showVerification(receipt);
  } catch (e) {
    document.getElementById('receipt').replaceChildren();
    showProblem(box, e);
  }
}

/** The one character that differs between two strings of the same length, as "'a' → 'b'". */
function change(before, after) {
  const at = [...before].findIndex((c, i) => c !== [...after][i]);
  return at < 0 ? 'no change' : `'${[...before][at]}' → '${[...after][at]}'`;
}

function tampered(part) {
  if (!receipt) return;
  const copy = structuredClone(receipt);
  let note;
  if (part === 'entry') {
    const entry = copy.entries[0];
    const at = Math.floor(new TextEncoder().encode(entry.canonical).length / 2);
    const before = entry.canonical;
    entry.canonical = flipByte(before, at);
    note = `Tampered example: byte ${at} of entry ${entry.seq} flipped (${change(before, entry.canonical)}); the proofs and the checkpoint are the server's.`;
  } else {
    const before = copy.checkpoint;
    const at = before.indexOf('\n', before.indexOf('\n') + 1) + 1;
    copy.checkpoint = flipByte(before, at);
    note = `Tampered example: byte ${at} of the checkpoint note, the first of its root, flipped (${change(before, copy.checkpoint)}).`;
  }
  showVerification(copy, note);
}

async function showProvenance() {
  const box = document.getElementById('provenance');
  const links = el('p', {}, 'The PROV-O bundles about this decision: ',
    ['text/turtle', 'application/ld+json', 'application/n-triples', 'application/trig'].map((type, i) =>
      [i ? ' · ' : '', el('button', { type: 'button', class: 'link', 'data-type': type, onclick: () => showText(type) }, type.split('/')[1])]),
    '.');
  try {
    const jsonLd = JSON.parse(await get(path + '/provenance', { accept: 'application/ld+json', ...projected() }));
    const full = fromJsonLd(jsonLd);
    const figure = el('div', {});
    const draw = (qualified) => figure.replaceChildren(
      drawing(qualified ? full : withoutQualifiedInfluences(full), decision.iri, `Provenance of decision ${decision.id}`, link));
    const toggle = el('input', { type: 'checkbox', id: 'qualified', onchange: (e) => draw(e.target.checked) });
    draw(false);
    box.replaceChildren(links,
      el('div', { class: 'field checkbox' }, toggle, el('label', { for: 'qualified' }, "Show PROV's qualified influences (associations, generations, … as nodes)")),
      figure, el('pre', { id: 'provenance-text', hidden: true }));
  } catch (e) {
    box.replaceChildren(links);
    showProblem(document.getElementById('provenance-problem'), e);
  }
}

async function showText(type) {
  const pre = document.getElementById('provenance-text');
  try {
    pre.textContent = await get(path + '/provenance', { accept: type, ...projected() });
    pre.hidden = false;
    pre.setAttribute('tabindex', '0');
    pre.setAttribute('aria-label', `Provenance as ${type}`);
  } catch (e) {
    showProblem(document.getElementById('provenance-problem'), e);
  }
}

/** Decisions link to their page; other nodes to nothing (their IRIs are in the node's title). */
function link(iri) {
  const match = /\/id\/decisions\/([^/#]+)$/.exec(iri);
  return match && match[1] !== decision.id ? '/ui/decision.html?id=' + encodeURIComponent(match[1]) : null;
}

async function walk(event) {
  event?.preventDefault();
  const form = document.getElementById('lineage-form');
  const box = document.getElementById('lineage-problem');
  const out = document.getElementById('lineage');
  box.hidden = true;
  const data = new FormData(form);
  const query = new URLSearchParams({ node: String(data.get('node')), direction: String(data.get('direction')), depth: String(data.get('depth')), limit: '200' });
  try {
    const lineage = await get('/api/v1/lineage?' + query, projected());
    const graph = fromLineage(lineage);
    const rows = lineage.nodes.map((n) => el('tr', { 'data-iri': n.iri },
      el('td', {}, n.kind), el('td', {}, n.label || shortName(n.iri)), el('td', {}, el('code', {}, n.iri)),
      el('td', {}, n.iri === lineage.node ? 'the start' : el('button', { type: 'button', class: 'link', onclick: () => { form.elements.node.value = n.iri; walk(); } }, 'walk from here'))));
    out.replaceChildren(
      el('p', { id: 'lineage-summary' }, `${lineage.nodes.length} nodes, ${lineage.edges.length} relations ${lineage.direction} of ${shortName(lineage.node)} within ${lineage.depth} steps${lineage.truncated ? ' (cut short)' : ''}.`),
      drawing(graph, lineage.node, `Lineage ${lineage.direction} of ${shortName(lineage.node)}`, link),
      el('table', { id: 'lineage-nodes' }, el('caption', {}, 'Nodes'),
        el('thead', {}, el('tr', {}, ['Kind', 'Name', 'IRI', 'Explore'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows)),
    );
  } catch (e) {
    out.replaceChildren();
    showProblem(box, e, form);
  }
}

async function start() {
  await signedIn(AUDITS);
  try {
    decision = await get(path);
  } catch (e) {
    showProblem(problem, e);
    return;
  }
  renderDecision();
  // How long the page took to show the decision, for the IT's figure (docs/performance.md).
  performance.mark('arbiter:decision-shown');
  document.getElementById('replay').addEventListener('click', replay);
  document.getElementById('verify-again').addEventListener('click', () => receipt && showVerification(receipt));
  document.getElementById('tamper-entry').addEventListener('click', () => tampered('entry'));
  document.getElementById('tamper-checkpoint').addEventListener('click', () => tampered('checkpoint'));
  const form = document.getElementById('lineage-form');
  form.elements.node.value = decision.iri;
  form.addEventListener('submit', walk);
  await Promise.allSettled([renderReviews(), checkReceipt(), showProvenance(), walk()]);
  performance.mark('arbiter:decision-complete');
}

start();
