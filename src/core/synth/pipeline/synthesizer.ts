import { throwIfAborted, UserError, yieldToEventLoop, type TaskContext } from '../../context';
import type { Schema } from '../../schema/schema';
import type { Table } from '../../table/table';
import type { EngineDescriptor } from '../descriptor';
import type { Engine, EngineModel, ModelArrays } from '../engine';
import type { CommonOptions, Model, SampleOptions, SerializedModel, Synthesizer, SynthesisStats, SynthesizerId } from '../types';
import { resolveCommonOptions, type ResolvedCommonOptions } from './options';
import { buildPlan, type CategoricalPlan, type ColumnPlan, type NumericPlan } from './plan';
import { HashSet, uniqueRowHashes } from '../../table/rowHash';
import { sampleTable, type SamplingState } from './sampler';

/** Bumped when the envelope's layout changes; deserialize refuses what it cannot read. */
export const PIPELINE_FORMAT_VERSION = 1;

const ENGINE_PREFIX = 'engine:';
const UNIQUE_ROWS_KEY = 'pipeline:uniqueRowHashes';

/** The pipeline's JSON header inside a SerializedModel. */
interface PipelineMeta {
  schema: Schema;
  plans: ColumnPlan[];
  options: ResolvedCommonOptions;
  pooledLabel: string;
  pooledCategories: Record<string, number>;
  epsilon?: number;
  engineMeta: unknown;
  hasEngine: boolean;
}

/** What the pipeline needs to know of an engine beyond its code (from its descriptor). */
export type EngineTraits = Partial<Pick<EngineDescriptor, 'label' | 'differentialPrivacy'>>;

/**
 * Wrap an engine (which only learns and draws prepared columns) into a full Synthesizer: roles,
 * rare-category pooling, bounds, integers, datetimes, fresh keys, leaked-row redraws, condition
 * checks, seeding and the serialization envelope are the same for every engine.
 *
 * `engine` is either the engine's code, or its descriptor: then the code loads on the first fit, and a
 * deserialized model loads it when it first samples. Only an engine whose traits (its descriptor)
 * say `differentialPrivacy` may be given `epsilon`; the others refuse it rather than claim it.
 */
export function createSynthesizer<O extends object>(engine: Engine<O> | EngineDescriptor, traits: EngineTraits = {}): Synthesizer<O & CommonOptions> {
  const id = engine.id as SynthesizerId;
  const lazy = 'load' in engine ? (engine as EngineDescriptor) : null;
  const differentialPrivacy = (lazy ?? traits).differentialPrivacy ?? false;
  const label = (lazy ?? traits).label ?? id;
  let loading: Promise<Engine<O>> | null = lazy ? null : Promise.resolve(engine as Engine<O>);
  const getEngine = (): Promise<Engine<O>> => {
    if (!loading) {
      loading = lazy!.load() as Promise<Engine<O>>;
      loading.catch(() => (loading = null));
    }
    return loading;
  };
  return {
    id,
    async fit(train: Table, schema: Schema, options: O & CommonOptions, ctx: TaskContext): Promise<Model> {
      throwIfAborted(ctx.signal);
      const common = resolveCommonOptions(options);
      const epsilon = epsilonOf(options);
      if (epsilon !== undefined && !differentialPrivacy) {
        throw new UserError(`The ${label} synthesizer has no differential privacy, so it cannot honour epsilon ${epsilon}.`, 'Use the Bayesian network (bayesnet) for a differential privacy guarantee, or leave epsilon out.');
      }
      const code = await getEngine();
      ctx.onProgress?.({ phase: 'preparing', fraction: 0, message: 'Preparing columns' });
      const plan = buildPlan(train, schema, common);
      await yieldToEventLoop();
      throwIfAborted(ctx.signal);
      const uniqueRows = common.redrawLeakedRows ? uniqueRowHashes(plan.prepared) : new Float64Array(0);
      await yieldToEventLoop();
      throwIfAborted(ctx.signal);
      let engineModel: EngineModel | null = null;
      if (plan.prepared.columns.length > 0) {
        // The engine reports its own 0..1; the pipeline's preparation is the first 5%.
        const onProgress = ctx.onProgress;
        const engineCtx: TaskContext = {
          rng: ctx.rng,
          signal: ctx.signal,
          onProgress: onProgress && ((p) => onProgress({ ...p, fraction: 0.05 + 0.95 * p.fraction })),
        };
        engineModel = await code.fit(plan.prepared, { ...options, ...common }, engineCtx);
      }
      ctx.onProgress?.({ phase: 'done', fraction: 1, message: 'Model ready' });
      const meta: PipelineMeta = {
        schema: outputSchema(schema),
        plans: plan.columns,
        options: common,
        pooledLabel: plan.pooledLabel,
        pooledCategories: pooledCounts(plan.columns),
        epsilon,
        engineMeta: null,
        hasEngine: engineModel !== null,
      };
      return makeModel(id, meta, engineModel, uniqueRows, null);
    },
    deserialize(s: SerializedModel): Model {
      if (s.synthesizer !== id) throw new Error(`A ${s.synthesizer} model cannot be read by the ${id} synthesizer`);
      if (s.version !== PIPELINE_FORMAT_VERSION) {
        throw new UserError(`This saved model has format version ${s.version}; this version of Facsimile reads ${PIPELINE_FORMAT_VERSION}.`, 'Train the model again.');
      }
      const meta = s.meta as PipelineMeta;
      const engineArrays: ModelArrays = {};
      for (const [key, arr] of Object.entries(s.arrays)) if (key.startsWith(ENGINE_PREFIX)) engineArrays[key.slice(ENGINE_PREFIX.length)] = arr;
      const unique = s.arrays[UNIQUE_ROWS_KEY];
      const uniqueRows = unique instanceof Float64Array ? unique : new Float64Array(0);
      const stored = { meta: meta.engineMeta, arrays: engineArrays };
      if (!meta.hasEngine) return makeModel(id, meta, null, uniqueRows, stored);
      if (!lazy) {
        // The code is at hand: read the engine's part now, so that a damaged model fails here.
        const engineModel = (engine as Engine<O>).deserialize(meta.engineMeta, engineArrays);
        return makeModel(id, meta, engineModel, uniqueRows, stored);
      }
      let reading: Promise<EngineModel> | null = null;
      const read = () => (reading ??= getEngine().then((e) => e.deserialize(meta.engineMeta, engineArrays)));
      return makeModel(id, meta, read, uniqueRows, stored);
    },
  };
}

function makeModel(
  id: SynthesizerId,
  meta: PipelineMeta,
  /** The engine's model, or how to read it on first use (null: no column for an engine). */
  engineModel: EngineModel | (() => Promise<EngineModel>) | null,
  uniqueRows: Float64Array,
  /** The engine's part as it was read (deserialized models): serialized again as is. */
  stored: { meta: unknown; arrays: ModelArrays } | null,
): Model {
  const enginePlans = meta.plans
    .filter((p): p is NumericPlan | CategoricalPlan => p.mode !== 'key' && p.engineIndex >= 0)
    .sort((a, b) => a.engineIndex - b.engineIndex);
  const hashes = new HashSet(uniqueRows);
  const stats: SynthesisStats = {
    pooledCategories: meta.pooledCategories,
    pooledLabel: meta.pooledLabel,
    redrawnLeakedRows: 0,
    ...(meta.epsilon !== undefined ? { epsilon: meta.epsilon } : {}),
  };
  let fitted: EngineModel | null = typeof engineModel === 'function' ? null : engineModel;
  const read = typeof engineModel === 'function' ? engineModel : null;
  return {
    synthesizer: id,
    schema: meta.schema,
    stats,
    async sample(n: number, options: SampleOptions): Promise<Table> {
      throwIfAborted(options.signal);
      if (!fitted && read) fitted = await read();
      const engine = fitted;
      const state: SamplingState = { plans: meta.plans, enginePlans, engine, options: meta.options, uniqueRows: hashes };
      const { table, redrawnLeakedRows } = await sampleTable(state, n, options);
      stats.redrawnLeakedRows = redrawnLeakedRows;
      return table;
    },
    serialize(): SerializedModel {
      const arrays: SerializedModel['arrays'] = { [UNIQUE_ROWS_KEY]: uniqueRows };
      let engineMeta: unknown = null;
      const e = stored ?? (fitted ? fitted.serialize() : null);
      if (e) {
        engineMeta = e.meta;
        for (const [key, arr] of Object.entries(e.arrays)) arrays[ENGINE_PREFIX + key] = arr;
      }
      return { synthesizer: id, version: PIPELINE_FORMAT_VERSION, meta: { ...meta, engineMeta }, arrays };
    },
  };
}

/** The model's output schema: the input schema without keep-out columns. */
function outputSchema(schema: Schema): Schema {
  return { columns: schema.columns.filter((c) => c.role !== 'keep-out').map((c) => ({ ...c, pii: [...c.pii] })) };
}

function pooledCounts(plans: ColumnPlan[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of plans) if (p.mode === 'categorical' && p.pooledCount > 0) out[p.name] = p.pooledCount;
  return out;
}

function epsilonOf(options: object): number | undefined {
  const e = (options as { epsilon?: unknown }).epsilon;
  return typeof e === 'number' && Number.isFinite(e) ? e : undefined;
}
