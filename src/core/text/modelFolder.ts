/**
 * Checks a Transformers.js model folder before anything is stored or loaded: the files it needs are there,
 * the weights are ONNX, the architecture does a job Facsimile uses, and it fits in the space left. Every
 * failure is a UserError that says which, so an import stores nothing half-way.
 */
import { UserError } from '../context';
import { taskOfConfig, type TextTask } from './transformersText';

export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

/** ONNX weight files by dtype, in the order they are preferred. */
const WEIGHTS: { file: string; dtype: ModelDtype }[] = [
  { file: 'onnx/model.onnx', dtype: 'fp32' },
  { file: 'onnx/model_fp16.onnx', dtype: 'fp16' },
  { file: 'onnx/model_quantized.onnx', dtype: 'q8' },
  { file: 'onnx/model_int8.onnx', dtype: 'int8' },
  { file: 'onnx/model_uint8.onnx', dtype: 'uint8' },
  { file: 'onnx/model_q4.onnx', dtype: 'q4' },
  { file: 'onnx/model_q4f16.onnx', dtype: 'q4f16' },
  { file: 'onnx/model_bnb4.onnx', dtype: 'bnb4' },
];
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** One file of a picked folder or zip: its path inside the model folder, size, and its first bytes. */
export interface ModelFileInfo {
  path: string;
  size: number;
  /** The first bytes (at least 16) of .onnx files; the whole text of the .json files. */
  head?: Uint8Array;
  text?: string;
}

export interface CheckedModel {
  task: TextTask;
  modelType: string;
  architecture: string;
  dtype: ModelDtype;
  /** Bytes of the files kept (the chosen weights, their external data, the JSON files). */
  size: number;
  /** The files to keep, relative to the model folder. */
  files: string[];
}

/**
 * Whether bytes start like an ONNX ModelProto: protobuf field 1 (ir_version, varint) with a small version,
 * or another ModelProto field first (opset_import, producer_name, graph...).
 */
export function looksLikeOnnx(head: Uint8Array): boolean {
  if (head.length < 2) return false;
  if (head[0] === 0x08) return head[1] >= 1 && head[1] <= 20; // ir_version 1..20
  return [0x12, 0x1a, 0x22, 0x2a, 0x3a, 0x42].includes(head[0]) && head[1] > 0;
}

/**
 * Strips a common top folder ("bert-base-NER/config.json" → "config.json") so that a folder picked one
 * level up or a zip holding the folder both work.
 */
export function normalisePaths<T extends { path: string }>(files: readonly T[]): T[] {
  const clean = files.map((f) => ({ ...f, path: f.path.replace(/\\/g, '/').replace(/^\.?\//, '') }));
  for (;;) {
    if (clean.some((f) => REQUIRED_FILES.includes(f.path as (typeof REQUIRED_FILES)[number]))) return clean;
    const tops = new Set(clean.map((f) => f.path.split('/')[0]));
    if (tops.size !== 1 || clean.some((f) => !f.path.includes('/'))) return clean;
    const top = [...tops][0] + '/';
    for (const f of clean) f.path = f.path.slice(top.length);
  }
}

export function checkModelFiles(files: readonly ModelFileInfo[], bytesFree = Infinity): CheckedModel {
  const byPath = new Map(normalisePaths(files).map((f) => [f.path, f]));
  const missing = REQUIRED_FILES.filter((f) => !byPath.has(f));
  const weights = WEIGHTS.find((w) => byPath.has(w.file));
  if (!weights) missing.push('onnx/model.onnx' as never);
  if (missing.length > 0) {
    const onnxElsewhere = [...byPath.keys()].filter((p) => p.endsWith('.onnx'));
    throw new UserError(
      `The model folder is missing ${missing.join(', ')}.`,
      onnxElsewhere.length && !weights
        ? `It has ${onnxElsewhere.join(', ')}: Transformers.js reads onnx/model.onnx (or model_quantized.onnx, model_fp16.onnx...) inside an onnx/ folder.`
        : 'Take the whole folder of a Transformers.js-ready model: config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.',
    );
  }
  const json: Record<string, unknown> = {};
  for (const f of REQUIRED_FILES) {
    try {
      json[f] = JSON.parse(byPath.get(f)!.text ?? '');
    } catch {
      throw new UserError(`${f} is not valid JSON.`, 'The file may be damaged or not the one the model came with.');
    }
  }
  const w = byPath.get(weights!.file)!;
  if (!w.head || !looksLikeOnnx(w.head)) {
    throw new UserError(`${weights!.file} is not an ONNX model.`, 'It may be a renamed file (PyTorch .bin, safetensors, a zip). Export the model to ONNX (Optimum), or take a copy with an onnx/ folder.');
  }
  const info = taskOfConfig(json['config.json'] as { model_type?: unknown; architectures?: unknown });
  const kept = [...REQUIRED_FILES, weights!.file, ...[...byPath.keys()].filter((p) => p.startsWith(weights!.file + '_data') || p === 'generation_config.json' || p === 'special_tokens_map.json')];
  const size = kept.reduce((s, p) => s + (byPath.get(p)?.size ?? 0), 0);
  if (size > bytesFree) {
    const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;
    throw new UserError(`The model needs ${mb(size)} but only ${mb(bytesFree)} of browser storage is left.`, 'Free space (delete other models or projects), or import a smaller (quantized) version.');
  }
  return { ...info, dtype: weights!.dtype, size, files: kept };
}
