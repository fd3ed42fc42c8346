// The SPARQL editor: the audit query library (GET /api/v1/audit/queries) preloaded, each run with
// typed parameters through the API (values bound as RDF terms); any other query, or an edited one,
// runs at /sparql. Results as a table; the same results as CSV from the server (Accept: text/csv).
// The page's address names the library query and its parameters, so a decision page can link here.
import { call, get } from './api.js';
import { AUDITS, clearFieldErrors, el, showProblem, signedIn } from './ui.js';

const form = document.getElementById('editor');
const library = document.getElementById('library');
const text = document.getElementById('query');
const parameters = document.getElementById('parameters');
const problem = document.getElementById('problem');
const status = document.getElementById('status');
const results = document.getElementById('results');
const download = document.getElementById('download');
const RESULTS = 'application/sparql-results+json';
const GRAPHS = 'text/turtle';
let chosen = null;
let csvUrl = null;

const INPUTS = { dateTime: 'datetime-local', integer: 'number', decimal: 'number', boolean: 'checkbox' };

async function choose(name, given = new URLSearchParams()) {
  chosen = name ? await get('/api/v1/audit/queries/' + encodeURIComponent(name)) : null;
  document.getElementById('question').textContent = chosen ? chosen.question : '';
  if (chosen) text.value = chosen.sparql;
  parameters.hidden = !chosen?.parameters.length;
  parameters.replaceChildren(parameters.querySelector('legend'), ...(chosen?.parameters || []).map((p) => {
    const input = el('input', {
      id: 'p-' + p.name, name: p.name, type: INPUTS[p.type] || 'text', step: p.type === 'decimal' ? 'any' : p.type === 'dateTime' ? '1' : false,
      required: p.required, size: p.type === 'iri' ? 60 : false, 'aria-describedby': 'h-' + p.name,
    });
    if (given.has(p.name)) input.value = given.get(p.name);
    return el('div', { class: 'field', 'data-field': p.name },
      el('label', { for: 'p-' + p.name }, `${p.name} (${p.type}${p.required ? '' : ', optional'})`), input,
      el('p', { class: 'hint', id: 'h-' + p.name }, p.description || ''), el('span', { class: 'field-error', hidden: true }));
  }));
}

/** The library query's arguments, typed as the API wants them; empty optional ones left out. */
function argumentsOf() {
  const out = {};
  for (const p of chosen.parameters) {
    const input = form.elements[p.name];
    if (p.type === 'boolean') out[p.name] = input.checked;
    else if (input.value.trim() === '') continue;
    else if (p.type === 'integer' || p.type === 'decimal') out[p.name] = Number(input.value);
    else if (p.type === 'dateTime') out[p.name] = new Date(input.value).toISOString();
    else out[p.name] = input.value.trim();
  }
  return out;
}

/** Runs what the editor holds, asking for `accept`; resolves to the answer's text. */
function run(accept) {
  if (chosen && text.value === chosen.sparql) {
    return call('POST', '/api/v1/audit/queries/' + encodeURIComponent(chosen.name), argumentsOf(), { accept });
  }
  return call('POST', '/sparql', new URLSearchParams({ query: text.value }), { accept });
}

function cell(term) {
  if (!term) return el('td', {});
  return el('td', { title: term.datatype || term.type }, term.type === 'uri' ? el('code', {}, term.value) : term.value);
}

function show(answer) {
  let json = null;
  try {
    json = JSON.parse(answer);
  } catch {
    json = null;
  }
  if (json && typeof json.boolean === 'boolean') {
    results.replaceChildren(el('p', { id: 'ask' }, 'Answer: ', el('strong', {}, String(json.boolean))));
    status.textContent = 'ASK answered.';
  } else if (json?.head) {
    const vars = json.head.vars || [];
    const rows = json.results.bindings;
    results.replaceChildren(el('table', { id: 'result-table' },
      el('caption', { class: 'visually-hidden' }, 'Results'),
      el('thead', {}, el('tr', {}, vars.map((v) => el('th', { scope: 'col' }, v)))),
      el('tbody', {}, rows.map((b) => el('tr', {}, vars.map((v) => cell(b[v])))))));
    status.textContent = `${rows.length} row${rows.length === 1 ? '' : 's'}${chosen && text.value === chosen.sparql ? ` from library query ${chosen.name}` : ' from /sparql'}.`;
  } else {
    results.replaceChildren(el('pre', { id: 'graph-result', tabindex: '0', 'aria-label': 'The graph the query built, as Turtle' }, answer));
    status.textContent = 'A graph, as Turtle.';
  }
}

async function submit(event) {
  event?.preventDefault();
  problem.hidden = true;
  clearFieldErrors(form);
  status.textContent = 'Running…';
  try {
    show(await run(`${RESULTS}, ${GRAPHS};q=0.9`));
    history.replaceState(null, '', '?' + address());
  } catch (e) {
    status.textContent = '';
    showProblem(problem, e, form);
  }
}

/** The address: the library query and its parameters; a query of one's own is not kept there. */
function address() {
  const out = new URLSearchParams();
  if (chosen && text.value === chosen.sparql) {
    out.set('query', chosen.name);
    for (const p of chosen.parameters) if (form.elements[p.name].value) out.set(p.name, form.elements[p.name].value);
  }
  return out;
}

async function csv() {
  problem.hidden = true;
  clearFieldErrors(form);
  try {
    const body = await run('text/csv');
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(new Blob([body], { type: 'text/csv' }));
    const name = `${chosen && text.value === chosen.sparql ? chosen.name : 'results'}.csv`;
    const link = el('a', { href: csvUrl, download: name, id: 'csv-link' }, `${name} (${body.length} characters)`);
    download.replaceChildren('Download ', link, el('details', {}, el('summary', {}, 'Its first lines'),
      el('pre', { id: 'csv-preview', tabindex: '0' }, body.split('\n').slice(0, 6).join('\n'))));
    link.focus();
  } catch (e) {
    showProblem(problem, e, form);
  }
}

async function start() {
  await signedIn(AUDITS);
  try {
    const queries = await get('/api/v1/audit/queries');
    library.append(...queries.map((q) => el('option', { value: q.name }, `${q.name}: ${q.question}`)));
  } catch (e) {
    showProblem(problem, e);
  }
  const given = new URLSearchParams(location.search);
  if (given.get('query') && [...library.options].some((o) => o.value === given.get('query'))) {
    library.value = given.get('query');
    await choose(library.value, given);
  } else {
    text.value = 'PREFIX arb: <https://w3id.org/arbiter#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n\n' +
      'SELECT ?decision ?route WHERE {\n  ?decision a arb:Decision ; arb:routedBy/arb:route ?route .\n}\nLIMIT 20\n';
  }
  library.addEventListener('change', () => choose(library.value).catch((e) => showProblem(problem, e)));
  form.addEventListener('submit', submit);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  document.getElementById('csv').addEventListener('click', csv);
}

start();
