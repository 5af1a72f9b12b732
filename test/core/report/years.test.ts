import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { evaluate } from '../../../src/core/metrics';
import { renderReportHtml } from '../../../src/core/report';
import { tick } from '../../../src/core/report/format';
import { histogramChart } from '../../../src/core/report/svg';
import { Rng } from '../../../src/core/random/rng';
import { DATA_DIR } from '../../fixtures/dataDir';
import { split } from '../metrics/helpers';

describe('years in the report', () => {
  it('tick and histogram labels leave out the thousands separator for years only', () => {
    expect(tick(2007, true)).toBe('2007');
    expect(tick(2007)).toBe('2,007');
    const d = { type: 'histogram' as const, edges: [2000, 2005, 2010, 2015], real: [0.3, 0.3, 0.4], synthetic: [0.3, 0.4, 0.3], missingReal: 0, missingSynthetic: 0 };
    expect(histogramChart(d, 'year', false, true)).toContain('>2000<');
    expect(histogramChart(d, 'year')).toContain('>2,000<');
  });

  it('a year column of txhousing is flagged noGrouping and printed so in the exported HTML', async () => {
    const text = readFileSync(path.join(DATA_DIR, 'txhousing.csv'), 'utf8');
    const r = await ingestBlob(new Blob([text]), { fileName: 'txhousing.csv' });
    const { train, holdout: rest } = split(r.table, 0.4, 1);
    const { train: holdout, holdout: other } = split(rest, 0.5, 2);
    const report = await evaluate({ train, holdout, synthetic: other, schema: r.schema, label: 'tx' }, { rng: new Rng(1) });
    expect(report.fidelity.columns.find((c) => c.name === 'year')?.noGrouping).toBe(true);
    expect(report.fidelity.columns.find((c) => c.name === 'sales')?.noGrouping).toBeUndefined();
    const html = renderReportHtml(report);
    const chart = html.match(/<svg[^>]*aria-label="Distribution of year[^"]*"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(chart).toMatch(/>20\d\d</);
    expect(chart).not.toMatch(/>2,0\d\d</);
  });
});
