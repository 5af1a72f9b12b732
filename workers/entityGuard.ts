/**
 * The named entities the text leak guard keeps out of a sample (SampleRequest.nerModelId): a stored NER model
 * scans the synthesize-text columns of the train part, and the entities it finds in exactly one training row
 * go to the pipeline (SampleOptions.uniqueTextEntities), which rewrites a synthetic text holding one. The CLI
 * does the same with `--text-model` (src/cli/textModels.ts). The entities are real values: they stay in this
 * worker's memory (so the next sample of the same train part does not scan again), are never stored or sent
 * to the page, and are dropped on lock.
 */
import type { Progress } from '../src/core/context';
import type { Schema } from '../src/core/schema/schema';
import { trainHoldout } from './datasets';
import { onForget } from './keys';

/** Scans kept, newest last: a few train parts and models at most (each holds real entities). */
const KEPT = 2;
const scanned = new Map<string, Record<string, string[]>>();
onForget(() => scanned.clear());

export interface EntityGuard {
  /** The NER model as the user knows it, with its device ("tiny-ner (WASM)"). */
  label: string;
  /** Per synthesize-text column, the entities of exactly one training row (normalised). */
  uniqueEntities: Record<string, string[]>;
}

/**
 * Loads the stored NER model (once per worker) and scans the train part of `datasetId`, with progress and
 * cancel between batches of texts; a scan already made for the same train part, model and columns is reused.
 */
export async function entityGuard(
  nerModelId: string,
  datasetId: string,
  schema: Schema,
  ctx: { signal: AbortSignal; onProgress: (p: Progress) => void },
): Promise<EntityGuard> {
  const columns = schema.columns.filter((c) => c.role === 'synthesize-text').map((c) => c.name);
  ctx.onProgress({ phase: 'loading', fraction: 0, message: 'Loading the NER model' });
  const { storedEntityModel } = await import('./textRuntime');
  const ner = await storedEntityModel(nerModelId);
  const key = JSON.stringify([datasetId, nerModelId, columns]);
  let uniqueEntities = scanned.get(key);
  if (!uniqueEntities) {
    const [{ scanTextPii }, { train }] = await Promise.all([import('../src/core/text/scan'), trainHoldout(datasetId)]);
    const onProgress = (p: Progress) => ctx.onProgress({ ...p, message: `Names of one training row (${ner.label}): ${p.message ?? ''}` });
    uniqueEntities = (await scanTextPii(train, columns, { signal: ctx.signal, onProgress }, ner)).uniqueEntities;
    scanned.set(key, uniqueEntities);
    while (scanned.size > KEPT) scanned.delete(scanned.keys().next().value!);
  }
  return { label: ner.label, uniqueEntities };
}
