/**
 * The kernels backend.ts registers on the WASM backend (gather, sum over outer axes, a shared identity,
 * batched products through our SIMD kernel) against the pure-JS CPU backend's stock kernels, with gradients.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../../src/core/synth/transformer/backend';

type Case = { name: string; run: () => tf.Tensor };

function cases(): Case[] {
  const x3 = () => tf.randomNormal([5, 12, 7], 0, 1, 'float32', 1);
  const x4 = () => tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 2);
  return [
    { name: 'gather axis 0', run: () => tf.gather(x3(), tf.tensor1d([4, 0, 4, 2], 'int32')) },
    { name: 'gather axis 1', run: () => tf.gather(x3(), tf.tensor1d([11, 3, 3], 'int32'), 1) },
    { name: 'gather 2-d indices', run: () => tf.gather(x3(), tf.tensor2d([1, 2, 3, 0], [2, 2], 'int32'), 2) },
    { name: 'sum axis 0', run: () => tf.sum(x3(), 0) },
    { name: 'sum axis 1 keepDims', run: () => tf.sum(x3(), 1, true) },
    { name: 'sum axes 0,1', run: () => tf.sum(x4(), [0, 1]) },
    { name: 'sum axes 1,2', run: () => tf.sum(x4(), [2, 1], true) },
    { name: 'sum all', run: () => tf.sum(x4()) },
    { name: 'sum axes 0,2 (not a block)', run: () => tf.sum(x4(), [0, 2]) },
    { name: 'batched product', run: () => tf.matMul(tf.randomNormal([3, 40, 32], 0, 1, 'float32', 3), tf.randomNormal([3, 32, 41], 0, 1, 'float32', 4)) },
    { name: 'batched product, transposed', run: () => tf.matMul(tf.randomNormal([3, 32, 40], 0, 1, 'float32', 5), tf.randomNormal([3, 41, 32], 0, 1, 'float32', 6), true, true) },
    { name: 'matrix × batch', run: () => tf.matMul(tf.randomNormal([40, 32], 0, 1, 'float32', 7), tf.randomNormal([2, 2, 32, 41], 0, 1, 'float32', 8)) },
    // Small matrices: the SIMD kernel (N = 15: three groups of four columns and three single ones).
    { name: 'small batched product', run: () => tf.matMul(tf.randomNormal([6, 2, 15, 8], 0, 1, 'float32', 11), tf.randomNormal([6, 2, 8, 15], 0, 1, 'float32', 12)) },
    { name: 'small batched product, transposed', run: () => tf.matMul(tf.randomNormal([5, 15, 15], 0, 1, 'float32', 13), tf.randomNormal([5, 8, 15], 0, 1, 'float32', 14), false, true) },
    { name: 'small matrix × batch', run: () => tf.matMul(tf.randomNormal([3, 5], 0, 1, 'float32', 15), tf.randomNormal([4, 5, 6], 0, 1, 'float32', 16)) },
    { name: 'small batch × matrix', run: () => tf.matMul(tf.randomNormal([4, 3, 5], 0, 1, 'float32', 17), tf.randomNormal([5, 7], 0, 1, 'float32', 18)) },
    {
      name: 'gradients through gather, sum and batched products',
      run: () => {
        const w = tf.randomNormal([6, 32], 0, 1, 'float32', 9);
        const h = tf.randomNormal([4, 32, 33], 0, 1, 'float32', 10);
        const idx = tf.tensor1d([0, 5, 5, 1, 2, 3, 4, 0], 'int32');
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.reshape(tf.gather(a, idx), [4, 2, 32]), b), tf.reshape(tf.range(0, 66), [2, 33])));
        const [ga, gb] = tf.grads(f)([w, h]);
        return tf.concat([tf.reshape(ga, [-1]), tf.reshape(gb, [-1])]);
      },
    },
  ];
}

describe('WASM kernels (backend.ts)', () => {
  it('give the CPU backend’s values', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    const want = cases().map((c) => tf.tidy(() => { const t = c.run(); return { shape: t.shape, data: Array.from(t.dataSync()) }; }));
    expect(await selectBackend('wasm')).toBe('wasm');
    cases().forEach((c, i) => {
      const got = tf.tidy(() => { const t = c.run(); return { shape: t.shape, data: Array.from(t.dataSync()) }; });
      expect(got.shape, c.name).toEqual(want[i].shape);
      got.data.forEach((v, k) => expect(Math.abs(v - want[i].data[k]), `${c.name} [${k}]`).toBeLessThan(1e-3 * (1 + Math.abs(want[i].data[k]))));
    });
  });

  it('share memory in clones without leaking it', async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor1d([1, 2, 3]);
    const c = tf.clone(x);
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    c.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});
