/** Real-vs-synthetic distribution data for the per-column charts of the report. */
import type { AlignedColumn } from './align';
import type { CategoricalDistribution, NumericDistribution } from '../report/types';
import { maskedLabel, REPORT_MIN_COUNT, shownRange } from './disclosure';

const HISTOGRAM_BINS = 20;
const MAX_CATEGORIES = 12;

export function columnDistribution(c: AlignedColumn): NumericDistribution | CategoricalDistribution {
  if (c.kind === 'numeric') return histogram(c.train, c.synthetic);
  // Free text is never shown in a report, however often a value repeats: only its missing share.
  if (c.schemaKind === 'text') return freeText(c.train, c.synthetic);
  return categories(c.train, c.synthetic, c.levels);
}

function freeText(real: Int32Array, syn: Int32Array): CategoricalDistribution {
  const present = (codes: Int32Array) => (codes.length ? codes.reduce((n, k) => n + (k >= 0 ? 1 : 0), 0) / codes.length : 0);
  const r = present(real), s = present(syn);
  return { type: 'categories', labels: ['(free text, not shown)', '(missing)'], real: [r, 1 - r], synthetic: [s, 1 - s] };
}

function histogram(real: Float64Array, syn: Float64Array): NumericDistribution {
  // The chart's range stops at the k-th most extreme real values: an extreme held by fewer than k
  // rows is not printed as an edge; values beyond it fall in the end bins.
  const range = shownRange(real);
  let min = range?.lo ?? Infinity, max = range?.hi ?? -Infinity;
  if (!range) {
    for (const x of syn) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (min > max) return { type: 'histogram', edges: [0, 1], real: [0], synthetic: [0], missingReal: 1, missingSynthetic: 1 };
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => min + i * width);
  const count = (v: Float64Array) => {
    const h = new Array<number>(HISTOGRAM_BINS).fill(0);
    let present = 0;
    for (const x of v) {
      if (Number.isNaN(x)) continue;
      present++;
      h[Math.max(0, Math.min(HISTOGRAM_BINS - 1, Math.floor((x - min) / width)))]++;
    }
    return { shares: h.map((k) => (present ? k / present : 0)), missing: v.length ? 1 - present / v.length : 0 };
  };
  const r = count(real), s = count(syn);
  return { type: 'histogram', edges, real: r.shares, synthetic: s.shares, missingReal: r.missing, missingSynthetic: s.missing };
}

function categories(real: Int32Array, syn: Int32Array, levels: string[]): CategoricalDistribution {
  const n = levels.length;
  const share = (codes: Int32Array) => {
    const f = new Array<number>(n + 1).fill(0);
    for (const c of codes) f[c < 0 ? n : c]++;
    return f.map((k) => (codes.length ? k / codes.length : 0));
  };
  const fr = share(real), fs = share(syn);
  // A real category seen in fewer than k training rows is never named: it joins the masked group.
  const trainCount = new Array<number>(n).fill(0);
  for (const c of real) if (c >= 0) trainCount[c]++;
  // (A level absent from training and from the synthetic table is a holdout value: not shown either.)
  const unused = (i: number) => trainCount[i] === 0 && fs[i] === 0;
  const rare = (i: number) => trainCount[i] > 0 && trainCount[i] < REPORT_MIN_COUNT;
  // Most frequent real categories first; a synthetic-only label (e.g. a pooled rare label) by its own share.
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !rare(i) && !unused(i))
    .sort((a, b) => fr[b] - fr[a] || fs[b] - fs[a] || a - b);
  const shown = order.slice(0, MAX_CATEGORIES);
  const rest = order.slice(MAX_CATEGORIES);
  const masked = Array.from({ length: n }, (_, i) => i).filter(rare);
  const labels = shown.map((i) => levels[i]);
  const out: CategoricalDistribution = { type: 'categories', labels, real: shown.map((i) => fr[i]), synthetic: shown.map((i) => fs[i]) };
  if (rest.length) {
    out.labels.push(`(other ${rest.length})`);
    out.real.push(rest.reduce((s, i) => s + fr[i], 0));
    out.synthetic.push(rest.reduce((s, i) => s + fs[i], 0));
  }
  if (masked.length) {
    out.labels.push(maskedLabel(masked.length));
    out.real.push(masked.reduce((s, i) => s + fr[i], 0));
    out.synthetic.push(masked.reduce((s, i) => s + fs[i], 0));
  }
  if (fr[n] > 0 || fs[n] > 0) {
    out.labels.push('(missing)');
    out.real.push(fr[n]);
    out.synthetic.push(fs[n]);
  }
  return out;
}
