import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type Report } from '../../../src/core/metrics';
import { renderReportHtml, reportToJson, suggestBest } from '../../../src/core/report';
import { Rng } from '../../../src/core/random/rng';
import { loadData, shuffleColumns, split } from '../metrics/helpers';

let fresh: Report, shuffled: Report, copy: Report;

beforeAll(async () => {
  const { table, schema } = loadData('penguins.csv');
  const { train, holdout: rest } = split(table, 0.4, 1);
  const { train: holdout, holdout: other } = split(rest, 0.5, 2);
  const run = (synthetic: typeof train, label: string) =>
    evaluate({ train, holdout, synthetic, schema, target: 'species', label }, { rng: new Rng(1) });
  fresh = await run(other, 'fresh <sample>');
  shuffled = await run(shuffleColumns(train, 4), 'shuffled');
  copy = await run(train, 'copy');
});

describe('self-contained HTML export', () => {
  it('is one document with inline CSS and SVG, no script and no external asset', () => {
    const html = renderReportHtml(fresh);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Its own strict policy travels with the file: no script, no request, wherever it is opened.
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:/);
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThan(fresh.columns.length);
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    // Labels are escaped, so a column or file name cannot inject markup.
    expect(html).toContain('fresh &lt;sample&gt;');
    expect(html).not.toContain('fresh <sample>');
    // The scorecard, worst-first columns and the privacy table are there.
    expect(html).toContain(fresh.scorecard.fidelity.verdict);
    expect(html).toContain('Columns, worst first');
    expect(html).toContain('DCR share');
    expect(html).toContain('TSTR / TRTR');
  });
  it('lists a computed ε curve (refused points with their reason) and flags a target at chance', () => {
    const base = { synthesizer: 'bayesnet' as const, publicDomain: true, options: {}, fitSeed: 7, sampleSeed: 1007, metricSeed: 1, rows: 100, trainRows: 100, holdoutRows: 50, ceiling: 0.711 };
    const withCurve: Report = {
      ...fresh,
      epsilonCurve: {
        ...base, computedAt: 0, modelEpsilon: 1,
        points: [
          { epsilon: 0.25, twoWay: null, ceiling: null, refused: { message: 'Too small at ε = 0.25' }, seconds: 0 },
          { epsilon: 1, twoWay: 0.566, ceiling: 0.711, seconds: 1 },
          { epsilon: null, twoWay: 0.733, ceiling: 0.711, seconds: 1 },
        ],
      },
      utility: fresh.utility ? { ...fresh.utility, noSignal: true } : null,
    };
    const html = renderReportHtml(withCurve);
    expect(html).toContain('2-way accuracy against ε');
    expect(html).toContain('refused: Too small at ε = 0.25');
    expect(html).toMatch(/ε = 1 \(this model\)<\/td><td class="n">0\.566/);
    expect(html).toContain('∞ (no differential privacy)');
    expect(html).toContain('no better than chance');
    expect(renderReportHtml(fresh)).not.toContain('2-way accuracy against ε');
  });
  it('compares several reports side by side and suggests the best', () => {
    const html = renderReportHtml([shuffled, copy, fresh]);
    expect(html).toContain('<h2>Comparison</h2>');
    expect((html.match(/class="badge best"/g) ?? []).length).toBe(1);
    // The copy is closest to the ceiling but leaks; the column-shuffled table is far from it.
    expect(suggestBest([shuffled, copy, fresh])?.index).toBe(2);
    const sections = html.split('<section class="report">').length - 1;
    expect(sections).toBe(3);
  });
  it('JSON export round-trips and writes non-finite numbers as null', () => {
    expect(JSON.parse(reportToJson(fresh))).toEqual(fresh);
    const odd = { ...fresh, privacy: { ...fresh.privacy, dcr: { ...fresh.privacy.dcr, medianRandom: NaN } } };
    expect(JSON.parse(reportToJson(odd)).privacy.dcr.medianRandom).toBeNull();
    expect(JSON.parse(reportToJson([fresh, copy]))).toHaveLength(2);
  });
});
