/**
 * WebGPU for the benches in Node: Dawn's Node binding (the npm package `webgpu`, the same WebGPU
 * implementation Chromium uses) exposed as `navigator.gpu`, then tfjs's WebGPU backend registered, so
 * that `--backend webgpu` times the transformer on a real GPU without a browser. The package is not a
 * dependency (51 MB of binaries for every platform); install it for the run: `npm i --no-save webgpu`.
 * Dawn's own flags (e.g. `backend=vulkan`, `adapter=NAME`) may be given, comma-separated, in DAWN_FLAGS.
 * Returns the adapter's description, or throws with what to do.
 */
export async function setupNodeWebGpu(): Promise<string> {
  const specifier = 'webgpu'; // optional: not in package.json
  let dawn: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  try {
    dawn = (await import(/* @vite-ignore */ specifier)) as typeof dawn;
  } catch (e) {
    throw new Error(`--backend webgpu in Node needs Dawn's binding: npm i --no-save webgpu (${(e as Error).message})`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create((process.env.DAWN_FLAGS ?? '').split(',').filter(Boolean));
  // Node 21+ has a navigator of its own (without gpu); tfjs looks for globalThis.navigator.gpu.
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('Dawn found no WebGPU adapter (no GPU driver, or no Vulkan loader)');
  // tfjs registers its WebGPU backend at import time, only where navigator.gpu exists: so after the lines above.
  await import('@tensorflow/tfjs-backend-webgpu');
  const info = adapter.info ?? {};
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
}

interface GpuLike {
  requestAdapter(o?: { powerPreference?: string }): Promise<{ info?: { vendor?: string; architecture?: string; device?: string; description?: string } } | null>;
}
