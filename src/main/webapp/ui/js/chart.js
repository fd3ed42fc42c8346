// A line chart of daily rates as SVG, drawn by hand (no library, nothing inline that the pages' CSP
// would refuse), with the same figures in a table beside it: the chart is for the eye, the table for
// every reader (a screen reader reads the table; the SVG is hidden from it).

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 10, bottom: 28 };

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** A percentage with one decimal, or "—" when there was nothing to measure (null). */
export function percent(rate) {
  return rate === null || rate === undefined ? '—' : (rate * 100).toFixed(1) + ' %';
}

/**
 * An SVG of `points` ([{label, value}], value a rate in [0, 1] or null for a gap), from 0 to 100 %.
 */
export function lineChart(points) {
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (points.length - 1));
  const y = (v) => PAD.top + plotHeight * (1 - v);
  for (const tick of [0, 0.5, 1]) {
    chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    const text = svg('text', { x: PAD.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'tick' });
    text.textContent = tick * 100 + ' %';
    chart.append(text);
  }
  // A gap (null) breaks the line: a day without decisions has no rate, not a rate of zero.
  let path = '';
  let drawing = false;
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
    drawing = true;
    chart.append(svg('circle', { cx: x(i), cy: y(p.value), r: 2.5, class: 'point' }));
  });
  if (path) chart.append(svg('path', { d: path.trim(), class: 'line' }));
  for (const i of [0, points.length - 1]) {
    if (!points[i]) continue;
    const text = svg('text', { x: x(i), y: HEIGHT - 8, 'text-anchor': i === 0 ? 'start' : 'end', class: 'tick' });
    text.textContent = points[i].label;
    chart.append(text);
  }
  return chart;
}

/** A share as a percentage with one decimal ("—" for null), as percent() but named for shares. */
export const share = percent;

/**
 * An SVG of grouped bars: for each of `groups` ([{label, values: [v0, v1, …]}], each value a share
 * in [0, 1] or null), one bar per series, side by side; `series` ([{name, kind}]) gives each bar's
 * class (`bar-<kind>`), so that series differ by fill and outline, not by colour alone. The scale
 * runs from 0 to the largest value (at least 10 %); labels are shown for at most a dozen groups.
 */
export function barChart(groups, series) {
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart bars', 'aria-hidden': 'true', focusable: 'false' });
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const values = groups.flatMap((g) => g.values).filter((v) => v !== null && v !== undefined);
  const top = Math.min(1, Math.max(0.1, ...values));
  const y = (v) => PAD.top + plotHeight * (1 - v / top);
  for (const tick of [0, top / 2, top]) {
    chart.append(svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    const text = svg('text', { x: PAD.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'tick' });
    text.textContent = Math.round(tick * 100) + ' %';
    chart.append(text);
  }
  const slot = plotWidth / Math.max(1, groups.length);
  const bar = (slot * 0.8) / Math.max(1, series.length);
  groups.forEach((g, i) => {
    const left = PAD.left + i * slot + slot * 0.1;
    g.values.forEach((v, s) => {
      if (v === null || v === undefined) return;
      const height = Math.max(0, y(0) - y(v));
      chart.append(svg('rect', {
        x: (left + s * bar).toFixed(1), y: (y(0) - height).toFixed(1), width: Math.max(1, bar - 1).toFixed(1),
        height: height.toFixed(1), class: 'bar bar-' + series[s].kind,
      }));
    });
    if (groups.length <= 12) {
      const text = svg('text', { x: (PAD.left + (i + 0.5) * slot).toFixed(1), y: HEIGHT - 8, 'text-anchor': 'middle', class: 'tick' });
      text.textContent = g.label.length > 14 ? g.label.slice(0, 13) + '…' : g.label;
      chart.append(text);
    }
  });
  return chart;
}
