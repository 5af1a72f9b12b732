import * as tf from '@tensorflow/tfjs-core';
import { causalMask, headPadding, inputLayout, sequenceLoss, type Lookups, type NetConfig, type Params } from '../../../../src/core/synth/transformer/network';

/**
 * Rows given as tokens per column, with the columns in `order`, as the network reads them: the embedding
 * look-ups of position t of row r (value, previous column, column to predict), and a decoding step's
 * inputs for all rows at position t.
 */
export function passInputs(cfg: NetConfig, tokens: Int32Array[], order: number[]) {
  const layout = inputLayout(cfg.vocabs);
  const B = tokens[0].length;
  const look = (t: number, r: number): number[] => {
    if (t === 0) return [layout.bos, layout.bos, layout.queryCol + order[0]];
    const p = order[t - 1];
    return [layout.offsets[p] + tokens[p][r], layout.prevCol + p, layout.queryCol + order[t]];
  };
  const active = (t: number) => [0, 1, 2].map((k) => Int32Array.from({ length: B }, (_, r) => look(t, r)[k])) as [Int32Array, Int32Array, Int32Array];
  return { look, active };
}

/** The training pass's loss (mean negative log-likelihood per row, nats): what the sampling decoder must reproduce. */
export function trainingLoss(cfg: NetConfig, params: Params, tokens: Int32Array[], order: number[]): number {
  const vocabs = cfg.vocabs, C = vocabs.length, B = tokens[0].length, vmax = Math.max(...vocabs);
  const { look } = passInputs(cfg, tokens, order);
  const lookups = [0, 1, 2].map((k) => tf.tensor1d(Int32Array.from({ length: B * C }, (_, i) => look(i % C, Math.floor(i / C))[k]), 'int32')) as Lookups;
  const targets = new Float32Array(C * B * vmax);
  for (let t = 0; t < C; t++) for (let r = 0; r < B; r++) targets[(t * B + r) * vmax + tokens[order[t]][r]] = 1;
  return sequenceLoss(cfg, params, lookups, B, order, tf.tensor3d(targets, [C, B, vmax]), causalMask(C), headPadding(cfg)).dataSync()[0];
}

/** −log softmax(logits[at·V .. (at+1)·V])[token]. */
export function tokenNll(logits: Float32Array, at: number, V: number, token: number): number {
  const row = Array.from(logits.subarray(at * V, (at + 1) * V));
  const max = Math.max(...row);
  return max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) - row[token];
}
