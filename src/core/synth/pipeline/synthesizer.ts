import { throwIfAborted, UserError, yieldToEventLoop, type TaskContext } from '../../context';
import type { Schema } from '../../schema/schema';
import type { Table } from '../../table/table';
import type { EngineDescriptor } from '../descriptor';
import type { Engine, EngineColumns, EngineModel, ModelArrays, PreparedTable } from '../engine';
import type { CommonOptions, Model, SampleOptions, SerializedModel, Synthesizer, SynthesisStats, SynthesizerId } from '../types';
import { resolveCommonOptions, type ResolvedCommonOptions } from './options';
import { buildPlan, type CategoricalPlan, type ColumnPlan, type NumericPlan } from './plan';
import { HashSet, hashRow, uniqueRowHashes } from '../../table/rowHash';
import { finishEngineColumns, sampleTable, type SamplingState } from './sampler';
import { applyRules, planRules, withRules, type RulePlan } from './rules';
import { rulesForFit } from '../../rules/resolve';
import { alignColumnOrders, columnOrderKeys } from './columnOrder';
import { fitQuasiIdentifierGuard, type QuasiIdentifierGuard } from './quasiIdentifiers';
import { PrivacyLedger, type PrivacyAccount } from '../privacy/budget';

/** Bumped when the envelope's layout changes; deserialize refuses what it cannot read. */
export const PIPELINE_FORMAT_VERSION = 1;

const ENGINE_PREFIX = 'engine:';
const UNIQUE_ROWS_KEY = 'pipeline:uniqueRowHashes';
/** Followed by a fake column's name: the salted hashes of its training values (never the values). */
const FAKE_PREFIX = 'pipeline:fake:';
/** Fingerprints of the training rows unique on the quasi-identifiers (option redrawQuasiIdentifierMatches). */
const QI_UNIQUE_KEY = 'pipeline:qiUniqueHashes';

/** The pipeline's JSON header inside a SerializedModel. */
interface PipelineMeta {
  schema: Schema;
  plans: ColumnPlan[];
  options: ResolvedCommonOptions;
  pooledLabel: string;
  pooledCategories: Record<string, number>;
  epsilon?: number;
  /** The privacy ledger of the fit (under epsilon): every spend, the total ε and δ, what was dropped. */
  privacy?: PrivacyAccount;
  engineMeta: unknown;
  hasEngine: boolean;
  /**
   * Share of fresh rows expected to match a training row unique in training (leave-one-out, 2·f2/n as
   * for the quasi-identifiers): leaked rows are redrawn only beyond it. Absent in older models (0).
   */
  leakChanceRate?: number;
  /** Present when fitted with redrawQuasiIdentifierMatches and two or more quasi-identifier columns. */
  quasiIdentifiers?: QuasiIdentifierGuard;
  /** The rules every output row keeps, and how (pipeline/rules.ts); absent when none. */
  rules?: RulePlan;
}

/** What the pipeline needs to know of an engine beyond its code (from its descriptor). */
export type EngineTraits = Partial<Pick<EngineDescriptor, 'label' | 'differentialPrivacy' | 'options'>>;

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
  const orderKeys = columnOrderKeys((lazy ?? traits).options);
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
      // Under epsilon every step that reads the rows spends from one ledger, or is switched off.
      const ledger = epsilon !== undefined ? new PrivacyLedger(epsilon, (options as { publicDomain?: unknown }).publicDomain === true) : null;
      const privacy = ledger ? { ledger, rng: ctx.rng.fork('privacy.domain'), columns: [] } : undefined;
      const plan = buildPlan(train, schema, common, ctx.rng.fork('fake-salt').uint32(), privacy);
      await yieldToEventLoop();
      throwIfAborted(ctx.signal);
      if (ledger) {
        // Both redraws compare the output with exact training rows; differential privacy makes them unnecessary.
        if (common.redrawLeakedRows) ledger.drop('redraw of leaked rows');
        if (common.redrawQuasiIdentifierMatches) ledger.drop('redraw of quasi-identifier matches');
        common.redrawLeakedRows = false;
        common.redrawQuasiIdentifierMatches = false;
      }
      const uniqueRows = common.redrawLeakedRows ? uniqueRowHashes(plan.prepared) : new Float64Array(0);
      const leakChanceRate = common.redrawLeakedRows ? chanceRate(plan.prepared) : 0;
      const qi = common.redrawQuasiIdentifierMatches ? fitQuasiIdentifierGuard(plan.prepared, schema) : null;
      await yieldToEventLoop();
      throwIfAborted(ctx.signal);
      // Rules (found and declared) kept by construction: the engine learns a transformed table. Found rules
      // read the rows, so under epsilon no rule is kept (declared ones are still checked for errors).
      const keptRules = rulesForFit(train, schema, ledger ? 'none' : common.rules);
      if (ledger && keptRules.length > 0) ledger.drop('kept rules');
      const rulePlan = ledger ? null : planRules(keptRules, plan.prepared, enginePlansOf(plan.columns));
      const prepared = rulePlan ? applyRules(rulePlan, plan.prepared) : plan.prepared;
      const engineOptions = alignColumnOrders({ ...options, ...common, ...(ledger ? { privacyLedger: ledger } : {}) }, orderKeys, schema, prepared);
      let engineModel: EngineModel | null = null;
      if (plan.prepared.columns.length > 0) {
        // The engine reports its own 0..1; the pipeline's preparation is the first 5%.
        const onProgress = ctx.onProgress;
        const engineCtx: TaskContext = {
          rng: ctx.rng,
          signal: ctx.signal,
          checkpoint: ctx.checkpoint,
          onProgress: onProgress && ((p) => onProgress({ ...p, fraction: 0.05 + 0.95 * p.fraction })),
        };
        engineModel = await code.fit(prepared, engineOptions, engineCtx);
      }
      ctx.onProgress?.({ phase: 'done', fraction: 1, message: 'Model ready' });
      const meta: PipelineMeta = {
        schema: outputSchema(schema),
        plans: plan.columns,
        options: common,
        pooledLabel: plan.pooledLabel,
        pooledCategories: pooledCounts(plan.columns),
        epsilon,
        ...(leakChanceRate > 0 ? { leakChanceRate } : {}),
        ...(ledger ? { privacy: ledger.account() } : {}),
        engineMeta: null,
        hasEngine: engineModel !== null,
        ...(qi ? { quasiIdentifiers: qi.guard } : {}),
        ...(rulePlan ? { rules: rulePlan } : {}),
      };
      return makeModel(id, meta, engineModel, uniqueRows, plan.fakeHashes, qi?.hashes ?? null, null);
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
      const fakeHashes: Record<string, Float64Array> = {};
      for (const [key, arr] of Object.entries(s.arrays)) if (key.startsWith(FAKE_PREFIX) && arr instanceof Float64Array) fakeHashes[key.slice(FAKE_PREFIX.length)] = arr;
      const qiArray = s.arrays[QI_UNIQUE_KEY];
      const qiUnique = meta.quasiIdentifiers && qiArray instanceof Float64Array ? qiArray : null;
      const stored = { meta: meta.engineMeta, arrays: engineArrays };
      if (!meta.hasEngine) return makeModel(id, meta, null, uniqueRows, fakeHashes, qiUnique, stored);
      if (!lazy) {
        // The code is at hand: read the engine's part now, so that a damaged model fails here.
        const engineModel = (engine as Engine<O>).deserialize(meta.engineMeta, engineArrays);
        return makeModel(id, meta, engineModel, uniqueRows, fakeHashes, qiUnique, stored);
      }
      let reading: Promise<EngineModel> | null = null;
      const read = () => (reading ??= getEngine().then((e) => e.deserialize(meta.engineMeta, engineArrays)));
      return makeModel(id, meta, read, uniqueRows, fakeHashes, qiUnique, stored);
    },
  };
}

function makeModel(
  id: SynthesizerId,
  meta: PipelineMeta,
  /** The engine's model, or how to read it on first use (null: no column for an engine). */
  engineModel: EngineModel | (() => Promise<EngineModel>) | null,
  uniqueRows: Float64Array,
  fakeHashes: Record<string, Float64Array>,
  /** Fingerprints of training rows unique on the quasi-identifiers (null: no guard). */
  qiUnique: Float64Array | null,
  /** The engine's part as it was read (deserialized models): serialized again as is. */
  stored: { meta: unknown; arrays: ModelArrays } | null,
): Model {
  const enginePlans = enginePlansOf(meta.plans);
  const hashes = new HashSet(uniqueRows);
  const quasiIdentifiers = meta.quasiIdentifiers && qiUnique ? { guard: meta.quasiIdentifiers, unique: new HashSet(qiUnique) } : null;
  const fakeSets = new Map(Object.entries(fakeHashes).map(([name, h]) => [name, new HashSet(h)]));
  const stats: SynthesisStats = {
    pooledCategories: meta.pooledCategories,
    pooledLabel: meta.pooledLabel,
    redrawnLeakedRows: 0,
    ...(meta.epsilon !== undefined ? { epsilon: meta.epsilon } : {}),
    ...(meta.rules ? { keptRules: meta.rules.kept.map((k) => ({ rule: k.text, source: k.source })) } : {}),
    ...(meta.privacy ? { privacy: meta.privacy } : {}),
    ...(typeof engineModel === 'object' && engineModel?.trainingNote ? { training: engineModel.trainingNote } : {}),
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
      const ruleStats = { redrawnRows: 0 };
      const finish = (c: EngineColumns, m: number) => finishEngineColumns(c, m, enginePlans, meta.options.allowOutOfBounds);
      const engine = fitted && meta.rules ? withRules(fitted, meta.rules, enginePlans, finish, ruleStats) : fitted;
      const state: SamplingState = { plans: meta.plans, enginePlans, engine, options: meta.options, uniqueRows: hashes, leakChanceRate: meta.leakChanceRate ?? 0, fakeHashes: fakeSets, quasiIdentifiers };
      const { table, redrawnLeakedRows, redrawnFakes, redrawnQuasiIdentifierRows, text } = await sampleTable(state, n, options);
      stats.redrawnLeakedRows = redrawnLeakedRows;
      if (meta.rules) stats.redrawnRuleRows = ruleStats.redrawnRows;
      if (text) Object.assign(stats, text);
      if (fakeSets.size > 0) stats.redrawnFakeValues = redrawnFakes;
      if (quasiIdentifiers) stats.redrawnQuasiIdentifierRows = redrawnQuasiIdentifierRows;
      return table;
    },
    serialize(): SerializedModel {
      const arrays: SerializedModel['arrays'] = { [UNIQUE_ROWS_KEY]: uniqueRows };
      for (const [name, h] of Object.entries(fakeHashes)) arrays[FAKE_PREFIX + name] = h;
      if (qiUnique) arrays[QI_UNIQUE_KEY] = qiUnique;
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

/**
 * Expected share of fresh rows identical to a training row unique in training, leave-one-out: a held-back
 * row matches a row unique among the others exactly when its row occurs twice in training, so 2·f2/n.
 */
export function chanceRate(prepared: PreparedTable): number {
  const n = prepared.nRows;
  if (n < 2) return 0;
  const cols = prepared.columns.map((c) => (c.type === 'numeric' ? c.values : c.codes));
  const all = new Float64Array(n);
  for (let i = 0; i < n; i++) all[i] = hashRow(cols, i);
  all.sort();
  let twice = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && all[j] === all[i]) j++;
    if (j === i + 2) twice++;
    i = j;
  }
  return (2 * twice) / n;
}

function epsilonOf(options: object): number | undefined {
  const e = (options as { epsilon?: unknown }).epsilon;
  return typeof e === 'number' && Number.isFinite(e) ? e : undefined;
}

/** The plans of the engine's columns, in engine order. */
function enginePlansOf(plans: ColumnPlan[]): (NumericPlan | CategoricalPlan)[] {
  return plans
    .filter((p): p is NumericPlan | CategoricalPlan => (p.mode === 'numeric' || p.mode === 'categorical') && p.engineIndex >= 0)
    .sort((a, b) => a.engineIndex - b.engineIndex);
}
