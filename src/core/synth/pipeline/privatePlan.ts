/**
 * The plan of the synthesized columns under a differential-privacy budget: no exact count, value or
 * bound of the training rows reaches the plan or the engine except through a mechanism that spends
 * from the ledger, or through a declaration that the domain is public.
 *
 *   - publicDomain: the category values of the column's level list, every numeric column's observed
 *     range and, when it has at most MAX_DISCRETE distinct values, those values, are taken as public
 *     (a codebook). No budget is spent on them and nothing is pooled: the engine's noisy counts protect
 *     how often each value occurs.
 *   - otherwise, two spends, each refused up front (from n, the columns and ε alone) where it could
 *     not work, with a way out:
 *     'bounds': per numeric column, its median and its spread (the 75% quantile of the deviations from
 *     the median on an asinh scale that shrinks long right tails, and their linear median for a column
 *     straddling zero) by the exponential mechanism (privacy/domain.ts), with ε·n of about RANGE_SIGNAL
 *     per column (at most RANGE_MAX_SHARE of the budget). A continuous column's range is the median ±
 *     RANGE_SPREADS spreads; a column of whole numbers (or written with 1 to 3 decimals) whose median ±
 *     GRID_SPREADS spreads hold at most GRID_MAX steps of its resolution is discrete on all of them
 *     (years, months, ages, small counts, 0/1, grades to one decimal).
 *     'domain': one stability-based noisy histogram per categorical column, which keeps the values whose
 *     noisy count clears the threshold (the others are pooled, as rare categories are without privacy),
 *     and, where a few values could clear a threshold, per other whole-number column (with half the
 *     share), which makes it discrete on its kept values when they hold 90% of the noisy mass (e.g.
 *     population bands 1,200 / 5,400 / 250,000).
 *
 * Booleans have a public domain by their kind (two values). Every synthesized column goes to the
 * engine (whether a column is constant is itself a fact about the rows). Whether a categorical column
 * gets its pooled label follows from the noisy counts, not from whether a value was pooled (a value seen
 * once is never kept, and whether there is one is what the threshold hides). Training values outside the
 * chosen domain are mapped onto it (nearest value, clamped range, pooled level or missing) for the engine.
 */
import { UserError } from '../../context';
import type { ColumnKind, ColumnSchema } from '../../schema/schema';
import type { Rng } from '../../random/rng';
import type { CategoricalColumn, Column, NumericColumn } from '../../table/table';
import { sortedPresent } from '../../stats/quantiles';
import type { PreparedColumn } from '../engine';
import type { PrivacyLedger } from '../privacy/budget';
import { histogramNoise, noisyLevels, privateLocation, rangeOf, runs, type HistogramNoise } from '../privacy/domain';
import { datetimeStep, planNumeric, type CategoricalPlan, type NumericPlan } from './plan';

/** Share of the budget for choosing the values of the columns (private domain only). */
export const DOMAIN_SHARE = 0.1;
/**
 * ε·n spent on each numeric column's range (private domain only). The median's candidates that miss the
 * data lose n/2 of score, ε·n/4 in the exponent, against ln 315,000 ≈ 12.7 for their number; with
 * MEDIAN_SHARE of 180 the median is found every time on the shared tables' columns, and at 120 still on
 * txhousing at ε = 0.5 (8 seeds, bench/privacy.ts). A budget at which each range would get less than
 * MIN_RANGE_SIGNAL is refused.
 */
export const RANGE_SIGNAL = 180;
export const MIN_RANGE_SIGNAL = 120;
/** The ranges take at most this share of the budget. */
export const RANGE_MAX_SHARE = 0.3;
/** A numeric column with at most this many (kept) distinct values is modelled as discrete. */
export const MAX_DISCRETE = 32;
/** The range of a continuous column: the median ± this many median absolute deviations (privacy/domain.ts). */
export const RANGE_SPREADS = 2.5;
/**
 * A whole-number column (or one written with 1 to 3 decimals) whose median ± GRID_SPREADS deviations
 * hold at most GRID_MAX steps of its resolution is discrete on all of them: wider than a continuous
 * range, since a step with no rows costs only noise while a clamped tail piles up at the bound. The
 * engine keeps them as states while its budget supports as many (else it bins the range).
 */
export const GRID_SPREADS = 3.5;
export const GRID_MAX = 256;
/** Kept values must hold this share of the noisy non-missing mass for a numeric column to be discrete. */
const DISCRETE_COVERAGE = 0.9;
/** Share of the values budget of a whole-number column's histogram beside a categorical column's. */
const NUMERIC_HISTOGRAM_WEIGHT = 0.5;
/** The pooled label is kept when the noisy mass of the values not kept is this many noise deviations. */
const POOLED_SIGMAS = 3;
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

const REFUSAL_HINT = 'If the categories and ranges are public knowledge (a codebook), turn on "Values and ranges are public" (CLI: --public-domain); otherwise raise ε or use more rows.';

/** Steps of the column's resolution per unit: 1 for whole numbers, 10^d for numbers written with 1 ≤ d ≤ 3 decimals, else 0 (none). */
function stepsPerUnit(cs: ColumnSchema): number {
  if (wholeNumbers(cs)) return 1;
  const d = cs.kind === 'numeric' ? cs.format?.decimals ?? 0 : 0;
  if (d < 1 || d > 3) return 0;
  let v = 1;
  for (let j = 0; j < d; j++) v *= 10;
  return v;
}

/** Whole-number values: integers, or numbers written without decimals. */
function wholeNumbers(cs: ColumnSchema): boolean {
  return cs.kind === 'integer' || (cs.kind === 'numeric' && cs.format?.decimals === 0);
}

export function privatePlan(p: PrivatePlanning, n: number, k: number): PrivateColumn[] {
  const rng = p.rng;
  if (p.ledger.publicDomain) {
    return p.columns.map(({ schema: cs, column: col }) => (col.type === 'categorical' ? categorical(col, cs.kind, null, rng) : publicNumeric(col, cs.kind, cs.format?.decimals)));
  }
  const budget = p.ledger.budget;
  const plural = (x: number, w: string) => `${x} ${w}${x === 1 ? '' : 's'}`;
  // Booleans have a public domain by their kind (two values); the other categoricals' values are chosen.
  const cats = p.columns.filter((c) => c.column.type === 'categorical' && c.schema.kind !== 'boolean').length;
  const nums = p.columns.filter((c) => c.column.type === 'numeric').length;
  // Refusals first, before anything is spent: they depend on n, the columns and ε only.
  if (cats > 0) {
    // A value must clear the threshold to be kept: past half the rows, hardly any value could, and the
    // output would be noise. Say so before fitting rather than hand back a useless table.
    const best = histogramNoise(DOMAIN_SHARE * budget, cats, k);
    if (best.threshold > n / 2) {
      throw new UserError(
        `At ε = ${budget} this table is too small to choose its values privately: with ${n.toLocaleString('en')} training rows and ${plural(cats, 'category column')}, a value would need about ${Math.ceil(best.threshold).toLocaleString('en')} rows to be kept.`,
        REFUSAL_HINT,
      );
    }
  }
  const rangeEps = nums > 0 ? Math.min((nums * RANGE_SIGNAL) / n, RANGE_MAX_SHARE * budget) : 0;
  if (nums > 0 && (rangeEps * n) / nums < MIN_RANGE_SIGNAL) {
    const needed = (nums * MIN_RANGE_SIGNAL) / (RANGE_MAX_SHARE * n);
    throw new UserError(
      `At ε = ${budget} this table is too small to choose its numeric ranges privately: with ${n.toLocaleString('en')} training rows and ${plural(nums, 'numeric column')}, a range would be found only from about ε = ${Number(needed.toPrecision(2))}.`,
      REFUSAL_HINT,
    );
  }

  // Ranges of every numeric column: median and spread by the exponential mechanism, one spend for all.
  const out: (PrivateColumn | null)[] = new Array(p.columns.length).fill(null);
  const ranges = new Map<number, { lo: number; hi: number }>();
  if (nums > 0) {
    const each = rangeEps / nums;
    p.ledger.spend('bounds', rangeEps, `median and spread of ${plural(nums, 'numeric column')} (exponential mechanism, ε ${each.toPrecision(3)} each); ranges median ± ${RANGE_SPREADS} spreads`);
    p.columns.forEach(({ schema: cs, column: col }, i) => {
      if (col.type !== 'numeric') return;
      const per = stepsPerUnit(cs);
      const loc = privateLocation(sortedPresent(col.values), each, rng, per > 0 ? 1 / per : 0);
      // Few steps of the column's resolution (whole numbers, or its decimals) across a wide range:
      // discrete on every one of them (the noisy counts say which occur; empty ones cost little), one
      // step more on each side (a 0/1 column with a quarter of ones or fewer has a spread of zero).
      if (per > 0) {
        const g = rangeOf(loc, GRID_SPREADS, 1 / per);
        const a = Math.floor(g.lo * per), b = Math.ceil(g.hi * per);
        if (b - a + 1 <= GRID_MAX) {
          out[i] = discreteOn(col, cs.kind, Float64Array.from({ length: b - a + 1 }, (_, j) => (a + j) / per));
          if (cs.kind === 'numeric') (out[i]!.plan as NumericPlan).decimals = cs.format?.decimals ?? null;
          return;
        }
      }
      let { lo, hi } = rangeOf(loc, RANGE_SPREADS);
      if (per === 1) {
        lo = Math.floor(lo);
        hi = Math.ceil(hi);
      }
      if (!(hi > lo)) hi = lo + Math.max(1e-3, Math.abs(lo) * 0.01);
      ranges.set(i, { lo, hi });
    });
  }

  // Values: a noisy histogram per categorical column and per other whole-number column, one spend for all.
  const histogram = (withNumbers: boolean) => p.columns.flatMap((c, i) => ((c.column.type === 'categorical' && c.schema.kind !== 'boolean') || (withNumbers && out[i] === null && c.column.type === 'numeric' && wholeNumbers(c.schema)) ? [i] : []));
  const noiseOf = (cols: number[]) => {
    const m = cols.length;
    const total = cols.reduce((s, i) => s + (p.columns[i].column.type === 'categorical' ? 1 : NUMERIC_HISTOGRAM_WEIGHT), 0);
    const eps = DOMAIN_SHARE * budget;
    // Column i gets ε·wᵢ/Σw of the values budget; its threshold keeps δ/m for each of the m columns.
    return { category: histogramNoise((eps * m) / total, m, k), number: histogramNoise((eps * m * NUMERIC_HISTOGRAM_WEIGHT) / total, m, k) };
  };
  let inHistogram = histogram(true);
  let noise = inHistogram.length > 0 ? noiseOf(inHistogram) : null;
  // Whole-number columns join only where a few values (eight of equal counts) could be kept: else
  // their histogram would only raise the categorical columns' threshold.
  if (noise && noise.number.threshold > n / 8 && inHistogram.some((i) => p.columns[i].column.type === 'numeric')) {
    inHistogram = histogram(false);
    noise = inHistogram.length > 0 ? noiseOf(inHistogram) : null;
  }
  if (noise) {
    const cat = inHistogram.filter((i) => p.columns[i].column.type === 'categorical').length;
    const num = inHistogram.length - cat;
    const parts = [
      cat > 0 ? `${plural(cat, 'category column')} (Laplace, scale ${noise.category.scale.toPrecision(3)}, kept above ${noise.category.threshold.toPrecision(3)})` : '',
      num > 0 ? `${plural(num, 'whole-number column')} (scale ${noise.number.scale.toPrecision(3)}, kept above ${noise.number.threshold.toPrecision(3)})` : '',
    ].filter(Boolean);
    p.ledger.spend('domain', DOMAIN_SHARE * budget, `noisy counts of the values of ${parts.join(' and ')}`, noise.category.delta);
  }
  const histogramSet = new Set(inHistogram);
  return p.columns.map(({ schema: cs, column: col }, i): PrivateColumn => {
    if (out[i]) return out[i]!;
    if (col.type === 'categorical') return categorical(col, cs.kind, cs.kind === 'boolean' ? null : noise!.category, rng);
    const r = ranges.get(i)!;
    return (histogramSet.has(i) ? discreteNumeric(col, cs.kind, cs.format?.decimals, noise!.number, n, rng) : null) ?? continuousNumeric(col, cs.kind, cs.format?.decimals, r.lo, r.hi);
  });
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
  const noisy = noisyLevels(counts, missing, noise, rng);
  const recode = new Int32Array(col.levels.length).fill(-1);
  let keptMass = 0;
  for (let l = 0; l < col.levels.length; l++) {
    if (!Number.isNaN(noisy.kept[l])) {
      recode[l] = plan.levels.length;
      plan.levels.push(col.levels[l]);
      keptMass += noisy.kept[l];
    }
  }
  // The values not kept are pooled into one label when their noisy mass (the rows less the noisy counts
  // of the kept values and of the missing ones: post-processing, no budget) is clearly there; otherwise
  // their few rows count as missing, and no label appears that the rows may not need. Neither whether a
  // value was pooled nor how many were is read (pooledCount 0): a value seen once is never kept, and
  // whether there is one is what the threshold hides.
  const pooledMass = col.codes.length - keptMass - noisy.missing;
  const pooledNoise = noise.scale * Math.sqrt(2 * (plan.levels.length + 1));
  const pooled = pooledMass >= POOLED_SIGMAS * pooledNoise;
  if (pooled) plan.pooledCode = plan.levels.length;
  const codes = new Int32Array(col.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = col.codes[i] < 0 ? -1 : recode[col.codes[i]] >= 0 ? recode[col.codes[i]] : plan.pooledCode;
  return { plan, prepared: { type: 'categorical', name: col.name, kind, codes, nLevels: plan.levels.length + (pooled ? 1 : 0) } };
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
  const plan = discreteOn(col, kind, Float64Array.from(domain));
  if (kind === 'numeric' && decimals !== undefined) (plan.plan as NumericPlan).decimals = decimals;
  return plan;
}

/** Discrete on public or privately chosen values (sorted): training values off them count at the nearest. */
function discreteOn(col: NumericColumn, kind: ColumnKind, dom: Float64Array): PrivateColumn {
  const v = new Float64Array(col.values.length);
  for (let i = 0; i < v.length; i++) v[i] = Number.isNaN(col.values[i]) ? NaN : nearest(dom, col.values[i]);
  const plan: NumericPlan = {
    mode: 'numeric', name: col.name, kind, engineIndex: -1, min: dom[0], max: dom[dom.length - 1],
    decimals: kind === 'integer' ? 0 : null,
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
