/**
 * Local text models (Transformers.js folders) kept in the browser's Cache Storage, apart from the Dexie
 * database (no schema change): one cache, each file under a same-origin key that is never fetched
 * (`/__fx-models__/<id>/<path>`), and one index of records. An import writes every file, then the index
 * last; if anything fails the files written so far are deleted, so nothing is ever half-stored and a
 * model is listed only once whole.
 */
export const MODEL_CACHE = 'facsimile-text-models';
export const MODEL_PREFIX = '/__fx-models__/';
const INDEX_KEY = `${MODEL_PREFIX}index.json`;

export interface TextModelRecord {
  id: string;
  /** The folder's name as imported. */
  name: string;
  task: 'token-classification' | 'text-generation' | 'feature-extraction';
  modelType: string;
  architecture: string;
  dtype: string;
  /** Bytes stored. */
  size: number;
  /** Paths inside the model folder. */
  files: string[];
  importedAt: number;
}

function cacheApi(): CacheStorage {
  if (typeof caches === 'undefined') throw new Error('This browser has no Cache Storage, so models cannot be stored.');
  return caches;
}

export function modelFileKey(id: string, path: string): string {
  return `${MODEL_PREFIX}${id}/${path}`;
}

async function readIndex(cache: Cache): Promise<TextModelRecord[]> {
  const r = await cache.match(INDEX_KEY);
  return r ? ((await r.json()) as TextModelRecord[]) : [];
}

async function writeIndex(cache: Cache, records: TextModelRecord[]): Promise<void> {
  await cache.put(INDEX_KEY, new Response(JSON.stringify(records), { headers: { 'content-type': 'application/json' } }));
}

export async function listTextModels(): Promise<TextModelRecord[]> {
  return readIndex(await cacheApi().open(MODEL_CACHE));
}

/** Bytes the origin may still store (Infinity when the browser does not say). */
export async function bytesFree(): Promise<number> {
  const est = typeof navigator !== 'undefined' && navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  return est?.quota !== undefined ? Math.max(0, est.quota - (est.usage ?? 0)) : Infinity;
}

/**
 * Stores a checked model: every file, then the index. On any failure (quota, a read error, cancel) the files
 * already written are removed and the error is thrown: nothing is half-stored.
 */
export async function putTextModel(record: TextModelRecord, files: ReadonlyMap<string, Blob>, onFile?: (done: number, total: number) => void, signal?: AbortSignal): Promise<void> {
  const cache = await cacheApi().open(MODEL_CACHE);
  const written: string[] = [];
  try {
    let k = 0;
    for (const path of record.files) {
      signal?.throwIfAborted();
      const blob = files.get(path);
      if (!blob) throw new Error(`The file ${path} could not be read.`);
      const key = modelFileKey(record.id, path);
      await cache.put(key, new Response(blob, { headers: { 'content-length': String(blob.size), 'content-type': 'application/octet-stream' } }));
      written.push(key);
      onFile?.(++k, record.files.length);
    }
    signal?.throwIfAborted();
    const index = await readIndex(cache);
    await writeIndex(cache, [...index.filter((r) => r.id !== record.id), record]);
  } catch (e) {
    await Promise.all(written.map((key) => cache.delete(key)));
    throw e;
  }
}

export async function deleteTextModel(id: string): Promise<void> {
  const cache = await cacheApi().open(MODEL_CACHE);
  const index = await readIndex(cache);
  const record = index.find((r) => r.id === id);
  await writeIndex(cache, index.filter((r) => r.id !== id));
  if (record) await Promise.all(record.files.map((p) => cache.delete(modelFileKey(id, p))));
}

/** A stored file as a Response (what Transformers.js' custom cache returns), or undefined. */
export async function matchModelFile(key: string): Promise<Response | undefined> {
  if (!key.includes(MODEL_PREFIX)) return undefined;
  const cache = await cacheApi().open(MODEL_CACHE);
  return cache.match(key.slice(key.indexOf(MODEL_PREFIX)));
}
