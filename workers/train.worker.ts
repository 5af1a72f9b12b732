/**
 * Training worker: fits synthesizers and draws synthetic rows off the main thread. The page names
 * datasets and models by id; this worker reads the train part itself, keeps fitted models resident
 * (and stored), writes each sample as a dataset, and exports datasets as files. No table and no model
 * ever crosses to the page: a CART model carries every training value as donors.
 */
import { expose } from 'comlink';
import { Rng } from '../src/core/random/rng';
import { UserError, type CheckpointHook, type CheckpointState, type Progress } from '../src/core/context';
import { configureTfjsWasm } from './tfjsWasm';
import { loadSynthesizer, descriptorOf } from '../src/core/synth/registry';
import type { Conditions, Model, SampleOptions, SynthesisStats, SynthesizerId } from '../src/core/synth/types';
import { MAX_FEW_SHOT } from '../src/core/text/generator';
import { fewShotTexts } from '../src/core/text/fewShot';
import type { DatasetRecord, ModelRecord } from '../src/db';
import { rememberTable, trainHoldout } from './datasets';
import { portable, RunSlot } from './workerRuns';
import { keyringApi } from './keyring';
import { onForget } from './keys';
import { workerStore } from './workerStore';

export interface FitRequest {
  datasetId: string;
  synthesizer: SynthesizerId;
  options: Record<string, unknown>;
  seed: number;
  /** A stored training checkpoint (its model id) to continue from; its own settings replace the ones above. */
  resumeFrom?: string;
}

export interface FitResult {
  /** The stored model's record (its arrays stay in this worker and in IndexedDB). */
  model: ModelRecord;
  seconds: number;
}

export interface SampleRequest {
  modelId: string;
  n: number;
  seed: number;
  conditions?: Conditions;
  /**
   * A stored text-generation model (Models page) that writes the synthesize-text columns; without one, the
   * pipeline's word-level fallback does. Transformers.js loads only when this is set.
   */
  textModelId?: string;
  /** Cleaned real texts per prompt (0 to MAX_FEW_SHOT, default 0), with a text model only. */
  fewShot?: number;
  /**
   * A stored NER (token-classification) model: it scans the train part's synthesize-text columns, and the
   * leak guard rewrites synthetic texts holding an entity of exactly one training row (entityGuard.ts).
   */
  nerModelId?: string;
}

export interface SampleResult {
  /** The synthetic dataset, already stored as a draft (Save keeps it), with its preview. */
  dataset: DatasetRecord;
  stats: SynthesisStats;
  seconds: number;
}

/** Fitted models kept in memory, newest last; older ones are read back from IndexedDB when needed. */
const RESIDENT_MODELS = 4;
const resident = new Map<string, Model>();
const runs = new RunSlot();
// Locked, or real data deleted: resident models (CART's donors are real values) are dropped.
onForget(() => resident.clear());

function keepResident(id: string, model: Model) {
  resident.delete(id);
  resident.set(id, model);
  while (resident.size > RESIDENT_MODELS) resident.delete(resident.keys().next().value!);
}

async function residentModel(id: string): Promise<{ model: Model; record: ModelRecord }> {
  const record = await workerStore().getModel(id);
  if (!record) throw new Error('This model is no longer stored (it may have been deleted); train it again.');
  let model = resident.get(id);
  if (!model) {
    if (record.synthesizer === 'transformer') await configureTfjsWasm();
    const serialized = await workerStore().loadModel(id);
    model = (await loadSynthesizer(serialized.synthesizer)).deserialize(serialized);
  }
  keepResident(id, model);
  return { model, record };
}

/** A short name for a synthetic dataset: model, seed, rows, ε. */
function syntheticName(record: ModelRecord, req: SampleRequest, stats: SynthesisStats): string {
  const parts = [`seed ${req.seed}`, `${req.n.toLocaleString('en')} rows`];
  if (stats.epsilon !== undefined) parts.push(`ε ${stats.epsilon}`);
  if (req.conditions && Object.keys(req.conditions).length) parts.push('conditional');
  return `${descriptorOf(record.synthesizer).label} · ${parts.join(' · ')}`;
}

/**
 * The sample's text writer: the stored text-generation model it names (with its few-shot examples, drawn
 * from the train part with the sample seed), or nothing (the word-level fallback); and, with a NER model,
 * the entities of one training row for the leak guard (with the model's label for the stats). A model
 * whose schema has no synthesize-text column loads nothing.
 */
async function textOptions(
  req: SampleRequest,
  record: ModelRecord,
  model: Model,
  report: (p: Progress) => void,
  signal: AbortSignal,
): Promise<Pick<SampleOptions, 'textGenerator' | 'fewShotTexts' | 'uniqueTextEntities'> & { entityGuard?: string }> {
  if (!model.schema.columns.some((c) => c.role === 'synthesize-text')) return {};
  const guard = req.nerModelId ? await (await import('./entityGuard')).entityGuard(req.nerModelId, record.datasetId, model.schema, { signal, onProgress: report }) : undefined;
  const entities = guard ? { uniqueTextEntities: guard.uniqueEntities, entityGuard: guard.label } : {};
  if (!req.textModelId) return entities;
  const fewShot = req.fewShot ?? 0;
  if (!Number.isInteger(fewShot) || fewShot < 0 || fewShot > MAX_FEW_SHOT) {
    throw new UserError(`Few-shot examples take 0 to ${MAX_FEW_SHOT}, got ${fewShot}.`);
  }
  report({ phase: 'loading', fraction: 0, message: 'Loading the text model' });
  const { storedTextGenerator } = await import('./textRuntime');
  const textGenerator = await storedTextGenerator(req.textModelId);
  if (fewShot === 0) return { ...entities, textGenerator };
  const { train } = await trainHoldout(record.datasetId);
  return { ...entities, textGenerator, fewShotTexts: fewShotTexts(train, model.schema, fewShot, req.seed) };
}

const api = {
  ...keyringApi,
  /**
   * Fit on the train part of a dataset. Engines that train in epochs (the transformer) store a checkpoint
   * after each one, replacing the last; `resumeFrom` (a checkpoint's model id) continues from it with the
   * settings it was started with. The finished model replaces the checkpoint.
   */
  fit(req: FitRequest, onProgress: (p: Progress) => void): Promise<FitResult> {
    return runs.run(async (signal) => {
      const t0 = performance.now();
      // A comlink proxy call: not awaited, the page answers when it can.
      const report = (p: Progress) => void onProgress(p);
      const store = workerStore();
      let checkpointId: string | undefined;
      let resume: CheckpointState | undefined;
      if (req.resumeFrom) {
        const saved = await store.getModel(req.resumeFrom);
        if (!saved?.training) throw new UserError('This interrupted training is no longer stored (it may have been discarded in another tab).', 'Train again.');
        const state = await store.loadModel(saved.id);
        req = { datasetId: saved.datasetId, synthesizer: saved.synthesizer, options: saved.options, seed: saved.seed };
        resume = { epoch: saved.training.epoch, meta: state.meta, arrays: state.arrays };
        checkpointId = saved.id;
      }
      if (req.synthesizer === 'transformer') await configureTfjsWasm();
      report({ phase: 'reading', fraction: 0, message: 'Reading the train part' });
      const { dataset, train } = await trainHoldout(req.datasetId);
      const synthesizer = await loadSynthesizer(req.synthesizer);
      const base = { projectId: dataset.projectId, datasetId: dataset.id, synthesizer: req.synthesizer, options: req.options, seed: req.seed };
      const checkpoint: CheckpointHook = {
        resume,
        save: async (state) => {
          // Not once cancelled: the page says "Cancelled" at once and may discard the stored checkpoint
          // while this run winds down; a save landing after that would bring the discarded one back.
          if (signal.aborted) return;
          // A save already on its way when the page discards the checkpoint is dropped by the store
          // (null): the run goes on without checkpoints, its final model is still saved.
          const saved = await store.saveCheckpoint(
            { ...base, fitSeconds: (performance.now() - t0) / 1000, training: { epoch: state.epoch, savedAt: Date.now() } },
            { synthesizer: req.synthesizer, version: 0, meta: state.meta, arrays: state.arrays },
            checkpointId,
          );
          if (saved) checkpointId = saved.id;
        },
      };
      const model = await synthesizer.fit(train, dataset.schema, req.options, { rng: new Rng(req.seed), onProgress: report, signal, checkpoint });
      const seconds = (performance.now() - t0) / 1000;
      report({ phase: 'saving', fraction: 1, message: 'Saving the model' });
      const record = await store.saveModel({ ...base, fitSeconds: seconds, stats: { ...model.stats } }, model.serialize(), checkpointId);
      keepResident(record.id, model);
      return { model: record, seconds };
    });
  },

  sample(req: SampleRequest, onProgress: (p: Progress) => void): Promise<SampleResult> {
    return runs.run(async (signal) => {
      const t0 = performance.now();
      const { model, record } = await residentModel(req.modelId);
      const { entityGuard, ...texts } = await textOptions(req, record, model, (p) => void onProgress(p), signal);
      const table = await model.sample(req.n, {
        seed: req.seed,
        conditions: req.conditions,
        onProgress: (p) => void onProgress(p),
        signal,
        ...texts,
      });
      const seconds = (performance.now() - t0) / 1000;
      const stats = { ...model.stats, ...(entityGuard ? { entityGuard } : {}) };
      void onProgress({ phase: 'saving', fraction: 1, message: 'Saving the synthetic rows' });
      const dataset = await workerStore().addDataset(
        record.projectId,
        {
          name: syntheticName(record, req, stats),
          table,
          schema: model.schema,
          warnings: [],
          draft: true,
          synthesis: {
            modelId: record.id,
            synthesizer: record.synthesizer,
            options: record.options,
            fitSeed: record.seed,
            sampleSeed: req.seed,
            ...(req.conditions ? { conditions: req.conditions } : {}),
            stats,
            fitSeconds: record.fitSeconds,
            sampleSeconds: seconds,
          },
        },
        'synthetic',
        record.datasetId,
      );
      rememberTable(dataset.id, table);
      return { dataset, stats, seconds };
    });
  },

  cancel(): void {
    runs.cancel();
  },
};

export type TrainApi = typeof api;
expose(api);
