/**
 * Our WebAssembly kernel (kernels/batchMatMul.wat): the committed binaries are what the source assembles
 * to, and on the WASM backend the attention's batched products give the stock kernel's values bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, stockWasmKernel } from '../../../../src/core/synth/transformer/backend';
import { simdKernelReady } from '../../../../src/core/synth/transformer/kernels/simdBatchMatMul';
// @ts-expect-error: a plain ES module script without types
import { generate, OUTPUT } from '../../../../scripts/build-wasm-kernels.mjs';

describe('the SIMD batched-product kernel', () => {
  it('is committed as batchMatMul.wat assembles (node scripts/build-wasm-kernels.mjs)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await generate());
  });

  it('gives the stock loop’s values bit for bit, with and without a shared operand', async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
    const stock = stockWasmKernel('BatchMatMul');
    expect(stock).toBeDefined();
    expect(stock).not.toBe(tf.getKernel('BatchMatMul', 'wasm'));
    const cases: [number[], number[]][] = [[[64, 15, 15], [64, 15, 8]], [[64, 15, 8], [64, 8, 15]], [[64, 3, 7], [1, 7, 5]], [[1, 9, 2], [12, 2, 9]]];
    for (const [sa, sb] of cases) {
      tf.tidy(() => {
        const a = tf.randomNormal(sa, 0, 1, 'float32', 1), b = tf.randomNormal(sb, 0, 1, 'float32', 2);
        const ours = tf.matMul(a, b).dataSync();
        // The backend's own kernel, called around the registry.
        const info = stock!.kernelFunc({ inputs: { a, b }, backend: tf.backend(), attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
        const want = tf.engine().makeTensorFromTensorInfo(info).dataSync();
        expect(ours.length).toBe(want.length);
        expect(Array.from(ours)).toEqual(Array.from(want));
      });
    }
    expect(simdKernelReady()).toBe(true);
  });
});
