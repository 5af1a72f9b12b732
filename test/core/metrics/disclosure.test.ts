import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/metrics';
import { reportToJson } from '../../../src/core/report';
import { Rng } from '../../../src/core/random/rng';
import { REPORT_MIN_COUNT, shownRange } from '../../../src/core/metrics/disclosure';
import { schemaOf, tableOfRows } from './helpers';

/** 200 patients: common diagnoses, one held by a single patient, one income far above the rest, unique notes. */
function patients(offset: number) {
  const rows = Array.from({ length: 200 }, (_, i) => {
    const id = i + offset;
    const diagnosis = id === 7 ? 'Fabry disease' : ['flu', 'asthma', 'diabetes', 'migraine'][id % 4];
    const income = id === 11 ? 9_876_543 : 20_000 + ((id * 7919) % 40_000);
    // Notes repeat (every 10th patient writes the same one): still never shown, being free text.
    return [diagnosis, income, id % 10 === 0 ? 'lives at Elm St' : `note about patient ${id}: lives at ${id} Elm St`];
  });
  return tableOfRows(['diagnosis', 'income', 'note'], rows);
}

describe('reports hold no rare real values', () => {
  it('masks a category seen fewer than k times, an extreme held by one row, and never includes free text', async () => {
    const schema = schemaOf(['diagnosis', 'income', 'note'], ['categorical', 'numeric', 'text']);
    const report = await evaluate({ train: patients(0), holdout: patients(1000), synthetic: patients(0), schema, target: 'diagnosis' }, { rng: new Rng(1) });
    const json = reportToJson(report);
    expect(json).not.toContain('Fabry');
    expect(json).not.toContain('9876543');
    expect(json).not.toContain('Elm St');
    expect(json).toContain('asthma'); // common values are fine
    expect(json).toMatch(/\(rare: \d+ categor/);
    expect(json).toContain('(free text, not shown)');
  });

  it('the range shown stops at the k-th most extreme value', () => {
    const v = Float64Array.from([5, 1, 100, 2, 3, 4, 6, 7, 8, 9, NaN, 1000]);
    expect(shownRange(v, REPORT_MIN_COUNT)).toEqual({ lo: 5, hi: 7 });
    expect(shownRange(Float64Array.from([1, 2]), 5)).toBeUndefined();
  });
});
