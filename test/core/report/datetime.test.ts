import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { evaluate } from '../../../src/core/metrics';
import { renderReportHtml } from '../../../src/core/report';
import { histogramChart } from '../../../src/core/report/svg';
import { Rng } from '../../../src/core/random/rng';
import { split } from '../metrics/helpers';

describe('datetime columns in the report', () => {
  it('label a histogram of epoch milliseconds with dates, not 1.3e+12', () => {
    const lo = Date.UTC(2012, 0, 1), hi = Date.UTC(2015, 11, 31);
    const edges = Array.from({ length: 5 }, (_, i) => lo + ((hi - lo) * i) / 4);
    const d = { type: 'histogram' as const, edges, real: [0.25, 0.25, 0.25, 0.25], synthetic: [0.2, 0.3, 0.2, 0.3], missingReal: 0, missingSynthetic: 0 };
    const svg = histogramChart(d, 'date', true);
    expect(svg).toContain('>2012-01-01<');
    expect(svg).toContain('>2015-12-31<');
    expect(svg).not.toMatch(/e\+1\d/);
    // Numbers stay numbers.
    expect(histogramChart(d, 'x')).toMatch(/e\+12/);
  });

  it('flags the datetime column in the fidelity section and prints dates in the exported HTML', async () => {
    const text = readFileSync(new URL('../../../public/samples/seattle-weather.csv', import.meta.url), 'utf8');
    const r = await ingestBlob(new Blob([text]), { fileName: 'seattle-weather.csv' });
    expect(r.schema.columns.find((c) => c.name === 'date')?.kind).toBe('datetime');
    const { train, holdout: rest } = split(r.table, 0.4, 1);
    const { train: holdout, holdout: other } = split(rest, 0.5, 2);
    const report = await evaluate({ train, holdout, synthetic: other, schema: r.schema, label: 'weather' }, { rng: new Rng(1) });
    const date = report.fidelity.columns.find((c) => c.name === 'date');
    expect(date?.datetime).toBe(true);
    expect(report.fidelity.columns.find((c) => c.name === 'wind')?.datetime).toBeUndefined();
    const html = renderReportHtml(report);
    const chart = html.match(/<svg[^>]*aria-label="Distribution of date[^"]*"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(chart).toMatch(/>201\d-\d\d-\d\d</);
    expect(html).not.toMatch(/\d\.\de\+12/);
  });
});
