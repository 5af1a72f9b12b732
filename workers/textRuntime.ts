/**
 * Transformers.js as the workers run it (the text worker, and the train worker when a sample's texts are
 * written by an imported model): models are read only from this origin's Cache Storage
 * (src/db/textModels.ts, `allowRemoteModels = false`), ONNX Runtime's WASM from the app's own assets (never
 * a CDN), and inference runs on WebGPU when the device has an adapter, WASM otherwise. Workers import this
 * module lazily, so nothing of Transformers.js loads until a model is used.
 */
import { UserError } from '../src/core/context';
import { loadTransformers, ModelTextGenerator, type ModelSource, type TextDevice } from '../src/core/text/transformersText';
import type { TextGenerator } from '../src/core/text/generator';
import { listTextModels, matchModelFile, MODEL_PREFIX, type TextModelRecord } from '../src/db/textModels';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

let device: TextDevice | undefined;

/** Transformers.js, set to read models from Cache Storage only and ONNX Runtime from the app. */
export async function transformers() {
  const t = await loadTransformers();
  t.env.allowRemoteModels = false;
  t.env.localModelPath = MODEL_PREFIX;
  // "Local" model files are read from Cache Storage, never fetched: a file a model lacks is a 404 here.
  const serve = async (input: string | URL | Request): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes(MODEL_PREFIX)) return (await matchModelFile(url)) ?? new Response(null, { status: 404 });
    throw new UserError(`Text models read no network resource (asked for ${url}).`);
  };
  t.env.fetch = serve as typeof fetch;
  t.env.useBrowserCache = false;
  // ONNX Runtime's factory is imported from the app's own URL: the CSP allows no blob: scripts.
  t.env.useWasmCache = false;
  t.env.useCustomCache = true;
  t.env.customCache = {
    match: (req: string | Request) => matchModelFile(typeof req === 'string' ? req : req.url),
    put: async () => {},
  } as never;
  const onnx = t.env.backends.onnx as { wasm?: { wasmPaths?: unknown } };
  if (onnx.wasm) onnx.wasm.wasmPaths = { wasm: new URL(ortWasm, self.location.href).href, mjs: new URL(ortMjs, self.location.href).href };
  return t;
}

/** WebGPU when the device has an adapter, WASM otherwise (asked once per worker). */
export async function pickDevice(): Promise<TextDevice> {
  if (device) return device;
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  let adapter: unknown = null;
  try {
    adapter = gpu ? await gpu.requestAdapter() : null;
  } catch {
    adapter = null;
  }
  device = adapter ? 'webgpu' : 'wasm';
  return device;
}

/** How a device is named to the user. */
export function deviceLabel(d: TextDevice): string {
  return d === 'webgpu' ? 'WebGPU' : d === 'wasm' ? 'WASM' : 'CPU';
}

/**
 * A stored model's record and where Transformers.js finds it (Transformers.js configured, the device
 * picked). Throws a UserError when the model is no longer stored.
 */
export async function storedModelSource(id: string): Promise<{ record: TextModelRecord; src: ModelSource & { device: TextDevice } }> {
  const record = (await listTextModels()).find((m) => m.id === id);
  if (!record) throw new UserError('That model is no longer stored.', 'Import it again on the Models page.');
  await transformers();
  return { record, src: { root: MODEL_PREFIX, name: record.id, dtype: record.dtype, device: await pickDevice() } };
}

/** Generators loaded in this worker, by stored model id: a second sample does not load the model again. */
const generators = new Map<string, Promise<ModelTextGenerator>>();

/**
 * A stored text-generation model as the pipeline's TextGenerator (SampleOptions.textGenerator), labelled
 * with the name it was imported under and the device it runs on ("tiny-gpt2 (WASM)").
 */
export async function storedTextGenerator(id: string): Promise<TextGenerator> {
  const { record, src } = await storedModelSource(id);
  if (record.task !== 'text-generation') {
    throw new UserError(`${record.name} is not a text-generation model, so it cannot write texts.`, 'Choose a text-generation model (a causal LM), or the built-in word model.');
  }
  let loading = generators.get(id);
  if (!loading) {
    loading = ModelTextGenerator.load(src);
    generators.set(id, loading);
    loading.catch(() => generators.delete(id));
  }
  const model = await loading;
  return {
    label: `${record.name} (${deviceLabel(src.device)})`,
    generate: (requests, seed, signal) => model.generate(requests, seed, signal),
  };
}
