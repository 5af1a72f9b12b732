import { describe, expect, it } from 'vitest';
import type { Schema } from '../../../src/core/schema/schema';
import { categoricalFromStrings, type Table } from '../../../src/core/table/table';
import { fewShotTexts } from '../../../src/core/text/fewShot';

/** Few-shot examples (the app's sample request and the CLI's --few-shot share this choice). */
describe('fewShotTexts', () => {
  const texts = Array.from({ length: 40 }, (_, i) => (i < 10 ? 'x' : i >= 35 ? 'a much longer text than the others, by far, with many words in it' : `ordinary text number ${i}`));
  const table: Table = { nRows: 41, columns: [categoricalFromStrings('notes', [...texts, null]), categoricalFromStrings('group', Array.from({ length: 41 }, () => 'a'))] };
  const schema = {
    columns: [
      { name: 'notes', kind: 'text', role: 'synthesize-text' },
      { name: 'group', kind: 'categorical', role: 'synthesize' },
    ],
  } as unknown as Schema;

  it('takes n texts of ordinary length (between the quartiles) per synthesize-text column, the same for the same seed', () => {
    const a = fewShotTexts(table, schema, 3, 7);
    expect(Object.keys(a)).toEqual(['notes']);
    expect(a.notes).toHaveLength(3);
    for (const t of a.notes) expect(t).toMatch(/^ordinary text number \d+$/);
    expect(fewShotTexts(table, schema, 3, 7)).toEqual(a);
  });

  it('takes none for n = 0', () => {
    expect(fewShotTexts(table, schema, 0, 7)).toEqual({ notes: [] });
  });
});
