import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random/rng';
import { evaluate } from '../../../src/core/metrics/evaluate';
import { renderReportHtml } from '../../../src/core/report/html';
import { loadSynthesizer } from '../../../src/core/synth/registry';
import { applySplit, splitHoldout } from '../../../src/core/table/split';
import { planted } from './planted';

describe('the report shows each rule with its share of obeying rows', () => {
  it('in training, holdout and synthetic rows, found and declared, in JSON and HTML', async () => {
    const { table, schema } = await planted(600);
    const s = { ...schema, rules: { declared: ['end >= start + 5'] } };
    const { train, holdout } = applySplit(table, splitHoldout(table.nRows, 0.2, 1));
    const model = await (await loadSynthesizer('cart')).fit(train, s, {}, { rng: new Rng(1) });
    const synthetic = await model.sample(train.nRows, { seed: 2 });
    const report = await evaluate({ train, holdout, synthetic, schema: s }, { rng: new Rng(3) });
    const byRule = new Map((report.rules ?? []).map((r) => [r.rule, r]));
    expect([...byRule.keys()]).toEqual(expect.arrayContaining(['end >= start + 5', 'fixed: city, country', 'end >= start', 'missing(chapter) == (death = 0)', 'total = a + b']));
    for (const r of byRule.values()) expect(r.synthetic).toBe(1);
    const declared = byRule.get('end >= start + 5')!;
    expect(declared.source).toBe('declared');
    // Not true of the real rows: the report shows how far they are from it.
    expect(declared.train!).toBeLessThan(1);
    expect(declared.holdout!).toBeLessThan(1);
    expect(byRule.get('fixed: city, country')).toMatchObject({ source: 'found', train: 1, holdout: 1 });
    const html = renderReportHtml(report);
    expect(html).toContain('<h2>Rules</h2>');
    expect(html).toContain('end &gt;= start + 5');
  });
});
