import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { profileTable, type Finding } from '../../../src/core/profile/index';
import { outlierFences } from '../../../src/core/profile/findings';
import { Rng } from '../../../src/core/random/rng';

const outliers = (fs: Finding[], column: string) => fs.find((f) => f.code === 'outliers' && f.column === column);

async function profileCsv(text: string) {
  const r = await ingestBlob(new Blob([text]), { fileName: 't.csv' });
  return { nRows: r.table.nRows, findings: profileTable(r.table, r.schema).findings };
}

describe('outlier findings', () => {
  it('flag at most ~2% of a skewed column (Seattle precipitation, where 1.5 × IQR flags 14%)', async () => {
    const text = readFileSync(new URL('../../../public/samples/seattle-weather.csv', import.meta.url), 'utf8');
    const { nRows, findings } = await profileCsv(text);
    expect((outliers(findings, 'precipitation')?.count ?? 0) / nRows).toBeLessThanOrEqual(0.02);
    // Symmetric columns keep the usual rule and are not flagged wholesale either.
    for (const c of ['temp_max', 'temp_min', 'wind']) expect((outliers(findings, c)?.count ?? 0) / nRows, c).toBeLessThanOrEqual(0.03);
  });

  it('flag few of a zero-inflated, heavy-tailed count column (retweets)', async () => {
    const rng = new Rng(3);
    const rows = ['retweets'];
    for (let i = 0; i < 3000; i++) {
      // A geometric count with mean 30 among the 60% of posts retweeted at all.
      rows.push(String(rng.next() < 0.4 ? 0 : Math.floor(-Math.log(1 - rng.next()) * 30)));
    }
    const { nRows, findings } = await profileCsv(rows.join('\n'));
    expect((outliers(findings, 'retweets')?.count ?? 0) / nRows).toBeLessThanOrEqual(0.02);
  });

  it('still flag a planted 1e9 in a normal column, and in a skewed one', async () => {
    const rng = new Rng(5);
    const rows = ['x,amount'];
    for (let i = 0; i < 1000; i++) {
      const u = 1 - rng.next(), v = rng.next();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      rows.push(i === 123 ? '1e9,1e9' : `${(50 + 10 * z).toFixed(2)},${Math.exp(3 + z).toFixed(2)}`);
    }
    const { nRows, findings } = await profileCsv(rows.join('\n'));
    for (const c of ['x', 'amount']) {
      const f = outliers(findings, c);
      expect(f?.rows, c).toContain(123);
      expect(f!.count / nRows, c).toBeLessThanOrEqual(0.02);
    }
  });

  it('offer "Clip" as a choice (a secondary action), never as the obvious repair', async () => {
    const rows = ['n'];
    for (let i = 0; i < 50; i++) rows.push(String(100 + (i % 7)));
    rows.push('100000');
    const f = outliers((await profileCsv(rows.join('\n'))).findings, 'n');
    expect(f?.fix?.type).toBe('clip');
    expect(f?.fixIsChoice).toBe(true);
    expect(f?.fixLabel).toMatch(/if they are errors/);
  });

  it('use the log scale only for non-negative, right-skewed columns', () => {
    expect(outlierFences(Float64Array.from([-3, -1, 0, 1, 2, 3, 4, 50]))?.log).toBe(false);
    expect(outlierFences(Float64Array.from([10, 11, 12, 13, 14, 15, 16, 17]))?.log).toBe(false);
    const skewed = outlierFences(Float64Array.from([0, 0, 0, 0, 0, 1, 2, 3, 5, 8, 13, 40]));
    expect(skewed?.log).toBe(true);
    expect(skewed?.lower).toBe(0);
  });
});
