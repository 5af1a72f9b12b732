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
import { trainHoldout } from './datasets';
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
}

const runs = new RunSlot();

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
      const { dataset: source, train, holdout } = await trainHoldout(synthetic.parentId);
      const models = await store.listModels(synthetic.projectId);
      const origin = originOf(synthetic, models);
      const auto = req.target === undefined ? chooseTarget(train, source.schema) : undefined;
      const target = auto ? auto.target : req.target && source.schema.columns.some((c) => c.name === req.target) ? req.target : undefined;
      const report = await evaluate(
        { train, holdout, synthetic: syntheticTable, schema: source.schema, target, sampleSize: req.sampleSize, label: syntheticLabel(synthetic, origin) },
        // Progress goes through a comlink proxy; do not await it.
        { rng: new Rng(req.seed ?? DEFAULT_SEED), signal, onProgress: (p) => void onProgress(p) },
      );
      report.notes.push(...originNotes(origin));
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
