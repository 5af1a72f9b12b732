/**
 * Text worker: local text models (Transformers.js) in the browser. It checks and stores imported model
 * folders (Cache Storage, src/db/textModels.ts: all files or none), lists and deletes them, and runs them:
 * the PII scan of a stored dataset's text columns (patterns always, a NER model's entities when chosen) and
 * a quick run of any model on a few texts. Inference uses WebGPU when the device has it and WASM otherwise,
 * and says which. ONNX Runtime's WASM files are served by the app (never a CDN), and models are read only
 * from this origin's storage (`allowRemoteModels = false`): textRuntime.ts, shared with the train worker.
 */
import { expose } from 'comlink';
import type { Progress } from '../src/core/context';
import { UserError } from '../src/core/context';
import { checkModelFiles, normalisePaths, type ModelFileInfo } from '../src/core/text/modelFolder';
import { scanTextPii, textColumns } from '../src/core/text/scan';
import { cleanText, entitySpans, maskText, patternSpans, type TextPiiColumnScan } from '../src/core/text/piiText';
import { Embedder, EntityFinder, ModelTextGenerator, type TextDevice } from '../src/core/text/transformersText';
import { bytesFree, deleteTextModel, listTextModels, putTextModel, type TextModelRecord } from '../src/db/textModels';
import { forgetResident, resident, storedModelSource } from './textRuntime';
import { unzipSync } from 'fflate';
import { loadDataset, rememberTable } from './datasets';
import { keyringApi } from './keyring';
import { workerStore } from './workerStore';
import type { DatasetRecord } from '../src/db';
import { portable, RunSlot } from './workerRuns';

const runs = new RunSlot();

export interface ImportFile {
  path: string;
  file: Blob;
}

export interface TryResult {
  task: TextModelRecord['task'];
  device: TextDevice;
  /** One line per input text. */
  outputs: string[];
}

const api = {
  ...keyringApi,
  listModels(): Promise<TextModelRecord[]> {
    return portable(() => listTextModels());
  },

  deleteModel(id: string): Promise<void> {
    forgetResident(id);
    return portable(() => deleteTextModel(id));
  },

  /** Checks a picked folder (or unzipped files) and stores it whole, or stores nothing and says why. */
  importModel(name: string, files: ImportFile[], onProgress?: (p: Progress) => void): Promise<TextModelRecord> {
    return runs.run(async (signal) => {
      onProgress?.({ phase: 'checking', fraction: 0, message: 'Checking the files' });
      const normal = normalisePaths(files.map((f) => ({ ...f, path: f.path })));
      const infos: ModelFileInfo[] = await Promise.all(
        normal.map(async (f) => ({
          path: f.path,
          size: f.file.size,
          ...(f.path.endsWith('.onnx') ? { head: new Uint8Array(await f.file.slice(0, 16).arrayBuffer()) } : {}),
          ...(f.path.endsWith('.json') && f.file.size < 64 << 20 ? { text: await f.file.text() } : {}),
        })),
      );
      const checked = checkModelFiles(infos, await bytesFree());
      const record: TextModelRecord = {
        id: `m${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
        name, task: checked.task, modelType: checked.modelType, architecture: checked.architecture, dtype: checked.dtype, size: checked.size, files: checked.files, importedAt: Date.now(),
      };
      const blobs = new Map(normal.map((f) => [f.path, f.file]));
      await putTextModel(record, blobs, (done, total) => onProgress?.({ phase: 'storing', fraction: done / total, message: `Stored ${done} of ${total} files` }), signal);
      return record;
    });
  },

  /** A zip of a model folder: unpacked here (off the page), then checked and stored as a folder is. */
  async importZip(name: string, zip: Blob, onProgress?: (p: Progress) => void): Promise<TextModelRecord> {
    const files = await portable(async () => {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
      } catch {
        throw new UserError(`${name} is not a readable zip file.`, 'Pick the model folder itself, or a .zip of it.');
      }
      return Object.entries(entries).filter(([p]) => !p.endsWith('/')).map(([path, bytes]) => ({ path, file: new Blob([bytes as Uint8Array<ArrayBuffer>]) }));
    });
    return api.importModel(name.replace(/\.zip$/i, ''), files, onProgress);
  },

  /** Runs a model on a few texts: NER masks them, a generator continues them, an embedder gives sizes. */
  tryModel(id: string, texts: string[], seed: number, onProgress?: (p: Progress) => void): Promise<TryResult> {
    return runs.run(async (signal) => {
      const { record, src } = await storedModelSource(id);
      onProgress?.({ phase: 'loading', fraction: 0.1, message: `Loading ${record.name} (${src.device})` });
      const outputs: string[] = [];
      if (record.task === 'token-classification') {
        const ner = await resident(id, () => EntityFinder.load(src));
        const found = await ner.find(texts);
        texts.forEach((t, i) => outputs.push(maskText(t, [...patternSpans(t), ...entitySpans(t, found[i])])));
      } else if (record.task === 'text-generation') {
        const gen = await resident(id, () => ModelTextGenerator.load(src));
        outputs.push(...(await gen.generate(texts.map((t) => ({ column: 'text', prompt: cleanText(t), targetWords: 12 })), seed, signal)));
      } else {
        const emb = await resident(id, () => Embedder.load(src));
        for (const v of await emb.embed(texts)) outputs.push(`${v.length} dimensions`);
      }
      onProgress?.({ phase: 'done', fraction: 1 });
      return { task: record.task, device: src.device, outputs };
    });
  },

  /** The PII scan of a stored dataset's text columns; with a NER model id, named entities too. */
  scanDataset(datasetId: string, modelId: string | undefined, onProgress?: (p: Progress) => void): Promise<{ scans: TextPiiColumnScan[]; device?: TextDevice }> {
    return runs.run(async (signal) => {
      onProgress?.({ phase: 'reading', fraction: 0, message: 'Reading the data' });
      const { dataset, table } = await loadDataset(datasetId);
      let ner: EntityFinder | undefined;
      let dev: TextDevice | undefined;
      if (modelId) {
        const { src } = await storedModelSource(modelId);
        ner = await resident(modelId, () => EntityFinder.load(src));
        dev = src.device;
      }
      const { scans } = await scanTextPii(table, textColumns(dataset.schema), { signal, onProgress: (p) => void onProgress?.(p) }, ner);
      return { scans, ...(dev ? { device: dev } : {}) };
    });
  },

  /**
   * Saves a cleaned version of a stored dataset: in every text column, what the scan finds (patterns, and a
   * NER model's entities when given) replaced by placeholders ("[EMAIL]", "[PERSON]"), before any synthesis.
   * The new version becomes current; the parent stays as it was.
   */
  cleanDataset(datasetId: string, modelId: string | undefined, onProgress?: (p: Progress) => void): Promise<DatasetRecord> {
    return runs.run(async (signal) => {
      const { dataset: parent, table } = await loadDataset(datasetId);
      const ner = modelId ? await storedModelSource(modelId).then(({ src }) => resident(modelId, () => EntityFinder.load(src))) : undefined;
      const { cleaned } = await scanTextPii(table, textColumns(parent.schema), { signal, onProgress: (p) => void onProgress?.(p) }, ner);
      signal.throwIfAborted();
      const base = parent.sourceFile?.name ?? parent.name.split(' — ')[0];
      const rec = await workerStore().addDataset(
        parent.projectId,
        {
          name: `${base} — PII in text replaced`,
          table: cleaned,
          schema: parent.schema,
          warnings: parent.warnings,
          sourceFile: parent.sourceFile,
          holdoutFraction: parent.holdoutFraction,
          holdoutSeed: parent.holdoutSeed,
        },
        'cleaned',
        parent.id,
      );
      rememberTable(rec.id, cleaned);
      return rec;
    });
  },

  cancel(): void {
    runs.cancel();
  },
};

export type TextApi = typeof api;
expose(api);
