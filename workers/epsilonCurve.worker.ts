/**
 * ε curve worker: for a saved report on a table made by the Bayesian network with ε, refits the network
 * at each budget of the curve (src/core/synth/privacy/epsilonCurve.ts) on the source's stored training
 * rows, with the model's other options and seeds, streams progress, honours cancel, and saves the curve
 * into the report's body (sealed in an encrypted project), so that it is there after a reload.
 */
import { expose } from 'comlink';
import { UserError, type Progress } from '../src/core/context';
import { originOf } from '../src/core/report/origin';
import type { StoredEpsilonCurve } from '../src/core/report/types';
import { DEFAULT_SEED } from '../src/core/random/rng';
import { LockedError } from '../src/db';
import { epsilonCurve, type EpsilonCurvePoint } from '../src/core/synth/privacy/epsilonCurve';
import { trainHoldout } from './datasets';
import { keyringApi } from './keyring';
import { RunSlot } from './workerRuns';
import { workerStore } from './workerStore';

export interface EpsilonCurveRequest {
  /** The saved report the curve belongs to (and is saved into). */
  reportId: string;
  /** Budgets (Infinity: none); the default list (0.25, 0.5, 1, 2, 5, ∞) when left out. */
  epsilons?: number[];
}

const runs = new RunSlot();

const api = {
  ...keyringApi,
  /** Compute the curve of a report's model; `onPoint` receives each point as it is scored. Resolves to the saved curve. */
  computeCurve(req: EpsilonCurveRequest, onProgress: (p: Progress) => void, onPoint?: (p: EpsilonCurvePoint, index: number) => void): Promise<StoredEpsilonCurve> {
    return runs.run(async (signal) => {
      const store = workerStore();
      void onProgress({ phase: 'reading', fraction: 0 });
      const rec = await store.getReport(req.reportId);
      if (!rec) throw new UserError('This report no longer exists (it may have been deleted in another tab).', 'Evaluate the synthetic table again.');
      const body = rec.report as { seed?: number } | undefined;
      if (!body) throw new LockedError();
      const synthetic = await store.getDataset(rec.syntheticDatasetId);
      if (!synthetic) throw new UserError('The synthetic table of this report no longer exists, so its model is unknown.');
      if (!synthetic.parentId || !(await store.getDataset(synthetic.parentId))) {
        throw new UserError(`The real dataset behind "${synthetic.name}" no longer exists, so there is nothing to fit the curve on.`);
      }
      const models = await store.listModels(synthetic.projectId);
      const origin = originOf(synthetic, models);
      if (origin.synthesizer !== 'bayesnet' || origin.epsilon === undefined) {
        throw new UserError('The ε curve is for tables made by the Bayesian network with differential privacy (ε).');
      }
      const model = models.find((m) => m.id === origin.modelId);
      const options = { ...(synthetic.synthesis?.options ?? model?.options) };
      const fitSeed = origin.fitSeed ?? model?.seed ?? DEFAULT_SEED;
      const { dataset: source, train, holdout } = await trainHoldout(synthetic.parentId);
      const curve = await epsilonCurve({
        train,
        holdout,
        schema: source.schema,
        options,
        seed: fitSeed,
        ...(origin.sampleSeed !== undefined ? { sampleSeed: origin.sampleSeed } : {}),
        // Scored as the report was: the fork 'fidelity' of its seed (accuracyScorer forks it).
        metricSeed: body.seed ?? DEFAULT_SEED,
        ...(req.epsilons ? { epsilons: req.epsilons } : {}),
        signal,
        // Progress and points go through comlink proxies; do not await them.
        onProgress: (p) => void onProgress(p),
        onPoint: onPoint ? (p, i) => void onPoint(p, i) : undefined,
      });
      const stored: StoredEpsilonCurve = { ...curve, computedAt: Date.now(), modelEpsilon: origin.epsilon };
      void onProgress({ phase: 'saving', fraction: 1 });
      await store.setReportField(rec.id, 'epsilonCurve', stored);
      return stored;
    });
  },
  cancel(): void {
    runs.cancel();
  },
};

export type EpsilonCurveApi = typeof api;
expose(api);
