/**
 * The plan of the synthesized columns under a differential-privacy budget: no exact count, value or
 * bound of the training rows reaches the plan or the engine except through a mechanism that spends
 * from the ledger, or through a declaration that the domain is public.
 *
 *   - publicDomain: the category values of the column's level list, every numeric column's observed
 *     range and, when it has at most MAX_DISCRETE distinct values, those values, are taken as public
 *     (a codebook). No budget is spent on them and nothing is pooled: the engine's noisy counts protect
 *     how often each value occurs.
 *   - otherwise: one stability-based noisy histogram per column (privacy/domain.ts) keeps the category
 *     values whose noisy count clears the threshold (the others are pooled, as rare categories are
 *     without privacy), and tells a numeric column with few distinct values (kept values holding 90%
 *     of the noisy mass, at most MAX_DISCRETE of them: modelled as discrete on those values) from a
 *     continuous one, whose range is then the 5%–95% private quantiles widened by a tenth of their span
 *     on each side.
 *
 * Booleans have a public domain by their kind (two values). Every synthesized column goes to the
 * engine (whether a column is constant is itself a fact about the rows); training values outside the
 * chosen domain are mapped onto it (nearest value, clamped range, pooled level) for the engine.
 */
import { UserError } from '../../context';
import type { ColumnKind, ColumnSchema } from '../../schema/schema';
import type { Rng } from '../../random/rng';
import type { CategoricalColumn, Column, NumericColumn } from '../../table/table';
import { sortedPresent } from '../../stats/quantiles';
import type { PreparedColumn } from '../engine';
import type { PrivacyLedger } from '../privacy/budget';
import { histogramNoise, noisyLevels, privateQuantile, RANGE_QUANTILES, RANGE_STRETCH, runs, type HistogramNoise } from '../privacy/domain';
import { datetimeStep, planNumeric, type CategoricalPlan, type NumericPlan } from './plan';

/** Share of the budget for choosing the values of the columns (private domain only). */
export const DOMAIN_SHARE = 0.1;
/** Share of the budget for the ranges of continuous numeric columns (private domain only). */
export const RANGE_SHARE = 0.1;
/** A numeric column with at most this many (kept) distinct values is modelled as discrete. */
export const MAX_DISCRETE = 32;
/** Kept values must hold this share of the noisy non-missing mass for a numeric column to be discrete. */
const DISCRETE_COVERAGE = 0.9;
const DAY = 86_400_000;

export interface PrivatePlanning {
  ledger: PrivacyLedger;
  rng: Rng;
  /** Filled by buildPlan: the synthesized columns, in schema order. */
  columns: { schema: ColumnSchema; column: Column }[];
}

export interface PrivateColumn {
  plan: NumericPlan | CategoricalPlan;
  /** null: nothing for the engine (no value kept and no missing value possible). */
  prepared: PreparedColumn | null;
}

export function privatePlan(p: PrivatePlanning, n: number, k: number): PrivateColumn[] {
  const pub = p.ledger.publicDomain;
  const rng = p.rng;
  // Columns whose domain is chosen privately: all but booleans (public by kind), none when declared public.
  const chosen = pub ? [] : p.columns.filter((c) => c.schema.kind !== 'boolean');
  let noise: HistogramNoise | null = null;
  if (chosen.length > 0) {
    const eps = DOMAIN_SHARE * p.ledger.budget;
    noise = histogramNoise(eps, chosen.length, k);
    // A value must clear the threshold to be kept: past half the rows, hardly any value could, and the
    // output would be noise. Say so before fitting rather than hand back a useless table.
    if (noise.threshold > n / 2) {
      throw new UserError(
        `At ε = ${p.ledger.budget} this table is too small to choose its values privately: with ${n.toLocaleString('en')} training rows and ${chosen.length} columns, a value would need about ${Math.ceil(noise.threshold).toLocaleString('en')} rows to be kept.`,
        'If the categories and ranges are public knowledge (a codebook), turn on "Values and ranges are public" (CLI: --public-domain); otherwise raise ε or use more rows.',
      );
    }
    p.ledger.spend('domain', eps, `noisy counts of the values of ${chosen.length} column${chosen.length === 1 ? '' : 's'} (Laplace, scale ${noise.scale.toPrecision(3)}), values kept above ${noise.threshold.toPrecision(3)}`, noise.delta);
  }
  const out: (PrivateColumn | { numeric: NumericColumn; kind: ColumnKind; decimals: number | undefined })[] = [];
  for (const { schema: cs, column: col } of p.columns) {
    if (col.type === 'categorical') {
      out.push(categorical(col, cs.kind, pub || cs.kind === 'boolean' ? null : noise!, rng));
      continue;
    }
    const d = pub ? publicNumeric(col, cs.kind, cs.format?.decimals) : discreteNumeric(col, cs.kind, cs.format?.decimals, noise!, n, rng);
    out.push(d ?? { numeric: col, kind: cs.kind, decimals: cs.format?.decimals });
  }
  // Continuous numerics (private domain): their ranges by private quantiles, one spend for all.
  const continuous = out.filter((o): o is { numeric: NumericColumn; kind: ColumnKind; decimals: number | undefined } => 'numeric' in o);
  if (continuous.length > 0) {
    const eps = RANGE_SHARE * p.ledger.budget;
    const each = eps / (continuous.length * RANGE_QUANTILES.length);
    p.ledger.spend('bounds', eps, `${RANGE_QUANTILES.map((q) => `${100 * q}%`).join('–')} quantiles of ${continuous.length} numeric column${continuous.length === 1 ? '' : 's'} (exponential mechanism, ε ${each.toPrecision(3)} each)`);
    for (const c of continuous) {
      const sorted = sortedPresent(c.numeric.values);
      let lo = privateQuantile(sorted, RANGE_QUANTILES[0], each, rng);
      let hi = privateQuantile(sorted, RANGE_QUANTILES[1], each, rng);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (hi === lo) hi = lo + Math.max(1e-3, Math.abs(lo) * 0.01);
      const widen = RANGE_STRETCH * (hi - lo);
      // Widened, but not across zero: a positive column stays positive.
      lo = lo >= 0 ? Math.max(0, lo - widen) : lo - widen;
      hi = hi <= 0 ? Math.min(0, hi + widen) : hi + widen;
      if (c.kind === 'integer') {
        lo = Math.floor(lo);
        hi = Math.ceil(hi);
      }
      out[out.indexOf(c)] = continuousNumeric(c.numeric, c.kind, c.decimals, lo, hi);
    }
  }
  return out as PrivateColumn[];
}

function categorical(col: CategoricalColumn, kind: ColumnKind, noise: HistogramNoise | null, rng: Rng): PrivateColumn {
  const plan: CategoricalPlan = { mode: 'categorical', name: col.name, kind, engineIndex: -1, levels: [], pooledCode: -1, pooledCount: 0, constant: -1 };
  if (!noise) {
    // Public: every level of the column's list, none pooled.
    plan.levels = col.levels.slice();
    return { plan, prepared: { type: 'categorical', name: col.name, kind, codes: col.codes, nLevels: col.levels.length } };
  }
  const counts = new Int32Array(col.levels.length);
  let missing = 0;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    if (c < 0) missing++;
    else counts[c]++;
  }
  const { kept } = noisyLevels(counts, missing, noise, rng);
  const recode = new Int32Array(col.levels.length).fill(-1);
  for (let l = 0; l < col.levels.length; l++) {
    if (!Number.isNaN(kept[l])) {
      recode[l] = plan.levels.length;
      plan.levels.push(col.levels[l]);
    }
  }
  // Every level not kept is pooled (the number of real values pooled is not released: it would read the rows).
  const anyDropped = plan.levels.length < col.levels.length;
  if (anyDropped) {
    plan.pooledCode = plan.levels.length;
    plan.pooledCount = col.levels.length - plan.levels.length;
    for (let l = 0; l < col.levels.length; l++) if (recode[l] < 0) recode[l] = plan.pooledCode;
  }
  const codes = new Int32Array(col.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = col.codes[i] < 0 ? -1 : recode[col.codes[i]];
  const nLevels = plan.levels.length + (anyDropped ? 1 : 0);
  return { plan, prepared: { type: 'categorical', name: col.name, kind, codes, nLevels } };
}

/** Public domain: the observed range, and the distinct values when there are few. */
function publicNumeric(col: NumericColumn, kind: ColumnKind, decimals: number | undefined): PrivateColumn {
  const plan = planNumeric(col, kind, decimals);
  const sorted = sortedPresent(col.values);
  const { values } = runs(sorted);
  const lo = sorted.length ? sorted[0] : 0, hi = sorted.length ? sorted[sorted.length - 1] : 0;
  const domain = values.length <= MAX_DISCRETE && values.length > 0 ? values : undefined;
  const finalPlan: NumericPlan = { ...plan, min: lo, max: hi, constant: null, ...(domain ? { domain: [...domain] } : {}) };
  return { plan: finalPlan, prepared: { type: 'numeric', name: col.name, kind, values: col.values, min: lo, max: hi, ...(domain ? { domain } : {}) } };
}

/** Private domain: discrete on the kept values when they hold nearly all the noisy mass; null = continuous. */
function discreteNumeric(col: NumericColumn, kind: ColumnKind, decimals: number | undefined, noise: HistogramNoise, n: number, rng: Rng): PrivateColumn | null {
  const sorted = sortedPresent(col.values);
  const { values, counts } = runs(sorted);
  const { kept, missing } = noisyLevels(counts, n - sorted.length, noise, rng);
  const domain: number[] = [];
  let mass = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(kept[i])) continue;
    domain.push(values[i]);
    mass += kept[i];
  }
  const present = Math.max(1, n - Math.max(0, missing));
  if (domain.length === 0 || domain.length > MAX_DISCRETE || mass < DISCRETE_COVERAGE * present) return null;
  const dom = Float64Array.from(domain);
  // Training values off the domain are counted at the nearest kept value.
  const v = new Float64Array(col.values.length);
  for (let i = 0; i < v.length; i++) v[i] = Number.isNaN(col.values[i]) ? NaN : nearest(dom, col.values[i]);
  const plan: NumericPlan = {
    mode: 'numeric', name: col.name, kind, engineIndex: -1, min: dom[0], max: dom[dom.length - 1],
    decimals: kind === 'integer' ? 0 : kind === 'numeric' && decimals !== undefined ? decimals : null,
    step: kind === 'datetime' ? datetimeStep(dom) : null,
    constant: null,
    domain: [...dom],
  };
  return { plan, prepared: { type: 'numeric', name: col.name, kind, values: v, min: plan.min, max: plan.max, domain: dom } };
}

function continuousNumeric(col: NumericColumn, kind: ColumnKind, decimals: number | undefined, lo: number, hi: number): PrivateColumn {
  const v = new Float64Array(col.values.length);
  for (let i = 0; i < v.length; i++) {
    const x = col.values[i];
    v[i] = Number.isNaN(x) ? NaN : x < lo ? lo : x > hi ? hi : x;
  }
  const plan: NumericPlan = {
    mode: 'numeric', name: col.name, kind, engineIndex: -1, min: lo, max: hi,
    decimals: kind === 'integer' ? 0 : kind === 'numeric' && decimals !== undefined ? decimals : null,
    // Whole days: the unit of a datetime column would read its values.
    step: kind === 'datetime' ? DAY : null,
    constant: null,
  };
  return { plan, prepared: { type: 'numeric', name: col.name, kind, values: v, min: lo, max: hi } };
}

function nearest(sortedDomain: Float64Array, x: number): number {
  let lo = 0, hi = sortedDomain.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedDomain[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sortedDomain[lo - 1] - x) <= Math.abs(sortedDomain[lo] - x)) return sortedDomain[lo - 1];
  return sortedDomain[lo];
}
