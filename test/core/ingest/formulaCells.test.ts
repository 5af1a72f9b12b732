import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';

/** Import flags every text cell a spreadsheet would run as a formula, not only the =FUNC( shape. */
describe('formula-like cells', () => {
  it('flags cells starting with = + - @ tab or CR that are not numbers, with a count per column', async () => {
    const csv = [
      'note,handle,amount,plain',
      '=1+1,@ann,-3.5,a',
      '+44 20 7946 0000,@bob,+4,b',
      '-x,carl,12,c',
      '"\tpadded",dora,-0.5,d',
      '"\rback",@eve,7,e',
      '-3.5,fay,1e3,f',
      '=SUM(A1:A3),gus,2,g',
    ].join('\n');
    const r = await ingestBlob(new Blob([csv]), { fileName: 'f.csv' });
    const formula = r.warnings.filter((w) => w.code === 'formula-cells');
    expect(formula.map((w) => w.column)).toEqual(['note', 'handle']);
    expect(formula[0].message).toMatch(/^6 value\(s\) in "note"/); // every one but "-3.5", a number
    expect(formula[1].message).toMatch(/^3 value\(s\) in "handle"/);
    expect(formula[0].message).toMatch(/exports guard them by default/);
    expect(formula[0].message).toContain('"=1+1"');
  });
});
