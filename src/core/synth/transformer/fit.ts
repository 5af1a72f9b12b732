import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted, yieldToEventLoop, type CheckpointState, type TaskContext } from '../../context';
import type { Rng } from '../../random/rng';
import type { ModelArrays, PreparedTable } from '../engine';
import { currentBackend, selectBackend, type BackendPreference } from './backend';
import { causalMask, dropoutMasks, headPadding, initWeights, inputLayout, makeVariables, paramShapes, rowLosses, sequenceLoss, type Lookups, type NetConfig, type Params } from './network';
import { buildCoder, encodeColumn, type ColumnCoder } from './tokens';
import { calibrationBiases } from './calibration';
import { TransformerModel, type TrainingSummary } from './model';

export type SizePreset = 'auto' | 'small' | 'medium';

export interface TransformerOptions {
  /** Most passes over the training rows. Default 100 (early stopping usually ends sooner). */
  epochs?: number;
  /** Seconds of training at most (the best weights so far are kept). Default 150. */
  timeBudget?: number;
  /** Network size; 'auto' picks from the table's shape. */
  size?: SizePreset;
  /** Backend preference; 'auto' probes. */
  backend?: BackendPreference;
  // Expert settings (no field in the descriptor; passed through unchecked).
  batchSize?: number;
  learningRate?: number;
  /** Epochs without validation gain (see minGain) before stopping. Default: ~300 steps, at least 3 epochs. */
  patience?: number;
  /** Smallest validation gain, as a share of the loss, that counts as one. Default 1e-4 (MIN_GAIN). */
  minGain?: number;
  /**
   * Share of the training rows held out for validation (early stopping). Default 0.1. Over 10 holdout
   * splits (bench/privacy.ts), DCR share / TSTR/TRTR / 2-way: 0.05 gave cars93 0.579 / 0.780 / 0.448 against
   * 0.579 / 0.816 / 0.451, salaries 0.537 / 0.854 / 0.780 against 0.566 / 0.896 / 0.778; 0.2 gave cars93
   * 0.616 / 0.678 / 0.450, penguins 0.541 / 0.941 / 0.717 against 0.549 / 0.949 / 0.729.
   */
  validationShare?: number;
  /** Most quantile bins per numeric column (default: binsFor). */
  maxBins?: number;
  /**
   * Width of the network (default: the preset's). Small tables keep medium's 64: over 10 holdout splits
   * (bench/privacy.ts), DCR share / TSTR/TRTR / 2-way with 32 were cars93 0.621 / 0.694 / 0.450 against
   * 0.579 / 0.816 / 0.451, salaries 0.553 / 0.830 / 0.783 against 0.566 / 0.896 / 0.778, penguins 0.554 /
   * 0.981 / 0.726 against 0.549 / 0.949 / 0.729, survey 0.526 / 0.909 / 0.708 against a DCR share of 0.521.
   */
  width?: number;
  /** Transformer layers (default: layersFor). */
  layers?: number;
  /** Thermometer terms for numeric columns' bins (network.ts embeddingTable). Default true. */
  ordinal?: boolean;
  /** Column orders tried for sampling after random-order training (samplingOrder; 1: the table's). Default 8. */
  orderCandidates?: number;
  /** Train in the table's column order (trainingOrder) rather than a random one per batch. Default: from 5,000 rows. */
  tableOrder?: boolean;
  /** In table-order training, the share of batches whose order starts with drawn columns. Default 0.5. */
  prefixShare?: number;
  /** In table-order training, the most drawn columns such a batch starts with. Default 2. */
  maxPrefix?: number;
  /**
   * Dropout rate on the residual branches in training (network.ts dropoutMasks). Default 0: over holdout
   * splits (bench/privacy.ts --splits 10, 5 for colon) 0.1 lowered the DCR share by 0.006 on average
   * (cars93 0.574 against 0.579, salaries 0.558 / 0.566, penguins 0.549 / 0.549, survey 0.515 / 0.521,
   * colon 0.531 / 0.543) at about the same 2-way accuracy, but TSTR / TRTR fell on cars93 (0.755 against
   * 0.816) and salaries (0.859 / 0.896), and epochs took ~20% longer; 0.2 did not lower it further.
   * Measured and not kept either (10 splits): numeric tokens re-drawn each epoch from a Gaussian jitter of
   * the row's rank (sd 0.5 / 1 bin), a smoothed bootstrap of the bins: salaries DCR share 0.566 / 0.551,
   * TSTR/TRTR 0.917 / 0.820, 2-way 0.786 / 0.770 [0.782]; penguins 0.533 / 0.519, 0.965 / 0.912, 0.734 /
   * 0.720 [0.719]. Training for 20 epochs in place of early stopping left salaries' at 0.567: its excess
   * is learnt in the first epochs, not in the late ones.
   */
  dropout?: number;
  /**
   * Decoupled (AdamW) weight decay on the matrices. Default 0.01: over 10 holdout splits (bench/privacy.ts)
   * 0.3 moved the DCR share both ways (cars93 0.605 against 0.579, salaries 0.546 / 0.566, penguins 0.543 /
   * 0.549, survey 0.536 / 0.521) at the same 2-way accuracy.
   */
  weightDecay?: number;
  /**
   * Per-column logit biases matching the drawing order's mean predictions to the rows' shares
   * (calibration.ts). Default true. bench/transformer.ts --no-cart, seed 1, 2-way / 3-way with against
   * without: movies 0.866 / 0.692 against 0.847 / 0.679 (CART 0.870 / 0.692), titanic 0.920 / 0.838
   * against 0.909 / 0.822, colon 0.936 / 0.880 against 0.928 / 0.873, slid 0.935 / 0.854 against 0.931 /
   * 0.855, txhousing 0.909 / 0.778 against 0.912 / 0.781. Over 10 holdout splits (bench/privacy.ts), DCR
   * share / TSTR/TRTR / 2-way: cars93 0.611 / 0.811 / 0.466 against 0.579 / 0.816 / 0.451 (ceiling
   * 0.469), penguins 0.529 / 0.970 / 0.739 against 0.549 / 0.949 / 0.729.
   */
  calibrate?: boolean;
}

interface Preset {
  width: number;
  layers: number;
  heads: number;
  ffnMult: number;
  maxBins: number;
}

export const PRESETS: Record<'small' | 'medium', Preset> = {
  small: { width: 32, layers: 2, heads: 4, ffnMult: 2, maxBins: 32 },
  medium: { width: 64, layers: 2, heads: 4, ffnMult: 2, maxBins: 48 },
};

/** 'auto': medium while an epoch stays short (rows × columns up to 150 000 cells), small beyond. */
export function presetFor(size: SizePreset | undefined, rows: number, columns: number): 'small' | 'medium' {
  if (size === 'small' || size === 'medium') return size;
  return rows * columns <= 150_000 ? 'medium' : 'small';
}

/**
 * Most quantile bins per numeric column: about one per 40 rows, between 6 and the preset's (tables of
 * 1,920 rows and more keep the preset's). Each bin's token is a class the model learns from the rows that
 * fall in it. Over 10 holdout splits (bench/privacy.ts --splits 10 --models transformer), penguins went
 * from 2-way 0.710, DCR share 0.538, TSTR/TRTR 0.854 with 48 bins to 0.724 / 0.508 / 0.989 with 6;
 * cars93 from 0.406 to 0.454 (ceiling 0.469). Large tables want the preset's: slid (5,940 rows) scored
 * 0.927 with 48 bins and 0.918 with 39.
 */
export function binsFor(presetBins: number, rows: number): number {
  return Math.max(6, Math.min(presetBins, Math.round(rows / 40)));
}

/** Rows from which the network has one layer instead of the preset's, and trains in the table's order. */
const LARGE_ROWS = 5000;

/**
 * Layers: the preset's two below 5,000 rows, one from there. Large tables are where the time budget
 * rather than early stopping ends the fit (256-row batches), and there one layer, at about half the cost
 * a step, learns more in the same time. bench/transformer.ts --set layers=1 (150 s, Node WASM):
 * txhousing, seeds 1-3, 2-way 0.893 / 0.902 / 0.899 against 0.889 / 0.895 / 0.895 with two layers (CART
 * 0.899), 75-87 epochs against 43; the 30k table 21 epochs against 11 at the same 2-way (0.954 / 0.955),
 * and early-stopped after 54 epochs (282 s) given the time; slid the same 2-way (0.926 / 0.927). On small
 * tables one layer copied more: over 10 holdout splits (bench/privacy.ts --splits 10), cars93's DCR share
 * 0.695 against 0.563, salaries' 0.575 against 0.557.
 */
export function layersFor(presetLayers: number, rows: number): number {
  return rows >= LARGE_ROWS ? 1 : presetLayers;
}

/** Training state carried by a checkpoint's meta. */
interface CheckpointMeta {
  kind: 'transformer-checkpoint';
  cfg: NetConfig;
  preset: string;
  lr: number;
  best: number;
  bestEpoch: number;
  badEpochs: number;
  seconds: number;
  trainLoss: number;
  validationLoss: number;
  adamBeta: [number, number];
}

interface AdamInternals {
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  learningRate: number;
}

const WEIGHT_DECAY = 0.01;
/** Decay of the weights' moving average (a horizon of ~100 steps). */
const EMA_DECAY = 0.99;
/**
 * A validation gain under 0.01% of the loss is not a gain (1e-4 nats at the least). On the 30k-row table
 * the loss crept down 0.03 nats (0.07%) from epoch 19 to 54, 2-way accuracy 0.955 → 0.959 (ceiling
 * 0.961): early stopping at 23 epochs, 134 s (Node), in place of 54, 282 s. The shared tables' fits
 * ended within an epoch of where they did.
 */
const MIN_GAIN = 1e-4;

export async function fitTransformer(data: PreparedTable, options: TransformerOptions, ctx: TaskContext): Promise<TransformerModel> {
  const started = performance.now();
  throwIfAborted(ctx.signal);
  const backendPref = options.backend ?? 'auto';
  await selectBackend(backendPref);
  // What runs, as the user sees it: the backend and, for WASM, its threads ("wasm with 2 threads").
  const backend = currentBackend();
  const C = data.columns.length;
  const presetName = presetFor(options.size, data.nRows, C);
  const base = PRESETS[presetName];
  const preset = { ...base, width: options.width ?? base.width, layers: options.layers ?? layersFor(base.layers, data.nRows), maxBins: options.maxBins ?? binsFor(base.maxBins, data.nRows) };
  const coders: ColumnCoder[] = data.columns.map((c) => buildCoder(c, preset.maxBins));
  const tokens = data.columns.map((c, j) => encodeColumn(c, coders[j]));
  const resume = ctx.checkpoint?.resume;
  const resumeMeta = resume ? (resume.meta as CheckpointMeta) : null;
  if (resumeMeta && resumeMeta.kind !== 'transformer-checkpoint') throw new Error('Not a transformer checkpoint');
  // Numeric columns with 3 bins or more are ordered: their bins' embeddings share a thermometer term
  // (network.ts embeddingTable; with 2 bins it adds nothing a bin's own row lacks). slid, seeds 1-3: 2-way
  // 0.929 / 0.926 / 0.922 against 0.923 / 0.926 / 0.915 without, validation loss lower on each; colon
  // 0.927 / 0.924 / 0.928 against 0.915 / 0.928 / 0.927; ~2% a step on the 30k table.
  const ordered = !(options.ordinal ?? true) ? [] : coders.flatMap((c, j) => (c.type === 'numeric' && c.nBins >= 3 ? [j] : []));
  const cfg: NetConfig = resumeMeta?.cfg ?? {
    vocabs: coders.map((c) => c.vocab), width: preset.width, layers: preset.layers, heads: preset.heads, ffnMult: preset.ffnMult,
    ...(ordered.length ? { ordered } : {}),
  };
  if (cfg.vocabs.length !== C || cfg.vocabs.some((v, j) => v !== coders[j].vocab)) throw new Error('The checkpoint was made on another table');
  const layout = inputLayout(cfg.vocabs);

  // Split: validation rows (early stopping) and training rows, from the seeded Rng.
  const rng = ctx.rng.fork('transformer');
  const n = data.nRows;
  const perm = rng.fork('split').shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const share = options.validationShare ?? 0.1;
  const nVal = n >= 50 ? Math.min(5000, Math.max(1, Math.round(n * share))) : 0;
  const valRows = perm.subarray(0, nVal);
  const trainRows = perm.subarray(nVal);
  // Batches of 256 rows, fewer on small tables so that an epoch is still ~20 steps (penguins: 16 rows;
  // with 8 rows a step the validation loss after 20 epochs was 19.5 nats a row, with 16 rows 17.3).
  // An explicit batch size (an expert setting) is taken as given.
  const B = Math.max(2, Math.min(trainRows.length, options.batchSize ?? Math.min(256, Math.max(16, Math.round(trainRows.length / 20)))));
  // The step size grows with the batch (its square root) and shrinks with the width: Adam's updates move
  // each weight by about the step size, so a narrower layer's outputs move less for the same step (the
  // 1/width rule of μP). The 30k table (small preset, width 32), seeds 1-3, with 2× medium's step size
  // (and patience 3): early stop at 22 / 19 / 17 epochs, 2-way 0.958 / 0.956 / 0.957; with medium's
  // (patience 4) 23 / 32 / 31 epochs, 0.955 / 0.956 / 0.957.
  const baseLr = options.learningRate ?? (Math.min(3e-3, Math.max(2e-3, 1e-3 * Math.sqrt(B / 32))) * PRESETS.medium.width) / preset.width;
  const maxEpochs = options.epochs ?? 100;
  const budgetMs = (options.timeBudget ?? 150) * 1000;
  // Early stopping after `patience` epochs without validation gain, counted as at least ~300 optimizer
  // steps (and 3 epochs): on small tables an epoch is ~20 steps and 4 of them stopped titanic at 8 epochs
  // with the marginals still 6 points off (30 epochs: within 2).
  const stepsPerEpoch = Math.ceil(trainRows.length / B);
  const patience = options.patience ?? Math.max(3, Math.ceil(300 / stepsPerEpoch));
  const halveAfter = Math.max(2, Math.floor(patience / 2));
  const minGain = options.minGain ?? MIN_GAIN;
  const inTableOrder = options.tableOrder ?? usesTableOrder(n);
  const prefixShare = options.prefixShare ?? PREFIX_SHARE, maxPrefix = options.maxPrefix ?? MAX_PREFIX;
  const dropoutRate = options.dropout ?? 0;
  const weightDecay = options.weightDecay ?? WEIGHT_DECAY;

  const weights = resume ? weightsFrom(cfg, resume.arrays, 'w.') : initWeights(cfg, rng.fork('init'));
  const params = makeVariables(cfg, weights);
  const varList = paramShapes(cfg).map(([name]) => params.get(name)!);
  const decayed = paramShapes(cfg).filter(([name, s]) => (s.length === 2 && name !== 'emb' && name !== 'ord') || name === 'heads.w').map(([name]) => params.get(name)!);
  const optimizer = tf.train.adam(baseLr, 0.9, 0.999, 1e-7);
  const adam = optimizer as unknown as AdamInternals;
  const mask = causalMask(C);
  const padding = headPadding(cfg);

  let best = resumeMeta?.best ?? Infinity;
  let bestEpoch = resumeMeta?.bestEpoch ?? 0;
  let badEpochs = resumeMeta?.badEpochs ?? 0;
  let lr = resumeMeta?.lr ?? baseLr;
  let trainLoss = resumeMeta?.trainLoss ?? NaN;
  let validationLoss = resumeMeta?.validationLoss ?? NaN;
  // An exponential moving average of the weights (Polyak averaging) is what is validated, kept and
  // sampled: on small tables single steps move the marginals by several points (titanic: survived drawn
  // 0.47 for a real 0.38 with the last weights).
  const ema = makeVariables(cfg, resume ? weightsFrom(cfg, resume.arrays, 'ema.') : weights);
  let bestWeights = resume ? weightsFrom(cfg, resume.arrays, 'best.') : await snapshot(cfg, params);
  const priorSeconds = resumeMeta?.seconds ?? 0;
  if (resume && resumeMeta) restoreAdam(adam, cfg, params, resume.arrays, resumeMeta.adamBeta);
  let epoch = resume?.epoch ?? 0;
  let stoppedBy: TrainingSummary['stoppedBy'] = 'epochs';
  let partialEpochDropped = false;
  const elapsed = () => priorSeconds * 1000 + performance.now() - started;
  const warmupSteps = Math.min(30, Math.ceil(trainRows.length / B));
  let step = epoch * Math.ceil(trainRows.length / B);

  try {
    while (epoch < maxEpochs) {
      // Each epoch's row and column orders from its own stream: a resumed fit draws what a continued one would.
      const er = rng.fork(`epoch:${epoch}`);
      const epochRows = er.shuffle(Int32Array.from(trainRows));
      let sum = 0, count = 0, outOfTime = false, partial = false;
      for (let s = 0; s < epochRows.length; s += B) {
        const rows = epochRows.subarray(s, Math.min(epochRows.length, s + B));
        if (rows.length < 2) continue;
        const order = inTableOrder ? trainingOrder(C, er, prefixShare, maxPrefix) : er.shuffle([...Array(C).keys()]);
        const stepLr = step < warmupSteps ? (lr * (step + 1)) / warmupSteps : lr;
        adam.learningRate = stepLr;
        const drop = dropoutRate > 0 ? dropoutMasks(cfg, rows.length, dropoutRate, er) : undefined;
        const loss = await trainStep(cfg, params, varList, decayed, optimizer, layout, tokens, rows, order, mask, padding, stepLr, weightDecay, drop);
        const decay = Math.min(EMA_DECAY, (1 + step) / (10 + step));
        tf.tidy(() => {
          for (const [name, v] of params) {
            const e = ema.get(name)!;
            e.assign(tf.add(tf.mul(e, decay), tf.mul(v, 1 - decay)));
          }
        });
        sum += loss * rows.length;
        count += rows.length;
        step++;
        if (ctx.onProgress && (s / B) % 10 === 9) {
          ctx.onProgress({
            phase: 'training',
            fraction: Math.min(0.99, Math.max((epoch + s / epochRows.length) / maxEpochs, elapsed() / budgetMs)),
            message: `Epoch ${epoch + 1}: ${Math.round((100 * s) / epochRows.length)}% (${backend})`,
          });
        }
        await yieldToEventLoop();
        throwIfAborted(ctx.signal);
        if (elapsed() > budgetMs) {
          outOfTime = true;
          partial = s + B < epochRows.length;
          break;
        }
      }
      // Out of time inside an epoch, with a complete epoch behind: the unfinished one is dropped, so the
      // model is what `epochs = k` (k complete epochs) gives with the same seed on any machine, rather than
      // depending on how many steps this machine managed.
      if (partial && bestEpoch > 0) {
        stoppedBy = 'time-budget';
        partialEpochDropped = true;
        break;
      }
      epoch++;
      trainLoss = sum / Math.max(1, count);
      validationLoss = nVal > 0 ? await evaluate(cfg, ema, layout, tokens, valRows, mask, padding, inTableOrder ? null : rng.fork('validation')) : trainLoss;
      if (!Number.isFinite(best) || validationLoss < best - Math.max(1e-4, minGain * Math.abs(best))) {
        best = validationLoss;
        bestEpoch = epoch;
        badEpochs = 0;
        bestWeights = await snapshot(cfg, ema);
      } else {
        badEpochs++;
        if (badEpochs % halveAfter === 0) lr /= 2;
      }
      ctx.onProgress?.({
        phase: 'training',
        fraction: Math.min(0.99, Math.max(epoch / maxEpochs, elapsed() / budgetMs)),
        message: `Epoch ${epoch}: loss ${trainLoss.toFixed(3)}, validation ${validationLoss.toFixed(3)} (${backend})`,
        metrics: { epoch, trainLoss, validationLoss, backend },
      });
      if (ctx.checkpoint?.save) {
        const meta: CheckpointMeta = {
          kind: 'transformer-checkpoint',
          cfg, preset: presetName, lr, best, bestEpoch, badEpochs, seconds: elapsed() / 1000, trainLoss, validationLoss,
          adamBeta: [(await readTensor(adam.accBeta1))[0], (await readTensor(adam.accBeta2))[0]],
        };
        await ctx.checkpoint.save(await checkpointOf(epoch, meta, cfg, params, ema, bestWeights, adam));
      }
      if (outOfTime) {
        stoppedBy = 'time-budget';
        break;
      }
      if (badEpochs >= patience) {
        stoppedBy = 'early-stop';
        break;
      }
      throwIfAborted(ctx.signal);
    }
  } finally {
    for (const v of [...params.values(), ...ema.values()]) v.dispose();
    optimizer.dispose();
    mask.dispose();
    padding.dispose();
  }
  const training: TrainingSummary = {
    epochs: epoch, bestEpoch, trainLoss, validationLoss: Number.isFinite(best) ? best : validationLoss,
    seconds: elapsed() / 1000, backend, stoppedBy, preset: presetName,
    ...(partialEpochDropped ? { partialEpochDropped } : {}),
  };
  // Trained in the table's order, rows are drawn in it (model.ts sample); else in the best-fitting of a few.
  let order: number[] | undefined;
  if (!inTableOrder) {
    ctx.onProgress?.({ phase: 'training', fraction: 0.99, message: `Choosing the column order rows are drawn in (${backend})` });
    order = (await samplingOrder(cfg, bestWeights, tokens, nVal > 0 ? valRows : trainRows, rng.fork('order'), options.orderCandidates ?? ORDER_CANDIDATES, ctx.signal)).order;
  }
  if (options.calibrate ?? true) ctx.onProgress?.({ phase: 'training', fraction: 0.99, message: `Calibrating the drawing order (${backend})` });
  const calibration = (options.calibrate ?? true) ? await calibrationBiases(cfg, bestWeights, coders, tokens, perm, order ?? [...Array(C).keys()], ctx.signal) : undefined;
  return new TransformerModel({ cfg, coders, weights: bestWeights, training, backend: backendPref, ...(order ? { order } : {}), ...(calibration ? { calibration } : {}) });
}

/**
 * Whether a table of this many rows trains in its own column order (trainingOrder) rather than in a random
 * order per batch (TabularARGN's): from 5,000 rows, where the time budget rather than early stopping ends
 * the fit and learning one order well pays. bench/transformer.ts --no-cart --seed 1, table order against
 * random orders (and samplingOrder's choice): txhousing 2-way / 3-way 0.912 / 0.781 against 0.894 / 0.753
 * (CART 0.899 / 0.747, holdout 0.908 / 0.777), early stop at 48 epochs against the 100-epoch cap; slid
 * 0.931 / 0.855 against 0.929 / 0.840; the 30k table 0.960 / 0.889 in 11 epochs against 0.957 / 0.887 in 24.
 * Conditioned rows kept up (bench/rules.ts, seed 19; 2-way / the holdout's): txhousing sales ≥ 2557
 * 0.564 / 0.616 against 0.543, city = Garland 0.433 / 0.405 against 0.386. On smaller tables random orders
 * are a regulariser the table's order lacks: colon (1,486 rows) DCR share 0.621 against 0.535 at the same
 * 2-way (0.930 / 0.928), penguins 0.681 against 0.623; over 10 holdout splits (bench/privacy.ts) cars93
 * 0.626 against 0.579, salaries' TSTR/TRTR 0.833 against 0.896.
 */
export function usesTableOrder(rows: number): boolean {
  return rows >= LARGE_ROWS;
}

/** Share of table-order batches that start with drawn columns (trainingOrder). */
const PREFIX_SHARE = 0.5;
/** Most drawn columns such a batch starts with. */
const MAX_PREFIX = 2;

/**
 * A batch's column order in table-order training: the table's, and in a share of the batches (0.5) 1 to
 * maxPrefix (2) drawn columns first, then the rest in the table's order. Rows conditioned on one or two
 * columns are drawn that way (model.ts sample: the fixed columns first), so training has seen their
 * orders. The table's order alone gave close unconditioned figures (txhousing 0.907 / 0.772 against
 * 0.912 / 0.781 with prefixes, slid 0.932 / 0.853, the 30k table 0.960 / 0.890); half the batches in
 * fully random orders lost the gain (slid 0.928 / 0.842). One drawn column leading every batch (share 1,
 * maxPrefix 1) was no better over 9 holdout splits of bench/rules.ts (seeds 19-27): rows conditioned on
 * txhousing's sales, 2-way gap to the holdout 0.035 against 0.039; unconditioned (bench/transformer.ts,
 * seeds 1-3) txhousing 0.906 / 0.909 / 0.911 against 0.912 / 0.910 / 0.910, slid 0.925 / 0.928 / 0.928
 * against 0.931 / 0.928 / 0.924.
 */
export function trainingOrder(C: number, rng: Rng, share: number, maxPrefix: number): number[] {
  const k = C > 1 && rng.next() < share ? 1 + rng.int(Math.min(maxPrefix, C - 1)) : 0;
  const prefix = rng.shuffle([...Array(C).keys()]).slice(0, k);
  return [...prefix, ...[...Array(C).keys()].filter((j) => !prefix.includes(j))];
}

/** Column orders tried for sampling: the table's and 7 drawn ones. */
const ORDER_CANDIDATES = 8;
/** Fewer validation rows than this keep the table's order (too few to tell orders apart). */
const ORDER_MIN_ROWS = 50;

/**
 * The column order rows are drawn in (model.ts sample). Training sees every order, but the network fits
 * some better than others, and the rows drawn in an order follow its loss: on colon (seed 1, 119
 * validation rows) 8 orders' losses ran from 18.12 to 18.66 nats, and their rows' 2-way accuracy (whole
 * samples) from 0.937 to 0.957; the table's order 18.61 / 0.948, the lowest-loss one 18.12 / 0.953. So a
 * drawn order replaces the table's when its loss on the (validation) rows is lower by more than twice the
 * standard error of the rows' paired differences, the lowest such one. Under 50 validation rows (tables
 * under 500 rows) the table's order stays: over 10 splits, choosing on cars93's 7 validation rows moved
 * its TSTR/TRTR from 0.816 to 0.733, and choosing by the lowest loss alone salaries' from 0.896 to 0.853.
 */
export async function samplingOrder(
  cfg: NetConfig, weights: Map<string, Float32Array>, tokens: Int32Array[], rows: ArrayLike<number>, rng: Rng, tries = ORDER_CANDIDATES, signal?: AbortSignal,
): Promise<{ order: number[]; candidates: number[][]; losses: number[] }> {
  const C = cfg.vocabs.length;
  const candidates = [[...Array(C).keys()]];
  for (let k = 1; k < tries; k++) candidates.push(rng.shuffle([...Array(C).keys()]));
  const layout = inputLayout(cfg.vocabs);
  const params = makeVariables(cfg, weights);
  const mask = causalMask(C), padding = headPadding(cfg);
  const all = Int32Array.from(rows);
  const n = all.length;
  try {
    const perRow: Float32Array[] = [];
    for (const order of candidates) {
      const out = new Float32Array(n);
      for (let s = 0; s < n; s += 512) {
        const sub = all.subarray(s, Math.min(n, s + 512));
        const { input, targets } = batchTensors(layout, cfg.vocabs, tokens, sub, order);
        const lossT = tf.tidy(() => rowLosses(cfg, params, input, sub.length, order, targets, mask, padding));
        for (const t of [...input, targets]) t.dispose();
        out.set(await readTensor(lossT), s);
        lossT.dispose();
        // A cancel lands within one block, not after every candidate order.
        await yieldToEventLoop();
        throwIfAborted(signal);
      }
      perRow.push(out);
    }
    const losses = perRow.map((l) => l.reduce((a, b) => a + b, 0) / n);
    let best = 0;
    for (let k = 1; k < candidates.length && n >= ORDER_MIN_ROWS; k++) {
      // Paired differences against the table's order: mean + 2 standard errors below zero.
      let sum = 0, sq = 0;
      for (let r = 0; r < n; r++) {
        const d = perRow[k][r] - perRow[0][r];
        sum += d;
        sq += d * d;
      }
      const mean = sum / n, se = Math.sqrt(Math.max(0, sq / n - mean * mean) / Math.max(1, n - 1));
      if (mean + 2 * se < 0 && losses[k] < losses[best]) best = k;
    }
    return { order: candidates[best], candidates, losses };
  } finally {
    for (const v of params.values()) v.dispose();
    mask.dispose();
    padding.dispose();
  }
}

/** Embedding look-ups (network.ts Lookups) and one-hot targets per position for these rows in this column order. */
function batchTensors(layout: ReturnType<typeof inputLayout>, vocabs: number[], tokens: Int32Array[], rows: ArrayLike<number>, order: number[]) {
  const B = rows.length, T = order.length;
  const value = new Int32Array(B * T), prev = new Int32Array(B * T), query = new Int32Array(B * T);
  const vmax = Math.max(...vocabs);
  const targets = new Float32Array(T * B * vmax);
  for (let r = 0; r < B; r++) {
    const row = rows[r];
    for (let t = 0; t < T; t++) {
      const i = r * T + t;
      const j = order[t];
      if (t === 0) value[i] = prev[i] = layout.bos;
      else {
        const p = order[t - 1];
        value[i] = layout.offsets[p] + tokens[p][row];
        prev[i] = layout.prevCol + p;
      }
      query[i] = layout.queryCol + j;
      targets[(t * B + r) * vmax + tokens[j][row]] = 1;
    }
  }
  return {
    input: [tf.tensor1d(value, 'int32'), tf.tensor1d(prev, 'int32'), tf.tensor1d(query, 'int32')] as Lookups,
    targets: tf.tensor3d(targets, [T, B, vmax]),
  };
}

async function trainStep(
  cfg: NetConfig, params: Params, varList: tf.Variable[], decayed: tf.Variable[], optimizer: tf.Optimizer,
  layout: ReturnType<typeof inputLayout>, tokens: Int32Array[], rows: Int32Array, order: number[], mask: tf.Tensor2D, padding: tf.Tensor3D, lr: number,
  weightDecay: number, dropout?: tf.Tensor2D[],
): Promise<number> {
  const { input, targets } = batchTensors(layout, cfg.vocabs, tokens, rows, order);
  try {
    const cost = optimizer.minimize(() => sequenceLoss(cfg, params, input, rows.length, order, targets, mask, padding, dropout), true, varList);
    const loss = (await readTensor(cost!))[0];
    cost!.dispose();
    // Decoupled weight decay (AdamW) on the matrices.
    const keep = 1 - lr * weightDecay;
    tf.tidy(() => {
      for (const v of decayed) v.assign(tf.mul(v, keep));
    });
    return loss;
  } finally {
    for (const t of [...input, targets, ...(dropout ?? [])]) t.dispose();
  }
}

/**
 * Mean validation loss (nats per row) over the held-out rows: in the table's order (rng null: table-order
 * training), else in drawn column orders.
 */
async function evaluate(cfg: NetConfig, params: Params, layout: ReturnType<typeof inputLayout>, tokens: Int32Array[], rows: Int32Array, mask: tf.Tensor2D, padding: tf.Tensor3D, rng: Rng | null): Promise<number> {
  const C = cfg.vocabs.length;
  // Small validation sets are scored in several drawn column orders (at least ~2000 rows' worth), for a less noisy stop.
  const passes = rng ? Math.max(1, Math.min(8, Math.ceil(2000 / rows.length))) : 1;
  let sum = 0;
  for (let pass = 0; pass < passes; pass++)
  for (let s = 0; s < rows.length; s += 512) {
    const sub = rows.subarray(s, Math.min(rows.length, s + 512));
    const order = rng ? rng.shuffle([...Array(C).keys()]) : [...Array(C).keys()];
    const { input, targets } = batchTensors(layout, cfg.vocabs, tokens, sub, order);
    const lossT = tf.tidy(() => sequenceLoss(cfg, params, input, sub.length, order, targets, mask, padding));
    for (const t of [...input, targets]) t.dispose();
    const loss = (await readTensor(lossT))[0];
    lossT.dispose();
    sum += loss * sub.length;
  }
  return sum / (rows.length * passes);
}

async function snapshot(cfg: NetConfig, params: Params): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name] of paramShapes(cfg)) out.set(name, await readTensor(params.get(name)!));
  return out;
}

function weightsFrom(cfg: NetConfig, arrays: ModelArrays, prefix: string): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name] of paramShapes(cfg)) {
    const a = arrays[prefix + name];
    if (!(a instanceof Float32Array)) throw new Error(`The checkpoint is missing "${prefix}${name}"`);
    out.set(name, a);
  }
  return out;
}

async function checkpointOf(epoch: number, meta: CheckpointMeta, cfg: NetConfig, params: Params, ema: Params, best: Map<string, Float32Array>, adam: AdamInternals): Promise<CheckpointState> {
  const arrays: ModelArrays = {};
  for (const [name] of paramShapes(cfg)) {
    arrays[`w.${name}`] = await readTensor(params.get(name)!);
    arrays[`ema.${name}`] = await readTensor(ema.get(name)!);
    arrays[`best.${name}`] = best.get(name)!;
  }
  // Adam's moments, by the variable's place in the list (the order of paramShapes).
  const names = paramShapes(cfg).map(([name]) => name);
  for (const [i, m] of adam.accumulatedFirstMoment.entries()) arrays[`m.${names[i]}`] = await readTensor(m.variable);
  for (const [i, v] of adam.accumulatedSecondMoment.entries()) arrays[`v.${names[i]}`] = await readTensor(v.variable);
  return { epoch, meta, arrays };
}

/**
 * A tensor's values, copied: read asynchronously, because a GPU backend's synchronous read is slow
 * (WebGL) or unreliable (tfjs's WebGPU read through a canvas gave zeros on SwiftShader).
 */
async function readTensor(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from((await t.data()) as Float32Array);
}

function restoreAdam(adam: AdamInternals, cfg: NetConfig, params: Params, arrays: ModelArrays, beta: [number, number]): void {
  const shapes = paramShapes(cfg);
  if (!(arrays[`m.${shapes[0][0]}`] instanceof Float32Array)) return; // saved before the first step: fresh moments
  adam.accumulatedFirstMoment = [];
  adam.accumulatedSecondMoment = [];
  for (const [name, shape] of shapes) {
    const varName = params.get(name)!.name;
    adam.accumulatedFirstMoment.push({ originalName: `${varName}/m`, variable: tf.variable(tf.tensor(arrays[`m.${name}`] as Float32Array, shape), false) });
    adam.accumulatedSecondMoment.push({ originalName: `${varName}/v`, variable: tf.variable(tf.tensor(arrays[`v.${name}`] as Float32Array, shape), false) });
  }
  adam.accBeta1.assign(tf.scalar(beta[0]));
  adam.accBeta2.assign(tf.scalar(beta[1]));
}
