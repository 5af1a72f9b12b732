/**
 * The two gradients network.ts writes out by hand (layer norm, and the softmax cross-entropy of the output
 * heads) against tfjs's automatic differentiation of the textbook formulas, on the WASM backend the app
 * trains on and on the CPU one.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/core/synth/transformer/backend';
import { crossEntropy, layerNorm } from '../../../../src/core/synth/transformer/network';

function layerNormByAutodiff(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
}

function crossEntropyByAutodiff(logits: tf.Tensor, targets: tf.Tensor, B: number): tf.Scalar {
  return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), targets))), B) as tf.Scalar;
}

const close = (got: tf.Tensor, want: tf.Tensor, what: string) => {
  expect(got.shape, what).toEqual(want.shape);
  const a = got.dataSync(), w = want.dataSync();
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(a[i] - w[i]) / (1e-3 + Math.abs(w[i])));
  expect(worst, what).toBeLessThan(1e-3);
};

describe.each(['wasm', 'cpu'] as const)('written-out gradients (%s)', (backend) => {
  it('layer norm: values and the gradients of x, gain and bias', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([3, 5, 16], 0.5, 2, 'float32', 1);
      const g = tf.randomNormal([16], 1, 0.3, 'float32', 2), b = tf.randomNormal([16], 0, 0.3, 'float32', 3);
      const w = tf.randomNormal([3, 5, 16], 0, 1, 'float32', 4); // a loss that weighs every output differently
      const lossOf = (ln: typeof layerNorm) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(ln(x, g, b), w));
      close(layerNorm(x, g, b), layerNormByAutodiff(x, g, b), 'values');
      const got = tf.grads(lossOf(layerNorm))([x, g, b]);
      const want = tf.grads(lossOf(layerNormByAutodiff))([x, g, b]);
      ['x', 'gain', 'bias'].forEach((name, i) => close(got[i], want[i], name));
    });
  });

  it('cross-entropy: loss and logits gradient, padding masked out, an underflowing target finite', async () => {
    expect(await selectBackend(backend)).toBe(backend);
    tf.tidy(() => {
      const T = 4, B = 6, V = 9;
      // Logits of scale 3; the last two entries of every head are padding (-1e9), as headPadding makes them.
      const logits = tf.add(tf.mul(tf.randomNormal([T, B, V], 0, 1, 'float32', 5), 3), tf.concat([tf.zeros([T, B, V - 2]), tf.fill([T, B, 2], -1e9)], 2));
      const targets = tf.cast(tf.oneHot(tf.randomUniform([T, B], 0, V - 2, 'int32', 6) as tf.Tensor2D, V), 'float32') as tf.Tensor3D;
      close(crossEntropy(logits, targets, B), crossEntropyByAutodiff(logits, targets, B), 'loss');
      close(tf.grad((l: tf.Tensor) => crossEntropy(l, targets, B))(logits), tf.grad((l: tf.Tensor) => crossEntropyByAutodiff(l, targets, B))(logits), 'gradient');
      // A target 200 nats below the best logit: its probability underflows; the loss stays finite.
      const far = tf.tensor3d([[[200, 0, 0]]]), first = tf.tensor3d([[[0, 1, 0]]]);
      const loss = crossEntropy(far, first, 1).dataSync()[0];
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeGreaterThan(60);
    });
  });
});
