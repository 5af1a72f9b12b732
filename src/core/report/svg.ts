/**
 * Tiny inline SVG charts for the report export, built as strings (no DOM, no script): they open
 * offline, print cleanly, and weigh a few hundred bytes each.
 */
import type { CategoricalDistribution, Histogram, NumericDistribution } from './types';
import { clip, dateTick, esc, tick } from './format';

export const REAL = '#94a3b8';
export const SYNTHETIC = '#2563eb';
export const HOLDOUT = '#94a3b8';

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();

function svg(w: number, h: number, body: string, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}

/**
 * Real shares as grey bars, synthetic shares as a blue step line on top. `datetime`: the edges are epoch
 * milliseconds, labelled as dates (with a middle label, since a date range is read by its span).
 */
export function histogramChart(d: NumericDistribution, name: string, datetime = false, noGrouping = false): string {
  const W = 300, H = 110, top = 6, bottom = 18, plotH = H - top - bottom;
  const max = Math.max(1e-12, ...d.real, ...d.synthetic);
  const bw = W / d.real.length;
  const y = (v: number) => top + plotH * (1 - v / max);
  let body = '';
  d.real.forEach((v, i) => {
    if (v > 0) body += `<rect x="${f1(i * bw + 0.5)}" y="${f1(y(v))}" width="${f1(bw - 1)}" height="${f1(top + plotH - y(v))}" fill="${REAL}"/>`;
  });
  let path = `M0 ${f1(y(0))}`;
  d.synthetic.forEach((v, i) => (path += ` L${f1(i * bw)} ${f1(y(v))} L${f1((i + 1) * bw)} ${f1(y(v))}`));
  path += ` L${W} ${f1(y(0))}`;
  body += `<path d="${path}" fill="none" stroke="${SYNTHETIC}" stroke-width="1.5"/>`;
  body += `<line x1="0" x2="${W}" y1="${top + plotH}" y2="${top + plotH}" stroke="#475569" stroke-width="0.5"/>`;
  const lo = d.edges[0], hi = d.edges[d.edges.length - 1];
  const label = (v: number) => (datetime ? dateTick(v, hi - lo) : tick(v, noGrouping));
  body += `<text x="0" y="${H - 4}" class="t">${esc(label(lo))}</text>`;
  if (datetime) body += `<text x="${W / 2}" y="${H - 4}" class="t" text-anchor="middle">${esc(label((lo + hi) / 2))}</text>`;
  body += `<text x="${W}" y="${H - 4}" class="t" text-anchor="end">${esc(label(hi))}</text>`;
  return svg(W, H, body, `Distribution of ${name}${datetime ? ` (${label(lo)} to ${label(hi)})` : ''}: real bars, synthetic line`);
}

/** One row per category: real share (grey) above synthetic share (blue). */
export function categoriesChart(d: CategoricalDistribution, name: string): string {
  const W = 300, rowH = 16, labelW = 110, barW = W - labelW - 40;
  const H = d.labels.length * rowH + 4;
  const max = Math.max(1e-12, ...d.real, ...d.synthetic);
  let body = '';
  d.labels.forEach((label, i) => {
    const y0 = i * rowH + 2;
    body += `<text x="${labelW - 4}" y="${y0 + 11}" class="t" text-anchor="end">${esc(clip(label, 18))}</text>`;
    body += `<rect x="${labelW}" y="${y0 + 1}" width="${f1((barW * d.real[i]) / max)}" height="6" fill="${REAL}"/>`;
    body += `<rect x="${labelW}" y="${y0 + 7}" width="${f1((barW * d.synthetic[i]) / max)}" height="6" fill="${SYNTHETIC}"/>`;
    body += `<text x="${W}" y="${y0 + 11}" class="t" text-anchor="end">${Math.round(100 * d.real[i])}/${Math.round(100 * d.synthetic[i])}</text>`;
  });
  return svg(W, H, body, `Categories of ${name}: real grey, synthetic blue (percent real/synthetic)`);
}

/** Diverging colour for r in [−1, 1] (red negative, blue positive); grey when undefined. */
function divergingColor(v: number | null): string {
  if (v === null) return '#f1f5f9';
  const t = Math.max(-1, Math.min(1, v));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * Math.abs(t));
  return t >= 0 ? `rgb(${mix(255, 37)},${mix(255, 99)},${mix(255, 235)})` : `rgb(${mix(255, 220)},${mix(255, 38)},${mix(255, 38)})`;
}

function sequentialColor(v: number | null): string {
  if (v === null) return '#f1f5f9';
  const t = Math.max(0, Math.min(1, v));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(255, 194)},${mix(255, 65)},${mix(255, 12)})`;
}

/** Cells at least this wide (px) print their value; smaller ones keep it in their hover title only. */
export const HEATMAP_TEXT_MIN_CELL = 24;

/**
 * A square matrix as coloured cells; column labels are the row labels' numbers to stay compact. Values
 * are printed in the cells only where they fit (cells of HEATMAP_TEXT_MIN_CELL px or more); every cell
 * has a hover title. A colour legend under the matrix gives the scale.
 */
export function heatmap(m: (number | null)[][], labels: string[], mode: 'diverging' | 'sequential', title: string): string {
  const n = labels.length, cell = Math.max(6, Math.min(28, Math.floor(240 / Math.max(1, n)))), labelW = 110;
  const legendH = 30;
  const W = Math.max(labelW + n * cell + 2, labelW + 150), H = n * cell + 16 + legendH;
  const color = (v: number | null) => (mode === 'diverging' ? divergingColor(v) : sequentialColor(v));
  const withText = cell >= HEATMAP_TEXT_MIN_CELL;
  let body = '';
  for (let i = 0; i < n; i++) {
    body += `<text x="${labelW - 4}" y="${i * cell + cell / 2 + 3}" class="t" text-anchor="end">${esc(clip(`${i + 1}. ${labels[i]}`, 20))}</text>`;
    for (let j = 0; j < n; j++) {
      const v = m[i][j];
      const tip = v === null ? 'n/a' : v.toFixed(2);
      body += `<rect x="${labelW + j * cell}" y="${i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${color(v)}"><title>${esc(`${labels[i]} × ${labels[j]}: ${tip}`)}</title></rect>`;
      if (withText && v !== null) {
        // Light text on the saturated ends of the scale, dark elsewhere.
        const ink = Math.abs(v) > 0.6 ? '#fff' : '#0f172a';
        body += `<text x="${f1(labelW + j * cell + (cell - 1) / 2)}" y="${f1(i * cell + (cell - 1) / 2 + 3)}" class="v" text-anchor="middle" font-size="8" fill="${ink}">${v.toFixed(2).replace('-', '−')}</text>`;
      }
    }
  }
  for (let j = 0; j < n; j += Math.ceil(n / 12)) {
    body += `<text x="${labelW + j * cell + cell / 2}" y="${n * cell + 11}" class="t" text-anchor="middle">${j + 1}</text>`;
  }
  // The colour legend: the scale in 20 steps, its ends and middle labelled.
  const lx = labelW, ly = n * cell + 20, lw = 140, steps = 20;
  const [lo, hi] = mode === 'diverging' ? [-1, 1] : [0, 1];
  let legend = '';
  for (let k = 0; k < steps; k++) {
    const v = lo + ((hi - lo) * (k + 0.5)) / steps;
    legend += `<rect x="${f1(lx + (lw * k) / steps)}" y="${ly}" width="${f1(lw / steps + 0.3)}" height="7" fill="${color(v)}"/>`;
  }
  const ends = mode === 'diverging' ? ['−1', '0', '+1'] : ['0', '0.5', '1'];
  legend += `<text x="${lx}" y="${ly + 17}" class="t">${ends[0]}</text><text x="${lx + lw / 2}" y="${ly + 17}" class="t" text-anchor="middle">${ends[1]}</text><text x="${lx + lw}" y="${ly + 17}" class="t" text-anchor="end">${ends[2]}</text>`;
  legend += `<text x="${lx - 4}" y="${ly + 7}" class="t" text-anchor="end">${mode === 'diverging' ? 'r / V' : '|difference|'}</text>`;
  body += `<g class="legend" aria-label="Colour legend">${legend}</g>`;
  return svg(W, H, body, title);
}

/** Two distance histograms as step lines over the same bins. */
export function dcrChart(train: Histogram, holdout: Histogram): string {
  const W = 320, H = 120, top = 6, bottom = 18, plotH = H - top - bottom;
  const max = Math.max(1, ...train.counts, ...holdout.counts);
  const bw = W / train.counts.length;
  const y = (v: number) => top + plotH * (1 - v / max);
  const line = (h: Histogram, color: string, dash: string) => {
    let p = `M0 ${f1(y(0))}`;
    h.counts.forEach((v, i) => (p += ` L${f1(i * bw)} ${f1(y(v))} L${f1((i + 1) * bw)} ${f1(y(v))}`));
    return `<path d="${p} L${W} ${f1(y(0))}" fill="none" stroke="${color}" stroke-width="1.5"${dash}/>`;
  };
  let body = line(holdout, HOLDOUT, ' stroke-dasharray="4 2"') + line(train, SYNTHETIC, '');
  body += `<line x1="0" x2="${W}" y1="${top + plotH}" y2="${top + plotH}" stroke="#475569" stroke-width="0.5"/>`;
  body += `<text x="0" y="${H - 4}" class="t">0</text><text x="${W}" y="${H - 4}" class="t" text-anchor="end">${esc(tick(train.edges[train.edges.length - 1]))}</text>`;
  return svg(W, H, body, 'Distance of synthetic rows to their closest training row (blue) and closest holdout row (grey, dashed)');
}

/** A 0..1 bar with a marker at the ceiling. */
export function meter(value: number | null, ceiling: number | null): string {
  const W = 120, H = 10;
  if (value === null) return '';
  let body = `<rect x="0" y="2" width="${W}" height="6" fill="#e2e8f0"/><rect x="0" y="2" width="${f1(W * Math.max(0, Math.min(1, value)))}" height="6" fill="${SYNTHETIC}"/>`;
  if (ceiling !== null) body += `<rect x="${f1(W * Math.max(0, Math.min(1, ceiling)) - 1)}" y="0" width="2" height="10" fill="#0f172a"/>`;
  return svg(W, H, body, ceiling === null ? `${value.toFixed(3)}` : `${value.toFixed(3)} against a ceiling of ${ceiling.toFixed(3)}`);
}
