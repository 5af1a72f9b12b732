/**
 * The subject key of a table where one subject has several rows (a patient's two events in a trial, a
 * customer's orders): a key-named column whose values repeat in small groups. A holdout drawn row by row
 * would leave each held-out row's siblings in training, so the "fresh" holdout would hold near-twins of
 * training rows, and the holdout ceiling, train-on-real scores and the privacy comparison would measure
 * recall of known subjects instead of a new sample. Such tables are split by whole subjects.
 */
import { idName } from '../schema/infer';
import type { Schema } from '../schema/schema';
import type { Table } from './table';

export interface GroupKey {
  column: string;
  /** Group index per row (a row with no key is a group of its own). */
  groups: Int32Array;
  /** Rows per group. */
  sizes: Int32Array;
}

/** Fewest subjects for a grouped split to mean anything. */
const MIN_GROUPS = 10;
/** Share of rows that must share their key with another row (else the key is unique, or nearly). */
const MIN_REPEATED_SHARE = 0.5;
/** Largest share of the rows one subject may hold (a bigger "group" is a category, such as a site). */
const MAX_GROUP_SHARE = 0.05;
/** Most rows without a key. */
const MAX_MISSING_SHARE = 0.01;

export function findGroupKey(table: Table, schema: Schema): GroupKey | null {
  for (const s of schema.columns) {
    if (s.kind !== 'id' && !idName(s.name)) continue;
    const c = table.columns.find((x) => x.name === s.name);
    if (!c) continue;
    const { groups, nGroups, missing } = groupIndex(c.type === 'categorical' ? c.codes : c.values, c.type === 'categorical');
    const sizes = new Int32Array(nGroups);
    for (let i = 0; i < groups.length; i++) sizes[groups[i]]++;
    if (accept(sizes, missing, table.nRows)) return { column: s.name, groups, sizes };
  }
  return null;
}

function groupIndex(values: Int32Array | Float64Array, coded: boolean): { groups: Int32Array; nGroups: number; missing: number } {
  const ids = new Map<number, number>();
  const groups = new Int32Array(values.length);
  let next = 0, missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (coded ? v < 0 : Number.isNaN(v)) {
      missing++;
      groups[i] = next++;
      continue;
    }
    let g = ids.get(v);
    if (g === undefined) ids.set(v, (g = next++));
    groups[i] = g;
  }
  return { groups, nGroups: next, missing };
}

function accept(sizes: Int32Array, missing: number, nRows: number): boolean {
  if (nRows === 0 || missing > MAX_MISSING_SHARE * nRows) return false;
  let repeated = 0, largest = 0;
  for (const n of sizes) {
    if (n > 1) repeated += n;
    if (n > largest) largest = n;
  }
  return sizes.length >= MIN_GROUPS && repeated >= MIN_REPEATED_SHARE * nRows && largest <= Math.max(2, MAX_GROUP_SHARE * nRows);
}

/** What the report says about a split by subjects (the CLI prints it too). */
export function groupedHoldoutNote(column: string): string {
  return `The holdout holds whole subjects of "${column}": each value of "${column}" has all its rows on one side, so the holdout is a sample of new subjects, not new rows of subjects seen in training.`;
}
