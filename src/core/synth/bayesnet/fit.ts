/**
 * Bayesian network fit (PrivBayes, Zhang et al. SIGMOD 2014 / TODS 2017) with optional differential
 * privacy: columns binned (discretize.ts), a greedy structure by mutual information (structure.ts),
 * then one conditional table per column (conditionalTables.ts), noisy under a privacy budget.
 */
import { UserError, type TaskContext } from '../../context';
import type { PreparedNumeric, PreparedTable } from '../engine';
import { noisyTable, smoothedTable } from './conditionalTables';
import { describeColumn, EDGE_GRID, encodeColumn, parentGroups, parentStateCount, parentView, privateEdges, type ColumnStates, type NumericStates } from './discretize';
import { BayesNetModel } from './model';
import { defaultMaxParents, resolveSettings, type BayesNetOptions, type ResolvedSettings } from './settings';
import { THETA } from './privacy';
import { learnStructure } from './structure';
import { Ticker } from './ticker';
import { PrivacyLedger } from '../privacy/budget';

/** Share of the engine's budget for the bin edges of continuous columns (when there are any). */
const EDGE_SHARE = 0.1;
/**
 * Rows per fine cell over the noise scale for private edges to pay off. On the shared tables at ε = 1
 * (bench/privacy.ts, 2 seeds), txhousing (0.54) gains 0.12 of 2-way accuracy and slid (0.77) 0.01,
 * while colon (0.19), salaries (0.04) and penguins lose 0.01–0.07.
 */
const EDGE_SIGNAL = 0.3;

/**
 * Under privacy, a column with more values than n / ROWS_PER_ATOM is binned rather than kept value by
 * value, however large the budget: kept, its hundreds of values fit no table as a child, and more budget
 * gave worse rows. bench/privacy.ts ε curve (public domain, 2 seeds), ε = 5: txhousing .756 → .818 (sales
 * and median had 1,712 and 1,538 values; ε = 2 gives .792), slid .884 → .903, penguins .601 → .611,
 * salaries .705 → .689. 40 bins titanic's age (99 values) at ε = 1 and loses .015 there.
 */
const ROWS_PER_ATOM = 10;

const PHASES = { discretize: [0, 0.1], structure: [0.1, 0.85], parameters: [0.85, 1] } as const;

export async function fitBayesNet(data: PreparedTable, options: BayesNetOptions, ctx: TaskContext): Promise<BayesNetModel> {
  const n = data.nRows;
  const d = data.columns.length;
  if (n < 1) throw new UserError('The table has no rows to learn from', 'Import a table with at least a few rows.');
  const ticker = new Ticker(ctx, PHASES);
  // Under epsilon: the pipeline's ledger (it has spent on the domain already), or, when the engine is
  // used alone, one of its own that takes the prepared table's values and ranges as public.
  resolveSettings(n, d, options ?? {}); // validates the options before anything is spent
  const ledger = options?.epsilon === undefined ? null : (options.privacyLedger ?? new PrivacyLedger(options.epsilon, true));
  let s = resolveSettings(n, d, options ?? {}, ledger ? ledger.remaining : undefined);
  const isPrivate = s.privacy !== undefined;

  await ticker.pause('discretize', 0, 'Binning columns');
  let columns = describeAll(data, s, isPrivate, ledger?.publicDomain);
  // Under privacy, continuous columns get bins of equal noisy mass rather than equal width (a share of
  // the budget, spent first; the rest is then split between the structure and the counts).
  let withEdges = (cs: ColumnStates[]) => cs;
  const continuous = ledger ? columns.flatMap((c, i) => (c.type === 'numeric' && c.atoms.length === 0 && c.edges.length > 2 ? [i] : [])) : [];
  // Only where the histogram carries signal: rows per fine cell at least EDGE_SIGNAL × the noise scale
  // (public: n, the columns and the budget decide), else the equal-width bins stay and nothing is spent.
  const edgeEps = ledger ? EDGE_SHARE * ledger.remaining : 0;
  const edgeScale = (2 * continuous.length) / edgeEps;
  if (ledger && continuous.length > 0 && n / EDGE_GRID >= EDGE_SIGNAL * edgeScale) {
    const eps = edgeEps;
    const scale = edgeScale;
    // As many bins as the budget left after this spend supports, which is what the tables are sized
    // from: binned at the budget before it (one bin more on txhousing), two binned columns no longer fit
    // one useful table and every column was drawn alone (txhousing ε = 1: 2-way .727 → .756, 6 seeds).
    const binsAfter = resolveSettings(n, d, options, ledger.remaining - eps).bins;
    ledger.spend('bin edges', eps, `noisy histograms (Laplace, scale ${scale.toPrecision(3)}) of ${continuous.length} continuous column${continuous.length === 1 ? '' : 's'} over ${EDGE_GRID} cells of their ranges; bins of equal noisy mass`);
    const edgeRng = ctx.rng.fork('bayesnet.edges');
    const edges = new Map<number, { edges: Float64Array; sketch: Float64Array | null }>();
    for (const i of continuous) {
      const c = data.columns[i] as PreparedNumeric;
      const st = columns[i] as NumericStates;
      edges.set(i, privateEdges(c.values, st.edges[0], st.edges[st.edges.length - 1], binsAfter, scale, edgeRng));
    }
    withEdges = (cs) => cs.map((c, i) => {
      const e = edges.get(i);
      if (!e || c.type !== 'numeric' || c.atoms.length > 0 || c.edges.length < 2) return c;
      return { ...c, edges: e.edges, sketch: e.sketch, nStates: e.edges.length - 1 + (c.hasMissing ? 1 : 0) };
    });
    s = resolveSettings(n, d, options, ledger.remaining);
    columns = withEdges(describeAll(data, s, isPrivate, ledger.publicDomain));
  }
  if (ledger && d > 1 && options.maxParents !== 0) {
    // When even with the whole budget on the counts no two columns fit one useful table, every column
    // is on its own and choosing a structure would waste budget: all of it goes to the counts.
    const all = resolveSettings(n, d, options, ledger.remaining, false);
    const alone = withEdges(describeAll(data, all, true, ledger.publicDomain));
    if (!anyPairFits(alone, all.maxDomain)) {
      s = all;
      columns = alone;
    }
  }
  const states: Int32Array[] = [];
  for (let i = 0; i < d; i++) {
    states.push(encodeColumn(data.columns[i], columns[i]));
    await ticker.maybePause('discretize', (i + 1) / d, 'Binning columns');
  }
  const nStates = columns.map((c) => c.nStates);
  const parentStates = columns.map((c, i) => parentView(c, states[i]));
  const parentNStates = columns.map(parentStateCount);
  const maxParents = options?.maxParents ?? defaultMaxParents(parentNStates, s.maxDomain);

  if (ledger && s.privacy && s.privacy.structure > 0) {
    ledger.spend('structure', s.privacy.structure, `${d - 1} exponential-mechanism choices of a column and its parents (mutual information)`);
  }
  const structureRng = ctx.rng.fork('bayesnet.structure');
  const network = await learnStructure(
    { states, nStates, parentStates, parentNStates, n, maxParents, maxDomain: s.maxDomain },
    structureRng,
    ticker,
    s.privacy ? { stepEpsilon: s.privacy.structureStep } : undefined,
  );

  if (ledger && s.privacy) {
    ledger.spend('counts', s.privacy.marginals, `Laplace noise (scale ${s.privacy.countNoiseScale.toPrecision(3)}) on the ${d} joint tables of a column and its parents`);
  }
  const noiseRng = ctx.rng.fork('bayesnet.noise');
  const tables: Float64Array[] = new Array(d);
  for (let k = 0; k < d; k++) {
    const i = network.order[k];
    const par = network.parents[i];
    const parStates = par.map((p) => parentStates[p]);
    const parSizes = par.map((p) => parentNStates[p]);
    tables[i] = s.privacy
      ? noisyTable(states[i], nStates[i], parStates, parSizes, s.privacy.countNoiseScale, noiseRng)
      : smoothedTable(states[i], nStates[i], parStates, parSizes, s.smoothing);
    await ticker.maybePause('parameters', (k + 1) / d, 'Estimating conditional tables');
  }
  await ticker.pause('parameters', 1, 'Done');

  return new BayesNetModel(
    { columns, order: network.order, parents: network.parents, tables },
    {
      epsilon: ledger?.budget,
      ...(ledger ? { privacy: ledger.account() } : {}),
      maxParents,
      maxDomain: s.maxDomain,
      bins: s.bins,
      smoothing: isPrivate ? 0 : s.smoothing,
      nTrainingRows: n,
    },
  );
}

/**
 * Under privacy a discrete numeric column keeps each of its values as a state while the expected count
 * per value stays above the Laplace scale (n / k >= 2d / eps, i.e. k <= THETA x the useful domain), and
 * while its values hold ROWS_PER_ATOM rows each on average.
 */
function describeAll(data: PreparedTable, s: ResolvedSettings, isPrivate: boolean, publicDomain: boolean | undefined): ColumnStates[] {
  const maxAtoms = s.privacy ? Math.floor(Math.min(THETA * s.privacy.usefulDomain, data.nRows / ROWS_PER_ATOM)) : undefined;
  return data.columns.map((c) => {
    const st = describeColumn(c, { bins: s.bins, private: isPrivate, publicDomain, maxAtoms });
    return s.privacy ? parentGroups(st, s.bins) : st;
  });
}

/** Whether some column fits one useful table as another's parent. */
function anyPairFits(columns: ColumnStates[], maxDomain: number): boolean {
  const seen = columns.map(parentStateCount);
  return columns.some((c, x) => seen.some((p, i) => i !== x && c.nStates * p <= maxDomain));
}
