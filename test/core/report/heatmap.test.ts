import { describe, expect, it } from 'vitest';
import { heatmap, HEATMAP_TEXT_MIN_CELL } from '../../../src/core/report/svg';

const matrix = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : ((i + j) % 5) / 5 - 0.4)));
const labels = (n: number) => Array.from({ length: n }, (_, i) => `col${i}`);

describe('report heatmap', () => {
  it('has a colour legend with the ends of its scale', () => {
    const div = heatmap(matrix(4), labels(4), 'diverging', 'real');
    expect(div).toContain('aria-label="Colour legend"');
    expect(div).toMatch(/>−1<[\s\S]*>0<[\s\S]*>\+1</);
    const seq = heatmap(matrix(4), labels(4), 'sequential', 'difference');
    expect(seq).toContain('aria-label="Colour legend"');
    expect(seq).toContain('|difference|');
  });

  it('prints values in the cells only where they fit; small cells keep them in hover titles', () => {
    const small = heatmap(matrix(4), labels(4), 'diverging', 'few columns');
    expect(small).toMatch(/class="v"[^>]*>0\.20</);
    expect(small).toContain('<title>col0 × col3: 0.20</title>');
    const big = heatmap(matrix(30), labels(30), 'diverging', 'many columns');
    expect(Math.floor(240 / 30)).toBeLessThan(HEATMAP_TEXT_MIN_CELL);
    expect(big).not.toContain('class="v"');
    expect(big).toContain('<title>col0 × col3: 0.20</title>');
  });
});

describe('report tables', () => {
  it('right-align numeric columns, headers included, with tabular figures', async () => {
    const { renderReportHtml } = await import('../../../src/core/report');
    const { evaluate } = await import('../../../src/core/metrics');
    const { Rng } = await import('../../../src/core/random/rng');
    const { loadData, split } = await import('../metrics/helpers');
    const { table, schema } = loadData('penguins.csv');
    const { train, holdout: rest } = split(table, 0.4, 1);
    const { train: holdout, holdout: other } = split(rest, 0.5, 2);
    const html = renderReportHtml(await evaluate({ train, holdout, synthetic: other, schema, target: 'species', label: 'p' }, { rng: new Rng(1) }));
    expect(html).toContain('td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}');
    expect(html).toContain('<th class="n">Synthetic</th><th class="n">Holdout (reference)</th>');
    expect(html).toContain('<th class="n">Trained on synthetic (TSTR)</th>');
  });
});
