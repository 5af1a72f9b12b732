/**
 * Training worker: fits synthesizers and draws synthetic rows off the main thread. The page names
 * datasets and models by id; this worker reads the train part itself, keeps fitted models resident
 * (and stored), writes each sample as a dataset, and exports datasets as files. No table and no model
 * ever crosses to the page: a CART model carries every training value as donors.
 */
import { expose } from 'comlink';
import { Rng } from '../src/core/random/rng';
import type { Progress } from '../src/core/context';
import { csvChunks } from '../src/core/export';
import { loadSynthesizer, descriptorOf } from '../src/core/synth/registry';
import type { Conditions, Model, SynthesisStats, SynthesizerId } from '../src/core/synth/types';
import type { DatasetRecord, ModelRecord } from '../src/db';
import { loadDataset, rememberTable, trainHoldout } from './datasets';
import { portable, RunSlot } from './workerRuns';
import { workerStore } from './workerStore';

export interface FitRequest {
  datasetId: string;
  synthesizer: SynthesizerId;
  options: Record<string, unknown>;
  seed: number;
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

const api = {
  fit(req: FitRequest, onProgress: (p: Progress) => void): Promise<FitResult> {
    return runs.run(async (signal) => {
      const t0 = performance.now();
      // A comlink proxy call: not awaited, the page answers when it can.
      const report = (p: Progress) => void onProgress(p);
      report({ phase: 'reading', fraction: 0, message: 'Reading the train part' });
      const { dataset, train } = await trainHoldout(req.datasetId);
      const synthesizer = await loadSynthesizer(req.synthesizer);
      const model = await synthesizer.fit(train, dataset.schema, req.options, { rng: new Rng(req.seed), onProgress: report, signal });
      const seconds = (performance.now() - t0) / 1000;
      report({ phase: 'saving', fraction: 1, message: 'Saving the model' });
      const record = await workerStore().saveModel(
        {
          projectId: dataset.projectId,
          datasetId: dataset.id,
          synthesizer: req.synthesizer,
          options: req.options,
          seed: req.seed,
          fitSeconds: seconds,
          stats: { ...model.stats },
        },
        model.serialize(),
      );
      keepResident(record.id, model);
      return { model: record, seconds };
    });
  },

  sample(req: SampleRequest, onProgress: (p: Progress) => void): Promise<SampleResult> {
    return runs.run(async (signal) => {
      const t0 = performance.now();
      const { model, record } = await residentModel(req.modelId);
      const table = await model.sample(req.n, {
        seed: req.seed,
        conditions: req.conditions,
        onProgress: (p) => void onProgress(p),
        signal,
      });
      const seconds = (performance.now() - t0) / 1000;
      const stats = { ...model.stats };
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

  /**
   * A stored dataset as CSV with the input's header and value formats, as a Blob ready to download.
   * Text a spreadsheet would run as a formula is prefixed with "'" unless `formulaGuard` is false.
   */
  exportCsv(datasetId: string, options: { formulaGuard?: boolean } = {}): Promise<Blob> {
    return portable(async () => {
      const { dataset, table } = await loadDataset(datasetId);
      return new Blob([...csvChunks(table, dataset.schema, { formulaGuard: options.formulaGuard !== false })], { type: 'text/csv;charset=utf-8' });
    });
  },

  cancel(): void {
    runs.cancel();
  },
};

export type TrainApi = typeof api;
expose(api);
