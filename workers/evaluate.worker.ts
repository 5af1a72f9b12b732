/**
 * Evaluate worker: builds the evaluation report (fidelity, privacy, utility) off the main thread,
 * streaming progress and honouring cancel. The page names a synthetic dataset; this worker reads it,
 * the source's stored train/holdout split and the models itself, and saves the report.
 */
import { expose } from 'comlink';
import type { Progress } from '../src/core/context';
import { evaluate } from '../src/core/metrics';
import { chooseTarget } from '../src/core/metrics/utility/target';
import { originNotes, originOf, synthesizerName, syntheticLabel } from '../src/core/report/origin';
import { Rng } from '../src/core/random/rng';
import { DEFAULT_SEED } from '../src/core/random/rng';
import type { ReportRecord } from '../src/db';
import type { Report } from '../src/core/report/types';
import type { Table } from '../src/core/table/table';
import { addEmbeddingMetrics } from '../src/core/metrics/text';
import { trainHoldout } from './datasets';
import { groupedHoldoutNote } from '../src/core/table/groupKey';
import { keyringApi } from './keyring';
import { RunSlot } from './workerRuns';
import { workerStore } from './workerStore';

export interface EvaluateRequest {
  syntheticId: string;
  /**
   * Column to predict for TSTR/TRTR: a column name, '' for no utility, undefined to let the engine
   * choose (chooseTarget: a balanced categorical column, never an id), with its reason in the report.
   */
  target?: string;
  /** Rows sampled from each table for the distance metrics. */
  sampleSize?: number;
  /** Seed of the report's samples (DCR rows, combinations, model bootstraps). */
  seed?: number;
  /**
   * The stored feature-extraction (sentence embedding) model that gives the text section its embedding
   * metrics; undefined for the first one stored (none when none is), '' for none.
   */
  embedModelId?: string;
}

const runs = new RunSlot();

/**
 * Embedding metrics for a report with a text section (src/core/metrics/text.ts), with the model the request
 * names or the first feature-extraction model stored; nothing without one. Transformers.js loads only here.
 */
async function addEmbeddings(report: Report, req: EvaluateRequest, tables: { train: Table; holdout: Table; synthetic: Table }, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<void> {
  if (!report.text?.length || req.embedModelId === '') return;
  const runtime = await import('./textRuntime');
  const id = req.embedModelId ?? (await runtime.firstStoredModel('feature-extraction'))?.id;
  if (!id) return;
  onProgress({ phase: 'loading the embedding model', fraction: 0.96 });
  const embedder = await runtime.storedEmbedder(id);
  // The last stretch of the bar: the report's own phases took it to 0.96.
  const rng = new Rng(req.seed ?? DEFAULT_SEED).fork('text-embeddings');
  await addEmbeddingMetrics(report.text, tables, embedder, rng, signal, (p) => onProgress({ ...p, fraction: 0.96 + 0.04 * p.fraction }));
}

const api = {
  ...keyringApi,
  /** Evaluate one stored synthetic dataset against its source's split; resolves to the saved report. */
  evaluateDataset(req: EvaluateRequest, onProgress: (p: Progress) => void): Promise<ReportRecord> {
    return runs.run(async (signal) => {
      const store = workerStore();
      const synthetic = await store.getDataset(req.syntheticId);
      if (!synthetic) throw new Error('This synthetic dataset no longer exists (it may have been deleted).');
      if (!synthetic.parentId) throw new Error(`"${synthetic.name}" does not say which dataset it was made from, so it cannot be compared with the real data.`);
      if (!(await store.getDataset(synthetic.parentId))) {
        throw new Error(`The real dataset behind "${synthetic.name}" no longer exists, so there is nothing to compare it with.`);
      }
      void onProgress({ phase: 'reading', fraction: 0 });
      const syntheticTable = await store.loadTable(synthetic.id);
      const { dataset: source, train, holdout, groupedBy } = await trainHoldout(synthetic.parentId);
      const models = await store.listModels(synthetic.projectId);
      const origin = originOf(synthetic, models);
      const auto = req.target === undefined ? chooseTarget(train, source.schema) : undefined;
      const target = auto ? auto.target : req.target && source.schema.columns.some((c) => c.name === req.target) ? req.target : undefined;
      const report = await evaluate(
        { train, holdout, synthetic: syntheticTable, schema: source.schema, target, sampleSize: req.sampleSize, label: syntheticLabel(synthetic, origin) },
        // Progress goes through a comlink proxy; do not await it.
        { rng: new Rng(req.seed ?? DEFAULT_SEED), signal, onProgress: (p) => void onProgress(p) },
      );
      await addEmbeddings(report, req, { train, holdout, synthetic: syntheticTable }, signal, (p) => void onProgress(p));
      report.notes.push(...originNotes(origin));
      if (groupedBy) report.notes.push(groupedHoldoutNote(groupedBy));
      if (auto) report.targetReason = auto.reason;
      const model = models.find((m) => m.id === origin.modelId);
      report.provenance = {
        dataVersion: source.name,
        ...(origin.synthesizer ? { synthesizer: synthesizerName(origin.synthesizer) } : {}),
        options: { ...(synthetic.synthesis?.options ?? model?.options) },
        ...(origin.fitSeed !== undefined ? { fitSeed: origin.fitSeed } : {}),
        ...(origin.sampleSeed !== undefined ? { sampleSeed: origin.sampleSeed } : {}),
        ...(origin.epsilon !== undefined ? { epsilon: origin.epsilon } : {}),
        ...(origin.conditional ? { conditional: true } : {}),
      };
      return store.saveReport({ projectId: synthetic.projectId, modelId: origin.modelId ?? '', syntheticDatasetId: synthetic.id, report });
    });
  },
  cancel(): void {
    runs.cancel();
  },
};

export type EvaluateApi = typeof api;
expose(api);
