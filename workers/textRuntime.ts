/**
 * Transformers.js as the workers run it (the text worker; the train worker when a sample's texts are
 * written, or its leak guard fed, by an imported model; the evaluate worker for embedding metrics): models
 * are read only from this origin's Cache Storage (src/db/textModels.ts, `allowRemoteModels = false`), ONNX
 * Runtime's WASM from the app's own assets (never a CDN), and inference runs on WebGPU when the device has
 * an adapter, WASM otherwise. Workers import this module lazily, so nothing of Transformers.js loads until
 * a model is used.
 */
import { UserError } from '../src/core/context';
import { Embedder, EntityFinder, loadTransformers, ModelTextGenerator, type ModelSource, type TextDevice, type TextTask } from '../src/core/text/transformersText';
import type { EntityModel } from '../src/core/text/scan';
import type { TextEmbedder } from '../src/core/metrics/text';
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

/** Models loaded in this worker, by stored model id: a second run does not load the model again. */
const loaded = new Map<string, Promise<unknown>>();

/** Forget a loaded model (deleted from the store). */
export function forgetResident(id: string): void {
  loaded.delete(id);
}

/** The model loaded under `id` in this worker, loading it the first time (a failed load is forgotten). */
export function resident<T>(id: string, load: () => Promise<T>): Promise<T> {
  let p = loaded.get(id) as Promise<T> | undefined;
  if (!p) {
    p = load();
    loaded.set(id, p);
    p.catch(() => loaded.delete(id));
  }
  return p;
}

/**
 * A stored model of the given task, loaded once per worker, with its record and device. Throws a UserError
 * (with `wrongTask` as the message's end and hint) when the model does another job.
 */
async function storedModel<T>(id: string, task: TextTask, wrongTask: [string, string], load: (src: ModelSource) => Promise<T>): Promise<{ model: T; record: TextModelRecord; device: TextDevice }> {
  const { record, src } = await storedModelSource(id);
  if (record.task !== task) throw new UserError(`${record.name} is not a ${task} model, so it cannot ${wrongTask[0]}.`, wrongTask[1]);
  return { model: await resident(id, () => load(src)), record, device: src.device };
}

/**
 * A stored text-generation model as the pipeline's TextGenerator (SampleOptions.textGenerator), labelled
 * with the name it was imported under and the device it runs on ("tiny-gpt2 (WASM)").
 */
export async function storedTextGenerator(id: string): Promise<TextGenerator> {
  const { model, record, device } = await storedModel(id, 'text-generation', ['write texts', 'Choose a text-generation model (a causal LM), or the built-in word model.'], (src) => ModelTextGenerator.load(src));
  return {
    label: `${record.name} (${deviceLabel(device)})`,
    generate: (requests, seed, signal) => model.generate(requests, seed, signal),
  };
}

/**
 * A stored NER model for the text scan (scan.ts's EntityModel), labelled like a generator ("tiny-ner
 * (WASM)"): the train worker finds with it the entities of one training row that the leak guard keeps out.
 */
export async function storedEntityModel(id: string): Promise<EntityModel> {
  const { model, record, device } = await storedModel(id, 'token-classification', ['find named entities', 'Choose a token-classification (NER) model.'], (src) => EntityFinder.load(src));
  return { label: `${record.name} (${deviceLabel(device)})`, find: (texts) => model.find(texts) };
}

/**
 * A stored sentence-embedding model for the report's embedding metrics, labelled with the name it was
 * imported under (the report's figures do not depend on the device).
 */
export async function storedEmbedder(id: string): Promise<TextEmbedder> {
  const { model, record } = await storedModel(id, 'feature-extraction', ['embed texts', 'Choose a feature-extraction (sentence embedding) model.'], (src) => Embedder.load(src));
  return { label: record.name, embed: (texts) => model.embed(texts) };
}

/** The first stored model of a task (in import order), or undefined when none is stored. */
export async function firstStoredModel(task: TextTask): Promise<TextModelRecord | undefined> {
  if (typeof caches === 'undefined') return undefined;
  return (await listTextModels()).find((m) => m.task === task);
}
