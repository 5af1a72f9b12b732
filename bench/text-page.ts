/**
 * Page side of the text benchmark: the app's text worker (workers/text.worker.ts, comlink), the tiny models
 * imported through its import path (fetched from the dev server, stored in Cache Storage), then each job
 * run twice on the same texts (the first loads the model), timing the second.
 */
import { wrap } from 'comlink';
import type { TextApi } from '../workers/text.worker';

export interface TextBenchResult {
  device: string;
  jobs: { job: string; rows: number; seconds: number }[];
}

declare global {
  interface Window {
    __textBench?: { run(texts: string[], models: ModelFilesB64): Promise<TextBenchResult> };
  }
}

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

/** Model files as base64, by model name and path (read in Node by bench/text-browser.ts). */
export type ModelFilesB64 = Record<string, Record<string, string>>;

async function importTiny(api: ReturnType<typeof wrap<TextApi>>, name: string, models: ModelFilesB64): Promise<string> {
  const files = FILES.map((path) => ({ path, file: new Blob([Uint8Array.from(atob(models[name][path]), (c) => c.charCodeAt(0))]) }));
  return (await api.importModel(name, files)).id;
}

window.__textBench = {
  async run(texts: string[], models: ModelFilesB64): Promise<TextBenchResult> {
    try {
      return await runJobs(texts, models);
    } catch (e) {
      const err = e as { message?: string; hint?: string };
      throw new Error(`${err.message ?? String(e)}${err.hint ? ` (${err.hint})` : ''}`);
    }
  },
};

async function runJobs(texts: string[], models: ModelFilesB64): Promise<TextBenchResult> {
  {
    const api = wrap<TextApi>(new Worker(new URL('../workers/text.worker.ts', import.meta.url), { type: 'module' }));
    for (const m of await api.listModels()) await api.deleteModel(m.id);
    const jobs: TextBenchResult['jobs'] = [];
    let device = '';
    for (const [job, name, input] of [
      ['PII: NER (tiny-ner)', 'tiny-ner', texts],
      ['embeddings (tiny-embed)', 'tiny-embed', texts],
      ['generation (tiny-gpt2), 12 words', 'tiny-gpt2', texts.slice(0, 32)],
    ] as const) {
      const id = await importTiny(api, name, models).catch((e) => Promise.reject(Object.assign(e, { message: `import ${name}: ${e.message}` })));
      await api.tryModel(id, [...input], 1).catch((e) => Promise.reject(Object.assign(e, { message: `first run of ${name}: ${e.message}` })));
      const t0 = performance.now();
      const r = await api.tryModel(id, [...input], 1);
      jobs.push({ job, rows: input.length, seconds: (performance.now() - t0) / 1000 });
      device = r.device;
    }
    return { device, jobs };
  }
}
document.getElementById('status')!.textContent = 'ready';
