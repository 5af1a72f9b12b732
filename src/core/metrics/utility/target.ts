/**
 * The default utility target: the column a user would most plausibly want to predict. Never a
 * constant, an identifier or a near-unique column (a model cannot learn those, and a score on them
 * says nothing); a categorical column with 2–20 reasonably balanced levels first; else a numeric
 * column with enough distinct values. The choice comes with its reason, shown in the report.
 */
import type { Schema } from '../../schema/schema';
import type { Table } from '../../table/table';

export const TARGET_MIN_LEVELS = 2;
export const TARGET_MAX_LEVELS = 20;
/** Normalised entropy of the level shares (1 = all levels equally common) below which a column is too lopsided. */
export const TARGET_MIN_BALANCE = 0.3;
/** Distinct share above which a column reads as an identifier, not something to predict. */
export const NEAR_UNIQUE_SHARE = 0.9;

export interface TargetChoice {
  target: string | undefined;
  reason: string;
}

interface Candidate {
  name: string;
  levels: number;
  balance: number;
  present: number;
}

export function chooseTarget(table: Table, schema: Schema): TargetChoice {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const categorical: Candidate[] = [];
  const numeric: { name: string; distinct: number; present: number }[] = [];
  const skipped: string[] = [];
  for (const s of schema.columns) {
    const c = byName.get(s.name);
    if (!c || s.role !== 'synthesize' || s.kind === 'id' || s.kind === 'text') continue;
    if (c.type === 'categorical') {
      const counts = new Float64Array(c.levels.length);
      let present = 0;
      for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) counts[c.codes[i]]++, present++;
      const used = counts.filter((n) => n > 0);
      if (used.length < TARGET_MIN_LEVELS) {
        skipped.push(`"${s.name}" is constant`);
        continue;
      }
      if (used.length > NEAR_UNIQUE_SHARE * present) {
        skipped.push(`"${s.name}" is near-unique`);
        continue;
      }
      if (used.length > TARGET_MAX_LEVELS) {
        skipped.push(`"${s.name}" has ${used.length} levels`);
        continue;
      }
      let h = 0;
      for (const n of used) h -= (n / present) * Math.log(n / present);
      categorical.push({ name: s.name, levels: used.length, balance: h / Math.log(used.length), present });
    } else {
      const seen = new Set<number>();
      let present = 0;
      for (let i = 0; i < c.values.length; i++) if (!Number.isNaN(c.values[i])) seen.add(c.values[i]), present++;
      if (seen.size < TARGET_MIN_LEVELS) {
        skipped.push(`"${s.name}" is constant`);
        continue;
      }
      // An integer column of all-different values is a row number or an identifier.
      if (s.kind === 'integer' && seen.size > NEAR_UNIQUE_SHARE * present) {
        skipped.push(`"${s.name}" is near-unique`);
        continue;
      }
      numeric.push({ name: s.name, distinct: seen.size, present });
    }
  }
  const balanced = categorical.filter((c) => c.balance >= TARGET_MIN_BALANCE);
  if (balanced.length) {
    // The most balanced; between close ones, fewer missing values.
    balanced.sort((a, b) => b.balance - a.balance || b.present - a.present);
    const best = balanced[0];
    return {
      target: best.name,
      reason: `"${best.name}" was chosen as the utility target: a categorical column with ${best.levels} levels, the most balanced (${best.balance.toFixed(2)} of 1) of ${balanced.length} with ${TARGET_MIN_LEVELS}–${TARGET_MAX_LEVELS} levels.`,
    };
  }
  const counted = numeric.filter((c) => c.distinct >= 10).sort((a, b) => b.present - a.present);
  if (counted.length) {
    return {
      target: counted[0].name,
      reason: `"${counted[0].name}" was chosen as the utility target: no categorical column has ${TARGET_MIN_LEVELS}–${TARGET_MAX_LEVELS} balanced levels, so the numeric column with the fewest missing values is predicted (R²).`,
    };
  }
  return { target: undefined, reason: `No column suits a utility target${skipped.length ? ` (${skipped.slice(0, 4).join(', ')})` : ''}, so utility was not measured.` };
}
