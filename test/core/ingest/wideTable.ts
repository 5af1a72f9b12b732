/**
 * A generated wide table, like a survey or genomics export: 5,000 columns × 60 rows by default, ten kinds of
 * column in turn (see WIDE_KINDS), one ID column first, and a repeated header name ("gene") on every tenth
 * column so that header renaming is exercised at scale. Used by the wide-table test and `npm run bench`.
 */
import { Rng } from '../../../src/core/random/rng';

/** What each column j ≥ 1 holds, by (j - 1) % 10. */
export const WIDE_KINDS = [
  'likert', // integer 1..5
  'expression', // float with 3 decimals, always written padded
  'answer', // categorical
  'yesno', // boolean
  'date', // YYYY-MM-DD
  'count-na', // integer with "NA" in some rows
  'gene', // integer counts under the repeated header "gene"
  'sex', // categorical with case variants ("Male", "male")
  'constant', // the same value in every row
  'empty', // blank in every row
] as const;

export type WideKind = (typeof WIDE_KINDS)[number];

const ANSWERS = ['Agree', 'Disagree', 'Neutral', 'Strongly agree', 'Strongly disagree'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function wideKind(j: number): WideKind | 'id' {
  return j === 0 ? 'id' : WIDE_KINDS[(j - 1) % WIDE_KINDS.length];
}

/** Header name of column j (before the reader renames repeats: gene, gene_2, gene_3, …). */
export function wideHeader(j: number): string {
  const kind = wideKind(j);
  return kind === 'id' ? 'respondent_id' : kind === 'gene' ? 'gene' : `q${j}_${kind}`;
}

/** The text of cell (row i, column j), as written in the file ('' = blank). */
export function wideCell(i: number, j: number, rng: Rng): string {
  switch (wideKind(j)) {
    case 'id':
      return `R${pad(i + 1, 4)}`;
    case 'likert':
      return String(1 + rng.int(5));
    case 'expression':
      return (rng.normal() * 3 + 10).toFixed(3);
    case 'answer':
      return ANSWERS[rng.int(ANSWERS.length)];
    case 'yesno':
      return rng.next() < 0.5 ? 'yes' : 'no';
    case 'date':
      return `20${pad(10 + rng.int(14))}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`;
    case 'count-na':
      return i % 7 === 3 ? 'NA' : String(rng.int(1000));
    case 'gene':
      return String(rng.int(100_000));
    case 'sex':
      return ['Male', 'Female', 'male', 'Female'][rng.int(4)];
    case 'constant':
      return 'v1';
    case 'empty':
      return '';
  }
}

/** The CSV text and its cells (cells[i][j], for checking what was read). */
export function wideCsv(columns = 5000, rows = 60, seed = 7): { text: string; cells: string[][] } {
  const rng = new Rng(seed);
  const cells: string[][] = [];
  const lines = [Array.from({ length: columns }, (_, j) => wideHeader(j)).join(',')];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: columns }, (_, j) => wideCell(i, j, rng));
    cells.push(row);
    lines.push(row.join(','));
  }
  return { text: lines.join('\n') + '\n', cells };
}
