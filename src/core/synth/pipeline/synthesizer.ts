import { throwIfAborted, UserError, yieldToEventLoop, type TaskContext } from '../../context';
import type { Schema } from '../../schema/schema';
import type { Table } from '../../table/table';
import type { Engine, EngineModel } from '../engine';
import type { CommonOptions, Model, SampleOptions, SerializedModel, Synthesizer, SynthesisStats, SynthesizerId } from '../types';
import { resolveCommonOptions, type ResolvedCommonOptions } from './options';
import { buildPlan, type CategoricalPlan, type ColumnPlan, type NumericPlan } from './plan';
import { HashSet, uniqueRowHashes } from './rowHash';
import { sampleTable, type SamplingState } from './sampler';

/** Bumped when the envelope's layout changes; deserialize refuses what it cannot read. */
export const PIPELINE_FORMAT_VERSION = 1;

const ENGINE_PREFIX = 'engine:';
/** Engines that spend a differential privacy budget when given `epsilon`; others must refuse it, not claim it. */
const DIFFERENTIALLY_PRIVATE: ReadonlySet<SynthesizerId> = new Set(['bayesnet']);
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

/**
 * Wrap an engine (which only learns and draws prepared columns) into a full Synthesizer: roles,
 * rare-category pooling, bounds, integers, datetimes, fresh keys, leaked-row redraws, condition
 * checks, seeding and the serialization envelope are the same for every engine.
 */
export function createSynthesizer<O extends object>(engine: Engine<O>): Synthesizer<O & CommonOptions> {
  return {
    id: engine.id,
    async fit(train: Table, schema: Schema, options: O & CommonOptions, ctx: TaskContext): Promise<Model> {
      throwIfAborted(ctx.signal);
      const common = resolveCommonOptions(options);
      const epsilon = epsilonOf(options);
      if (epsilon !== undefined && !DIFFERENTIALLY_PRIVATE.has(engine.id)) {
        throw new UserError(`The ${engine.id} synthesizer has no differential privacy, so it cannot honour epsilon ${epsilon}.`, 'Use the Bayesian network (bayesnet) for a differential privacy guarantee, or leave epsilon out.');
      }
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
        engineModel = await engine.fit(plan.prepared, { ...options, ...common }, engineCtx);
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
      return makeModel(engine.id, meta, engineModel, uniqueRows);
    },
    deserialize(s: SerializedModel): Model {
      if (s.synthesizer !== engine.id) throw new Error(`A ${s.synthesizer} model cannot be read by the ${engine.id} synthesizer`);
      if (s.version !== PIPELINE_FORMAT_VERSION) {
        throw new UserError(`This saved model has format version ${s.version}; this version of Facsimile reads ${PIPELINE_FORMAT_VERSION}.`, 'Train the model again.');
      }
      const meta = s.meta as PipelineMeta;
      const engineArrays: Record<string, Float64Array | Int32Array | Uint8Array> = {};
      for (const [key, arr] of Object.entries(s.arrays)) if (key.startsWith(ENGINE_PREFIX)) engineArrays[key.slice(ENGINE_PREFIX.length)] = arr;
      const engineModel = meta.hasEngine ? engine.deserialize(meta.engineMeta, engineArrays) : null;
      const unique = s.arrays[UNIQUE_ROWS_KEY];
      return makeModel(engine.id, meta, engineModel, unique instanceof Float64Array ? unique : new Float64Array(0));
    },
  };
}

function makeModel(id: SynthesizerId, meta: PipelineMeta, engineModel: EngineModel | null, uniqueRows: Float64Array): Model {
  const enginePlans = meta.plans
    .filter((p): p is NumericPlan | CategoricalPlan => p.mode !== 'key' && p.engineIndex >= 0)
    .sort((a, b) => a.engineIndex - b.engineIndex);
  const state: SamplingState = { plans: meta.plans, enginePlans, engine: engineModel, options: meta.options, uniqueRows: new HashSet(uniqueRows) };
  const stats: SynthesisStats = {
    pooledCategories: meta.pooledCategories,
    pooledLabel: meta.pooledLabel,
    redrawnLeakedRows: 0,
    ...(meta.epsilon !== undefined ? { epsilon: meta.epsilon } : {}),
  };
  return {
    synthesizer: id,
    schema: meta.schema,
    stats,
    sample(n: number, options: SampleOptions): Table {
      const { table, redrawnLeakedRows } = sampleTable(state, n, options);
      stats.redrawnLeakedRows = redrawnLeakedRows;
      return table;
    },
    serialize(): SerializedModel {
      const arrays: SerializedModel['arrays'] = { [UNIQUE_ROWS_KEY]: uniqueRows };
      let engineMeta: unknown = null;
      if (engineModel) {
        const e = engineModel.serialize();
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
