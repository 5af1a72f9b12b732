/** Validity checks: values inside the real bounds, categories seen in training, unique keys, same columns. */
import type { AlignedTables } from './align';
import type { ColumnDiagnostic, Diagnostics } from '../report/types';
import type { Column } from '../table/table';
import { shownRange } from './disclosure';

export function diagnostics(a: AlignedTables): Diagnostics {
  const boundaries: ColumnDiagnostic[] = [];
  const categories: ColumnDiagnostic[] = [];
  const absent = new Set(a.missingInSynthetic);
  for (const c of a.columns) {
    if (absent.has(c.name)) continue;
    if (c.kind === 'numeric') {
      let inside = 0, present = 0;
      for (const x of c.synthetic) {
        if (Number.isNaN(x)) continue;
        present++;
        if (x >= c.min && x <= c.max) inside++;
      }
      // The score uses the true bounds; the range printed stops at the k-th most extreme real values.
      const range = shownRange(c.train);
      boundaries.push({ name: c.name, score: present ? inside / present : 1, ...(range ? { min: range.lo, max: range.hi } : {}) });
    } else {
      let seen = 0, present = 0;
      const unseen = new Set<number>();
      for (const k of c.synthetic) {
        if (k < 0) continue;
        present++;
        if (k < c.nTrainLevels) seen++;
        else unseen.add(k);
      }
      const d: ColumnDiagnostic = { name: c.name, score: present ? seen / present : 1 };
      if (unseen.size) d.unseen = [...unseen].slice(0, 10).map((k) => c.levels[k]);
      categories.push(d);
    }
  }
  const mean = (xs: ColumnDiagnostic[]) => (xs.length ? xs.reduce((s, d) => s + d.score, 0) / xs.length : null);
  const expected = a.columns.length + a.keyColumns.length;
  const missingKeys = a.keyColumns.filter((k) => !k.synthetic).map((k) => k.name);
  const matching = expected - a.missingInSynthetic.length - a.typeMismatches.length - missingKeys.length;
  return {
    boundaryAdherence: mean(boundaries),
    categoryAdherence: mean(categories),
    keyUniqueness: a.keyColumns.filter((k) => k.synthetic).map((k) => ({ name: k.name, score: distinctShare(k.synthetic as Column) })),
    schemaMatch: expected ? matching / expected : 1,
    missingColumns: [...a.missingInSynthetic, ...missingKeys],
    extraColumns: a.extraInSynthetic,
    boundaries: boundaries.sort((x, y) => x.score - y.score),
    categories: categories.sort((x, y) => x.score - y.score),
  };
}

/** Distinct non-missing values / non-missing values (1 = every key unique). */
export function distinctShare(c: Column): number {
  const seen = new Set<number>();
  let present = 0;
  if (c.type === 'numeric') {
    for (const x of c.values) {
      if (Number.isNaN(x)) continue;
      present++;
      seen.add(x);
    }
  } else {
    // Codes may repeat a label through duplicate levels: compare labels, not codes.
    const labels = new Set<string>();
    for (const k of c.codes) {
      if (k < 0) continue;
      present++;
      labels.add(c.levels[k]);
    }
    return present ? labels.size / present : 1;
  }
  return present ? seen.size / present : 1;
}
