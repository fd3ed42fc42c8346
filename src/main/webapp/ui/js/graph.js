// Graphs drawn as plain SVG: a decision's provenance (from its JSON-LD) and lineage walks (from
// /api/v1/lineage). A few dozen nodes in layers by distance from the node the page is about; no
// library, so nothing beyond the workspace's own files is served. Every drawing comes with the
// same graph as a table of edges, for readers who cannot see it.
import { el } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const PROV = 'http://www.w3.org/ns/prov#';

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** The last segment of an IRI: what a person would call the thing. */
export function shortName(iri) {
  const parts = String(iri || '').split(/[/#:]/).filter(Boolean);
  const last = parts.at(-1) || String(iri);
  // A version says little alone: …/models/{name}/versions/{v} is "{name}/{v}".
  const named = /^(versions|v)$/.test(parts.at(-2) || '') && parts.length > 3 ? `${parts.at(-3)}/${last}` : last;
  try {
    return decodeURIComponent(named);
  } catch {
    return named;
  }
}

function asArray(value) {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Nodes and edges of a JSON-LD document, compacted with prefixes or expanded: each node object is
 * a node (its @type decides its PROV kind), each property whose value is a reference ({"@id"}) an
 * edge from the node to the referenced one. Literals stay out of the drawing.
 */
export function fromJsonLd(document) {
  const context = {};
  for (const c of asArray(document['@context'])) {
    if (c && typeof c === 'object') {
      for (const [k, v] of Object.entries(c)) if (typeof v === 'string') context[k] = v;
    }
  }
  const expand = (term) => {
    const at = typeof term === 'string' ? term.indexOf(':') : -1;
    if (at > 0 && context[term.slice(0, at)] && !term.startsWith('http')) return context[term.slice(0, at)] + term.slice(at + 1);
    return context[term] || term;
  };
  const objects = document['@graph'] ? asArray(document['@graph']) : asArray(document);
  const nodes = new Map();
  const edges = [];
  const node = (id) => {
    if (!nodes.has(id)) nodes.set(id, { id, label: shortName(id), kind: 'entity', types: [] });
    return nodes.get(id);
  };
  for (const object of objects) {
    if (!object || typeof object !== 'object' || !object['@id']) continue;
    const subject = node(expand(object['@id']));
    for (const type of asArray(object['@type'])) subject.types.push(expand(type));
    for (const [property, values] of Object.entries(object)) {
      if (property.startsWith('@')) continue;
      const predicate = expand(property);
      for (const value of asArray(values)) {
        if (value && typeof value === 'object' && value['@id'] && Object.keys(value).length === 1) {
          node(expand(value['@id']));
          edges.push({ from: subject.id, to: expand(value['@id']), label: shortName(predicate) });
        } else if (predicate === 'http://www.w3.org/2000/01/rdf-schema#label') {
          subject.label = String(value['@value'] ?? value);
        }
      }
    }
  }
  for (const n of nodes.values()) n.kind = kindOf(n.types);
  return { nodes: [...nodes.values()], edges };
}

function kindOf(types) {
  const local = types.map(shortName);
  if (types.some((t) => t === PROV + 'Agent' || t === PROV + 'Person' || t === PROV + 'SoftwareAgent') ||
    local.some((t) => /Agent|Person|Reviewer/.test(t))) return 'agent';
  if (types.includes(PROV + 'Activity') || local.some((t) => /Activity|Routing|Inference|Review|Submission|Settlement|Adjudication/.test(t))) return 'activity';
  return 'entity';
}

const INFLUENCES = ['Association', 'Attribution', 'Communication', 'Delegation', 'Derivation', 'End', 'Generation',
  'Influence', 'Invalidation', 'Quotation', 'PrimarySource', 'Revision', 'Start', 'Usage'].map((t) => PROV + t);

/**
 * The graph without PROV's qualified influences (a prov:Association, prov:Generation, … node that
 * only qualifies a relation): each becomes a direct edge from the node it qualifies to what it
 * points at, named for that relation (a routing's association with its policy becomes "hadPlan").
 */
export function withoutQualifiedInfluences(graph) {
  const hidden = new Set(graph.nodes.filter((n) => n.types?.some((t) => INFLUENCES.includes(t))).map((n) => n.id));
  const edges = graph.edges.filter((e) => !hidden.has(e.from) && !hidden.has(e.to));
  for (const into of graph.edges.filter((e) => hidden.has(e.to) && !hidden.has(e.from))) {
    for (const out of graph.edges.filter((e) => e.from === into.to && !hidden.has(e.to) && e.to !== into.from)) {
      edges.push({ from: into.from, to: out.to, label: out.label });
    }
  }
  return { nodes: graph.nodes.filter((n) => !hidden.has(n.id)), edges };
}

/** Lineage from the API ({nodes: [{iri, kind, label}], edges: [{from, to, relation}]}). */
export function fromLineage(lineage) {
  return {
    nodes: lineage.nodes.map((n) => ({ id: n.iri, label: n.label || shortName(n.iri), kind: provKind(n.kind), detail: n.kind })),
    edges: lineage.edges.map((e) => ({ from: e.from, to: e.to, label: shortName(e.relation) })),
  };
}

function provKind(kind) {
  if (/agent|person|reviewer/i.test(kind)) return 'agent';
  if (/activity|routing|inference|review|training/i.test(kind)) return 'activity';
  return 'entity';
}

/** Columns by the number of steps from `root`, either way along the edges. */
function layers(graph, root) {
  const next = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    next.get(e.from)?.push(e.to);
    next.get(e.to)?.push(e.from);
  }
  const depth = new Map([[root, 0]]);
  const queue = [root];
  while (queue.length) {
    const at = queue.shift();
    for (const n of next.get(at) || []) {
      if (!depth.has(n)) {
        depth.set(n, depth.get(at) + 1);
        queue.push(n);
      }
    }
  }
  const columns = [];
  for (const n of graph.nodes) {
    const d = depth.has(n.id) ? depth.get(n.id) : Math.max(0, ...depth.values()) + 1;
    (columns[d] = columns[d] || []).push(n);
  }
  // Fewer crossings: each node placed by the mean row of its neighbours in the column before.
  const placed = columns.filter(Boolean);
  for (let c = 1; c < placed.length; c++) {
    const row = new Map(placed[c - 1].map((n, i) => [n.id, i]));
    const mean = (n) => {
      const rows = (next.get(n.id) || []).filter((m) => row.has(m)).map((m) => row.get(m));
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
    };
    placed[c] = placed[c].map((n) => [mean(n), n]).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  }
  return placed;
}

const W = 170;
const H = 34;
const GAP_X = 90;
const GAP_Y = 22;

function clip(text, max = 24) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * Draws `graph` in layers from `root`; returns a figure with the drawing, a caption and the edges
 * as a table. Nodes are links to their IRIs when `link` gives one.
 */
export function drawing(graph, root, caption, link = () => null) {
  const columns = layers(graph, root);
  const at = new Map();
  columns.forEach((column, x) => column.forEach((n, y) => at.set(n.id, { x: 10 + x * (W + GAP_X), y: 10 + y * (H + GAP_Y) })));
  const width = 20 + columns.length * (W + GAP_X) - GAP_X + W / 2;
  const height = 20 + Math.max(...columns.map((c) => c.length)) * (H + GAP_Y) - GAP_Y;
  const lines = graph.edges.filter((e) => at.has(e.from) && at.has(e.to)).map((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    const y1 = a.y + H / 2;
    const y2 = b.y + H / 2;
    // Between columns: from one side to the other; within a column: a bend out to the right.
    const same = a.x === b.x;
    const [x1, x2] = same ? [a.x + W, b.x + W] : a.x < b.x ? [a.x + W, b.x] : [a.x, b.x + W];
    const bend = same ? W / 3 + Math.abs(y2 - y1) / 6 : (x2 - x1) / 2;
    const d = same
      ? `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 + bend} ${y2}, ${x2} ${y2}`
      : `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
    const lx = same ? x1 + bend * 0.75 : x1 + (x2 - x1) * 0.62;
    const ly = same ? (y1 + y2) / 2 : y1 + (y2 - y1) * 0.75 - 3;
    return svg('g', { class: 'edge' },
      svg('path', { d, 'marker-end': 'url(#arrow)' }),
      svg('text', { x: lx, y: ly, 'text-anchor': 'middle' }, e.label));
  });
  const boxes = graph.nodes.map((n) => {
    const p = at.get(n.id);
    const shape = n.kind === 'activity'
      ? svg('rect', { x: p.x, y: p.y, width: W, height: H })
      : n.kind === 'agent'
        ? svg('polygon', { points: `${p.x},${p.y + H} ${p.x},${p.y + 8} ${p.x + W / 2},${p.y} ${p.x + W},${p.y + 8} ${p.x + W},${p.y + H}` })
        : svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: 14 });
    const label = svg('text', { x: p.x + W / 2, y: p.y + H / 2 + 5, 'text-anchor': 'middle' }, clip(n.label));
    const title = svg('title', {}, `${n.label} (${n.detail || n.kind})\n${n.id}`);
    const group = svg('g', { class: `node ${n.kind}${n.id === root ? ' root' : ''}`, 'data-iri': n.id }, title, shape, label);
    const href = link(n.id);
    return href ? svg('a', { href }, group) : group;
  });
  // A picture, unless some of its nodes are links: an img's children are presentational, so links
  // inside one would be hidden from assistive technology (axe's nested-interactive); a group keeps
  // them reachable.
  const linked = boxes.some((b) => b.tagName === 'a');
  const drawing = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: linked ? 'group' : 'img', 'aria-label': caption, class: 'graph' },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))),
    ...lines, ...boxes);
  const names = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const table = el('table', { class: 'edges' },
    el('caption', {}, `${caption}: ${graph.nodes.length} nodes, ${graph.edges.length} relations`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'From'), el('th', { scope: 'col' }, 'Relation'), el('th', { scope: 'col' }, 'To'))),
    el('tbody', {}, graph.edges.map((e) => el('tr', {},
      el('td', { title: e.from }, names.get(e.from) || shortName(e.from)), el('td', {}, e.label),
      el('td', { title: e.to }, names.get(e.to) || shortName(e.to))))));
  return el('figure', { class: 'graph' },
    el('div', { class: 'graph-scroll', tabindex: '0', role: 'group', 'aria-label': `${caption} (scrolls)` }, drawing),
    el('p', { class: 'hint' }, 'Rounded: entities · square: activities · pointed: agents. Arrows point from a thing to what it depends on.'),
    el('details', {}, el('summary', {}, 'The same as a table'), table));
}
