import { throwIfAborted, UserError, yieldToEventLoop, type TaskContext } from '../../context';
import type { PreparedTable } from '../engine';
import { binColumn, makeBinning } from './binning';
import { fitColumn, type ColumnModel, type TreeSettings } from './columnModel';
import type { WorkTick } from './growTree';
import type { CartOptions } from './index';
import { CartModel } from './model';
import type { PredictorView } from './tree';

/**
 * cp 1e-5 rather than synthpop's 1e-8: on txhousing (judge, 80/20 split) 1e-8 scores above the
 * holdout ceiling (2-way accuracy +0.007, DCR share 0.61) by keeping splits that only memorise, while
 * 1e-5 sits at the ceiling (-0.004, DCR 0.56); on slid, colon and birdstrikes the two are the same.
 */
export const CART_DEFAULTS = { minLeafSize: 5, smoothing: true, maxDepth: 30, cp: 1e-5 } as const;

/** Yield to the event loop (and honour cancel) after this much time of uninterrupted work. */
const YIELD_EVERY_MS = 40;

/**
 * Sequential CART (synthpop's default method): columns visited in order, the first drawn from its
 * marginal (a one-leaf tree), each next one from a tree on the columns before it.
 */
export async function fitCart(data: PreparedTable, options: CartOptions, ctx: TaskContext): Promise<CartModel> {
  const settings = resolveSettings(options, data.nRows);
  const order = resolveOrder(data, options.order);
  if (data.nRows < 1) throw new UserError('CART needs at least one training row.', 'Load a table with rows.');
  const cols = data.columns;
  const binnings = cols.map((c) => makeBinning(c));
  const views: (PredictorView | undefined)[] = cols.map((c, j) => ({
    ordered: binnings[j].ordered,
    missingBin: binnings[j].missingBin,
    bins: binColumn(binnings[j], c.type === 'numeric' ? c.values : c.codes),
  }));
  const nBins = binnings.map((b) => b.nBins);
  const tick = makeTick(ctx.signal);
  const models: ColumnModel[] = new Array(cols.length);
  for (let k = 0; k < order.length; k++) {
    const col = order[k];
    throwIfAborted(ctx.signal);
    ctx.onProgress?.({ phase: 'fit', fraction: k / order.length, message: `column ${cols[col].name}` });
    models[col] = await fitColumn(
      { col, column: cols[col], nRows: data.nRows, predictors: order.slice(0, k), views, nBins, settings },
      tick,
    );
  }
  ctx.onProgress?.({ phase: 'fit', fraction: 1, message: 'done' });
  return new CartModel({ order, binnings, columns: models });
}

/**
 * Leaves hold at least a twentieth of the training rows, up to LEAF_CAP rows; above DENSE_FROM rows the
 * cap shrinks as LEAF_CAP * sqrt(DENSE_FROM / n), down to DENSE_CAP.
 *
 * Up to 10 rows: on survey (190 rows, leaf 9), penguins (275) and salaries (318) the DCR share fell from
 * 0.628 / 0.535 / 0.620 to 0.550 / 0.502 / 0.593, with 2-way accuracy +0.008 / −0.002 / +0.006; cars93
 * (74 rows) keeps 5. Up to 60 (the twentieth binds from 200 to 1 200 rows): colon (1 486 rows, leaf 14 →
 * 60) 0.550 → 0.526 and titanic (1 047, leaf 10 → 52) 0.523 → 0.517, with 2-way accuracy unchanged (20
 * holdout splits, `npx tsx bench/privacy.ts --splits 20 --models cart`). Larger leaves on the small tables
 * (40–80 rows) took survey, penguins and salaries to 0.52–0.53 but cost salaries 0.036 of 2-way accuracy
 * and lost small groups such as survey's 28 rows with neither height nor hand span.
 *
 * From DENSE_FROM rows the cap shrinks, to DENSE_CAP. A fixed share of the rows is too coarse for the
 * subgroups that conditions select: the earlier floor of 1% of the rows (68 on txhousing) left CART's rows
 * conditioned on txhousing's top 5% of sales 0.044 below the holdout ceiling and those for one city
 * (2.3%) 0.037 below; at 40 they are 0.024 and 0.032 ± 0.010 below, with the DCR share 0.507 → 0.519 ± 0.006
 * (8 and 10 holdout splits: `npx tsx bench/rules.ts --models cart --splits 8`, `npx tsx bench/privacy.ts
 * --models cart --splits 10`); slid (42) 0.520 → 0.514 ± 0.004. It does not shrink below DENSE_CAP: on the
 * generated 30 000-row table (bench/transformer.ts, one split) leaves of 18 rows gave a DCR share of 0.546,
 * 40 gave 0.512, 300 (1%) 0.493, all at the 2-way ceiling.
 */
export const LEAF_CAP = 60;
export const DENSE_FROM = 3000;
export const DENSE_CAP = 40;

/** The smallest leaf allowed for a table of n training rows (see LEAF_CAP). */
export function leafFloor(n: number): number {
  const cap = n > DENSE_FROM ? Math.max(DENSE_CAP, LEAF_CAP * Math.sqrt(DENSE_FROM / n)) : LEAF_CAP;
  return Math.max(1, Math.floor(Math.min(cap, n / 20)));
}

function resolveSettings(o: CartOptions, nRows: number): TreeSettings {
  const asked = o.minLeafSize ?? CART_DEFAULTS.minLeafSize;
  const floor = leafFloor(nRows);
  const minLeaf = Number.isInteger(asked) && asked >= 1 ? Math.max(asked, floor) : asked;
  const maxDepth = o.maxDepth ?? CART_DEFAULTS.maxDepth;
  const cp = o.cp ?? CART_DEFAULTS.cp;
  if (!Number.isInteger(minLeaf) || minLeaf < 1) throw new UserError(`CART minimum leaf size must be a whole number >= 1 (got ${minLeaf}).`);
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new UserError(`CART maximum depth must be a whole number >= 0 (got ${maxDepth}).`);
  if (!(cp >= 0 && cp < 1)) throw new UserError(`CART complexity parameter must be in [0, 1) (got ${cp}).`);
  return { minLeaf, maxDepth, cp, smoothing: o.smoothing ?? CART_DEFAULTS.smoothing };
}

/** The user's order first (by name), then the columns it leaves out in table order. */
function resolveOrder(data: PreparedTable, names: string[] | undefined): number[] {
  const byName = new Map(data.columns.map((c, i) => [c.name, i]));
  const order: number[] = [];
  const seen = new Set<number>();
  for (const name of names ?? []) {
    const i = byName.get(name);
    if (i === undefined) {
      throw new UserError(`CART column order names "${name}", which is not a synthesized column.`, 'Check the column order setting.');
    }
    if (!seen.has(i)) order.push(i);
    seen.add(i);
  }
  for (let i = 0; i < data.columns.length; i++) if (!seen.has(i)) order.push(i);
  return order;
}

function makeTick(signal: AbortSignal | undefined): WorkTick {
  let last = performance.now();
  let work = 0;
  return (w) => {
    work += w;
    if (work < 50_000) return undefined; // the clock is cheap, but not free
    work = 0;
    const now = performance.now();
    if (now - last < YIELD_EVERY_MS) return undefined;
    last = now;
    throwIfAborted(signal);
    return yieldToEventLoop().then(() => throwIfAborted(signal));
  };
}
