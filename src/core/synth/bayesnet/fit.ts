/**
 * Bayesian network fit (PrivBayes, Zhang et al. SIGMOD 2014 / TODS 2017) with optional differential
 * privacy: columns binned (discretize.ts), a greedy structure by mutual information (structure.ts),
 * then one conditional table per column (conditionalTables.ts), noisy under a privacy budget.
 */
import { UserError, type TaskContext } from '../../context';
import type { PreparedTable } from '../engine';
import { noisyTable, smoothedTable } from './conditionalTables';
import { describeColumn, encodeColumn } from './discretize';
import { BayesNetModel } from './model';
import { defaultMaxParents, resolveSettings, type BayesNetOptions } from './settings';
import { learnStructure } from './structure';
import { Ticker } from './ticker';

const PHASES = { discretize: [0, 0.1], structure: [0.1, 0.85], parameters: [0.85, 1] } as const;

export async function fitBayesNet(data: PreparedTable, options: BayesNetOptions, ctx: TaskContext): Promise<BayesNetModel> {
  const n = data.nRows;
  const d = data.columns.length;
  if (n < 1) throw new UserError('The table has no rows to learn from', 'Import a table with at least a few rows.');
  const ticker = new Ticker(ctx, PHASES);
  const s = resolveSettings(n, d, options ?? {});
  const isPrivate = s.privacy !== undefined;

  await ticker.pause('discretize', 0, 'Binning columns');
  const columns = [];
  const states: Int32Array[] = [];
  for (let i = 0; i < d; i++) {
    const c = describeColumn(data.columns[i], { bins: s.bins, private: isPrivate });
    columns.push(c);
    states.push(encodeColumn(data.columns[i], c));
    await ticker.maybePause('discretize', (i + 1) / d, 'Binning columns');
  }
  const nStates = columns.map((c) => c.nStates);
  const maxParents = options?.maxParents ?? defaultMaxParents(nStates, s.maxDomain);

  const structureRng = ctx.rng.fork('bayesnet.structure');
  const network = await learnStructure(
    { states, nStates, n, maxParents, maxDomain: s.maxDomain },
    structureRng,
    ticker,
    s.privacy ? { stepEpsilon: s.privacy.structureStep } : undefined,
  );

  const noiseRng = ctx.rng.fork('bayesnet.noise');
  const tables: Float64Array[] = new Array(d);
  for (let k = 0; k < d; k++) {
    const i = network.order[k];
    const par = network.parents[i];
    const parStates = par.map((p) => states[p]);
    const parSizes = par.map((p) => nStates[p]);
    tables[i] = s.privacy
      ? noisyTable(states[i], nStates[i], parStates, parSizes, s.privacy.countNoiseScale, noiseRng)
      : smoothedTable(states[i], nStates[i], parStates, parSizes, s.smoothing);
    await ticker.maybePause('parameters', (k + 1) / d, 'Estimating conditional tables');
  }
  await ticker.pause('parameters', 1, 'Done');

  return new BayesNetModel(
    { columns, order: network.order, parents: network.parents, tables },
    {
      epsilon: s.privacy?.epsilon,
      maxParents,
      maxDomain: s.maxDomain,
      bins: s.bins,
      smoothing: isPrivate ? 0 : s.smoothing,
      nTrainingRows: n,
    },
  );
}
