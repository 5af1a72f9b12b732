/**
 * Local text models through Transformers.js (`@huggingface/transformers`, the continuation of
 * `@xenova/transformers`, same API). Models are only ever read from the user's disk or the browser's own
 * storage: `env.allowRemoteModels` is false before anything loads. The library is imported lazily, so
 * nothing of it loads for a table without text columns.
 *
 * Three jobs, told apart by a model folder's config.json (see `taskOfConfig`):
 * - token-classification (a BERT-style NER model): named entities in free text (person, location,
 *   organisation);
 * - text-generation (a causal LM, GPT-2 style or an instruction-tuned one): the synthetic texts;
 * - feature-extraction (a sentence-embedding model): the report's embedding metrics.
 */
import { UserError } from '../context';
import type { TextGenerator, TextRequest } from './generator';
import { entityKindOfLabel, type FoundEntity } from './piiText';
import { detokenize, tokenize } from './tokens';

export type TextTask = 'token-classification' | 'text-generation' | 'feature-extraction';
export type TextDevice = 'wasm' | 'webgpu' | 'cpu';

/** Model types Transformers.js runs for each task (a subset: the common small ones). */
const SUPPORTED: Record<TextTask, readonly string[]> = {
  'token-classification': ['bert', 'distilbert', 'roberta', 'xlm-roberta', 'deberta', 'deberta-v2', 'electra', 'mobilebert', 'camembert', 'albert'],
  'feature-extraction': ['bert', 'distilbert', 'roberta', 'xlm-roberta', 'mpnet', 'electra', 'mobilebert', 'albert', 'nomic_bert', 'modernbert', 'gte', 'e5'],
  'text-generation': ['gpt2', 'gpt_neo', 'gpt_neox', 'gptj', 'llama', 'mistral', 'qwen2', 'qwen3', 'phi', 'phi3', 'gemma', 'gemma2', 'gemma3_text', 'smollm3', 'olmo', 'granite', 'stablelm', 'codegen', 'opt', 'bloom', 'falcon'],
};

export interface ModelConfigInfo {
  task: TextTask;
  modelType: string;
  architecture: string;
}

/**
 * The task of a model from its config.json: a *ForTokenClassification architecture is NER, a causal LM
 * head (*LMHeadModel, *ForCausalLM) generates text, a bare encoder (BertModel...) embeds. Throws a
 * UserError for an architecture or model type Facsimile cannot run.
 */
export function taskOfConfig(config: { model_type?: unknown; architectures?: unknown }): ModelConfigInfo {
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  const arch = Array.isArray(config.architectures) && typeof config.architectures[0] === 'string' ? config.architectures[0] : '';
  if (!modelType) throw new UserError('config.json names no model_type, so the model cannot be loaded.', 'Export the model with Optimum or take a Transformers.js-ready copy (one with an onnx/ folder).');
  let task: TextTask | null = null;
  if (/ForTokenClassification$/.test(arch)) task = 'token-classification';
  else if (/(LMHeadModel|ForCausalLM)$/.test(arch)) task = 'text-generation';
  else if (/Model$/.test(arch) && !/For/.test(arch)) task = 'feature-extraction';
  else if (!arch && SUPPORTED['feature-extraction'].includes(modelType)) task = 'feature-extraction';
  if (!task) {
    throw new UserError(
      `The model's architecture ${arch || '(none)'} does no job Facsimile uses.`,
      'Import a token-classification (NER), text-generation (causal LM) or feature-extraction (sentence embedding) model.',
    );
  }
  if (!SUPPORTED[task].includes(modelType)) {
    throw new UserError(`Model type "${modelType}" is not supported for ${task} here.`, `Supported: ${SUPPORTED[task].join(', ')}.`);
  }
  return { task, modelType, architecture: arch };
}

type Transformers = typeof import('@huggingface/transformers');
let loading: Promise<Transformers> | null = null;

/** The library, configured never to fetch a model from the network. */
export function loadTransformers(): Promise<Transformers> {
  loading ??= import('@huggingface/transformers').then((t) => {
    t.env.allowRemoteModels = false;
    return t;
  });
  return loading;
}

/** Where a model is: a folder on disk (Node) or a name under a custom cache set up by the caller (browser). */
export interface ModelSource {
  /** Folder holding the model folders (env.localModelPath). */
  root: string;
  /** The model's folder name. */
  name: string;
  device?: TextDevice;
  /** The weights' dtype (onnx/model.onnx is fp32, model_quantized.onnx q8...). Default fp32. */
  dtype?: string;
}

type AnyPipeline = (input: unknown, options?: Record<string, unknown>) => Promise<unknown>;

async function loadPipeline(task: TextTask, src: ModelSource): Promise<AnyPipeline> {
  const t = await loadTransformers();
  t.env.allowLocalModels = true;
  t.env.localModelPath = src.root.endsWith('/') ? src.root : src.root + '/';
  const opts: Record<string, unknown> = { dtype: src.dtype ?? 'fp32' };
  if (src.device && src.device !== 'cpu') opts.device = src.device;
  return (await (t.pipeline as unknown as (task: string, model: string, o: unknown) => Promise<AnyPipeline>)(task, src.name, opts));
}

/** A NER model: the named entities of each text. */
export class EntityFinder {
  readonly label: string;
  readonly #pipe: AnyPipeline;
  private constructor(label: string, pipe: AnyPipeline) {
    this.label = label;
    this.#pipe = pipe;
  }
  static async load(src: ModelSource): Promise<EntityFinder> {
    return new EntityFinder(src.name, await loadPipeline('token-classification', src));
  }
  async find(texts: readonly string[]): Promise<FoundEntity[][]> {
    if (texts.length === 0) return [];
    const raw = (await this.#pipe(texts.length === 1 ? texts[0] : [...texts], { aggregation_strategy: 'simple' })) as unknown;
    const perText = (texts.length === 1 ? [raw] : raw) as { entity_group?: string; entity?: string; word: string }[][];
    return perText.map((ents) =>
      ents.flatMap((e) => {
        const kind = entityKindOfLabel(e.entity_group ?? e.entity ?? '');
        return kind ? [{ kind, word: e.word }] : [];
      }),
    );
  }
}

/** A sentence-embedding model: mean-pooled, normalised vectors. */
export class Embedder {
  readonly label: string;
  readonly #pipe: AnyPipeline;
  private constructor(label: string, pipe: AnyPipeline) {
    this.label = label;
    this.#pipe = pipe;
  }
  static async load(src: ModelSource): Promise<Embedder> {
    return new Embedder(src.name, await loadPipeline('feature-extraction', src));
  }
  /** One vector per text; the dimension is the model's hidden size. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const out = (await this.#pipe([...texts], { pooling: 'mean', normalize: true })) as { dims: number[]; data: Float32Array };
    const [n, d] = out.dims;
    return Array.from({ length: n }, (_, i) => out.data.slice(i * d, (i + 1) * d));
  }
}

/** A causal LM writing the texts: sampled, seeded through Transformers.js' own generator. */
export class ModelTextGenerator implements TextGenerator {
  readonly label: string;
  readonly #pipe: AnyPipeline;
  readonly #t: Transformers;
  private constructor(label: string, pipe: AnyPipeline, t: Transformers) {
    this.label = label;
    this.#pipe = pipe;
    this.#t = t;
  }
  static async load(src: ModelSource): Promise<ModelTextGenerator> {
    const pipe = await loadPipeline('text-generation', src);
    return new ModelTextGenerator(`${src.name} (${src.device ?? 'cpu'})`, pipe, await loadTransformers());
  }
  async generate(requests: readonly TextRequest[], seed: number, signal?: AbortSignal): Promise<string[]> {
    if (requests.length === 0) return [];
    signal?.throwIfAborted();
    // Tokens are about 1.3 per word for subword vocabularies; a margin, then cut to the drawn length.
    const maxWords = Math.max(...requests.map((r) => r.targetWords));
    this.#t.random.seed(seed);
    const raw = (await this.#pipe(requests.map((r) => r.prompt), {
      max_new_tokens: Math.ceil(maxWords * 1.5) + 4,
      do_sample: true,
      temperature: 0.9,
      top_k: 50,
      return_full_text: false,
    })) as { generated_text: string }[][] | { generated_text: string }[];
    const texts = (requests.length === 1 && !Array.isArray(raw[0]) ? [raw] : raw) as { generated_text: string }[][];
    return texts.map((out, i) => {
      const text = (Array.isArray(out) ? out[0] : (out as { generated_text: string })).generated_text.split('\n')[0].trim();
      const words = tokenize(text);
      return words.length > requests[i].targetWords * 1.3 ? detokenize(words.slice(0, Math.ceil(requests[i].targetWords * 1.3))) : text;
    });
  }
}
