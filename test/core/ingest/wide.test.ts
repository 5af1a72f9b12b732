import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import type { IngestProgress } from '../../../src/core/ingest/types';
import { profileTable, type ProfileProgress } from '../../../src/core/profile/index';
import { rowValues, type CategoricalColumn, type NumericColumn } from '../../../src/core/table/table';
import { WIDE_KINDS, wideCsv, wideKind, type WideKind } from './wideTable';

const KIND_OF: Record<WideKind | 'id', string> = {
  id: 'id',
  likert: 'integer',
  expression: 'numeric',
  answer: 'categorical',
  yesno: 'boolean',
  date: 'datetime',
  'count-na': 'integer',
  gene: 'integer',
  sex: 'categorical',
  constant: 'categorical',
  empty: 'numeric', // no values: stays a (numeric) column of missing values
};

describe('a wide table: 5,000 columns × 60 rows (generated)', () => {
  const COLS = 5000;
  const ROWS = 60;
  const { text, cells } = wideCsv(COLS, ROWS);
  const columnsOf = (kind: WideKind) => Array.from({ length: COLS }, (_, j) => wideKind(j)).filter((k) => k === kind).length;

  it('ingests and profiles with every column, kind, value and finding right, reporting progress', async () => {
    const progress: IngestProgress[] = [];
    const r = await ingestBlob(new Blob([text]), { fileName: 'wide.csv' }, { onProgress: (p) => progress.push(p) });
    expect(r.table.nRows).toBe(ROWS);
    expect(r.table.columns).toHaveLength(COLS);

    // Names: the repeated "gene" header becomes gene, gene_2, gene_3, … in order.
    const names = r.table.columns.map((c) => c.name);
    expect(new Set(names).size).toBe(COLS);
    const genes = names.filter((n) => n === 'gene' || n.startsWith('gene_'));
    expect(genes).toHaveLength(columnsOf('gene'));
    expect(genes.slice(0, 3)).toEqual(['gene', 'gene_2', 'gene_3']);
    expect(genes.at(-1)).toBe(`gene_${columnsOf('gene')}`);
    expect(r.warnings.find((w) => w.code === 'duplicate-header')?.message).toMatch(new RegExp(`^${columnsOf('gene') - 1} header name\\(s\\)`));
    expect(r.warnings.find((w) => w.code === 'empty-columns')?.message).toMatch(new RegExp(`^${columnsOf('empty')} column\\(s\\)`));

    // Kinds and formats, column by column.
    r.schema.columns.forEach((c, j) => expect(`${j}:${c.kind}`).toBe(`${j}:${KIND_OF[wideKind(j)]}`));
    expect(r.schema.columns[2].format).toMatchObject({ decimals: 3, padded: true });
    expect(r.schema.columns[5].format?.datetime).toBe('YYYY-MM-DD');
    expect(r.schema.columns[6].format?.missing).toBe('NA');

    // Every cell reads back as written (numbers as numbers, dates as epoch ms, blanks and NA as missing).
    for (let i = 0; i < ROWS; i++) {
      const got = rowValues(r.table, i);
      for (let j = 0; j < COLS; j++) {
        const cell = cells[i][j];
        const kind = wideKind(j);
        const want = cell === '' || cell === 'NA' ? null : kind === 'date' ? Date.parse(`${cell}T00:00:00Z`) : ['likert', 'expression', 'count-na', 'gene'].includes(kind) ? Number(cell) : cell;
        if (got[j] !== want) expect({ row: i, column: j, got: got[j] }).toEqual({ row: i, column: j, got: want });
      }
    }
    expect((r.table.columns[0] as CategoricalColumn).levels.slice(0, 2)).toEqual(['R0001', 'R0002']);
    expect(Array.from((r.table.columns[6] as NumericColumn).values).filter(Number.isNaN)).toHaveLength(9);

    // Ingest progress: a preview, fractions that never go back, and the end.
    expect(progress.some((p) => p.preview !== undefined && p.preview.header.length === COLS)).toBe(true);
    expect(progress.every((p, k) => k === 0 || p.fraction >= progress[k - 1].fraction)).toBe(true);
    expect(progress.at(-1)?.fraction).toBe(1);

    const profileProgress: ProfileProgress[] = [];
    const profile = profileTable(r.table, r.schema, { onProgress: (p) => profileProgress.push(p) });
    expect(profile.nColumns).toBe(COLS);
    expect(profile.columns).toHaveLength(COLS);
    expect(profileProgress[0].fraction).toBe(0);
    expect(profileProgress.at(-1)).toMatchObject({ fraction: 1, columnsDone: COLS });
    expect(profileProgress.every((p, k) => k === 0 || p.fraction >= profileProgress[k - 1].fraction)).toBe(true);

    const count = (code: string) => profile.findings.filter((f) => f.code === code).length;
    expect(count('all-missing')).toBe(columnsOf('empty'));
    expect(count('constant')).toBe(columnsOf('constant'));
    expect(count('case-variants')).toBe(columnsOf('sex'));
    expect(count('duplicate-rows')).toBe(0);
    expect(profile.findings.find((f) => f.code === 'constant')).toMatchObject({ column: 'q9_constant', values: ['v1'] });
    const sex = profile.columns[8];
    expect(sex.topValues?.map((t) => t.value).sort()).toEqual(['Female', 'Male', 'male']);
    expect(sex.count).toBe(ROWS);
    const likert = profile.columns[1];
    expect(likert.numeric?.min).toBeGreaterThanOrEqual(1);
    expect(likert.numeric?.max).toBeLessThanOrEqual(5);
    expect(WIDE_KINDS).toHaveLength(10);
  });
});
