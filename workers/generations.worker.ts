/**
 * Generations worker (model collapse, made visible): fits a synthesizer on a dataset's training rows,
 * then on its own output, for n generations, and streams each generation's accuracy against the real
 * training rows (with the holdout's as the ceiling) as soon as it is scored. The page names the dataset;
 * this worker reads its stored split itself. Nothing is saved: the synthetic generations are dropped.
 */
import { expose } from 'comlink';
import type { Progress } from '../src/core/context';
import { DEFAULT_SEED } from '../src/core/random/rng';
import { runGenerations, optionsForGeneration, MAX_GENERATIONS, type GenerationResult } from '../src/core/synth/generations';
import { isSynthesizerId, loadSynthesizer, validateOptions } from '../src/core/synth/registry';
import { configureTfjsWasm } from './tfjsWasm';
import { trainHoldout } from './datasets';
import { RunSlot } from './workerRuns';

export interface GenerationsRequest {
  datasetId: string;
  synthesizer: string;
  /** 1..MAX_GENERATIONS. */
  generations: number;
  /** The synthesizer's options the user set (the registry's defaults fill the rest). */
  options?: Record<string, unknown>;
  /**
   * Fit generations 2.. as the app fits re-imported synthetic data (optionsForGeneration: leaked-row
   * redraws off); false: the same options at every generation. Default true.
   */
  asReimported?: boolean;
  seed?: number;
}

/** One generation's figures as they cross to the page (no table). */
export type GenerationPoint = Omit<GenerationResult, 'table'>;

const runs = new RunSlot();

const api = {
  /**
   * Run the generations; `onGeneration` receives each one's figures as it is scored, `onProgress` the
   * progress of the whole run. Resolves to every generation's figures.
   */
  runGenerations(req: GenerationsRequest, onProgress: (p: Progress) => void, onGeneration: (g: GenerationPoint) => void): Promise<GenerationPoint[]> {
    return runs.run(async (signal) => {
      if (!isSynthesizerId(req.synthesizer)) throw new Error(`Unknown synthesizer "${req.synthesizer}"`);
      const generations = Math.max(1, Math.min(MAX_GENERATIONS, Math.round(req.generations)));
      void onProgress({ phase: 'reading', fraction: 0 });
      const { dataset, train, holdout } = await trainHoldout(req.datasetId);
      if (req.synthesizer === 'transformer') await configureTfjsWasm();
      const synthesizer = await loadSynthesizer(req.synthesizer);
      const id = req.synthesizer;
      const asReimported = req.asReimported ?? true;
      // Checked once up front, so that a bad option fails before the first fit.
      validateOptions(id, req.options ?? {});
      const options = (g: number) => validateOptions(id, asReimported ? optionsForGeneration(id, g - 1, req.options ?? {}) : (req.options ?? {}));
      const out: GenerationPoint[] = [];
      for await (const r of runGenerations({
        train,
        holdout: holdout.nRows > 0 ? holdout : undefined,
        schema: dataset.schema,
        synthesizer,
        options,
        generations,
        seed: req.seed ?? DEFAULT_SEED,
        signal,
        // Progress and results go through comlink proxies; do not await them.
        onProgress: (p) => void onProgress(p),
      })) {
        out.push(r);
        void onGeneration(r);
      }
      return out;
    });
  },
  cancel(): void {
    runs.cancel();
  },
};

export type GenerationsApi = typeof api;
expose(api);
