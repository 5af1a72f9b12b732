import type { Schema } from '../core/schema/schema';
import type { Conditions, SerializedModel, SynthesisStats, SynthesizerId } from '../core/synth/types';
import type { TablePreview } from '../core/table/preview';
import type { EncryptionInfo, Sealed } from '../core/crypto';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** The dataset shown by default (the newest cleaned version, else the original). */
  currentDatasetId: string;
  /**
   * Encryption at rest (ProjectStore seals column data, previews, model arrays and report bodies with
   * a key derived from the passphrase; the key lives only in workers' memory). Absent: stored in clear.
   */
  encryption?: EncryptionInfo;
  /** When "Delete real data" removed the original and cleaned data and the models' arrays. */
  realDataDeletedAt?: number;
}

/** Dataset metadata only: listing projects never loads column data. */
export interface DatasetRecord {
  id: string;
  projectId: string;
  name: string;
  /** original import, a cleaned version made by a fix, or a synthetic output. */
  origin: 'import' | 'cleaned' | 'synthetic';
  /** The dataset this one was derived from (cleaned or synthetic), if any. */
  parentId?: string;
  nRows: number;
  columnNames: string[];
  schema: Schema;
  sourceFile?: { name: string; size: number; encoding: string; delimiter: string };
  warnings: { code: string; message: string }[];
  /** Row indices (into this dataset) kept out of training: the holdout. */
  holdoutFraction?: number;
  holdoutSeed?: number;
  /** How a synthetic dataset was made (origin 'synthetic' only). */
  synthesis?: SynthesisProvenance;
  /**
   * The first rows and the levels, written with the data: all the page ever holds of a table.
   * Absent on datasets saved before version 2 until a worker fills it in (ensurePreview).
   */
  preview?: TablePreview;
  /** The preview sealed (encrypted projects): `preview` is then absent in storage. */
  sealedPreview?: Sealed;
  /** Real data deleted: the record stays (name, columns, schema) so synthetic datasets still name their source. */
  dataDeletedAt?: number;
  /** Bytes its column data takes in storage (typed arrays and labels), recorded when it is written. */
  bytes?: number;
  /**
   * A synthetic sample not kept yet: the next sample of the same model replaces it, Save keeps it.
   * Drafts are hidden from the history and the report.
   */
  draft?: boolean;
  /**
   * Generations of synthesis behind the data: absent (or 0) for real data, n for an imported
   * Facsimile export of generation n, the parent's + 1 for a synthetic dataset (a cleaned version
   * keeps its parent's).
   */
  generation?: number;
  createdAt: number;
}

/**
 * The train/holdout split of a dataset, stored once as its seed plus the row selection it gave, so
 * that training and evaluation use the very same rows.
 */
export interface SplitRecord {
  datasetId: string;
  seed: number;
  fraction: number;
  /** Sorted row indices kept out of training. */
  holdout: Int32Array;
  /** The subject key whose rows were kept together on one side (src/core/table/groupKey.ts). */
  groupedBy?: string;
}

/** The settings and figures behind a synthetic dataset: never source values. */
export interface SynthesisProvenance {
  /** The ModelRecord that generated it. */
  modelId: string;
  synthesizer: SynthesizerId;
  /** Options given to fit (common and engine options). */
  options: Record<string, unknown>;
  /** Seed of the fit and of the sample. */
  fitSeed: number;
  sampleSeed: number;
  conditions?: Conditions;
  stats: SynthesisStats;
  fitSeconds: number;
  sampleSeconds: number;
}

/** One column's data, stored apart from the metadata as typed arrays (IndexedDB keeps them as-is). */
export interface ColumnDataRecord {
  datasetId: string;
  index: number;
  name: string;
  type: 'numeric' | 'categorical';
  values?: Float64Array;
  codes?: Int32Array;
  levels?: string[];
  /** Encrypted projects: values/codes/levels sealed together (and absent in clear). */
  sealed?: Sealed;
}

/** A fitted model's metadata; its arrays live apart (ModelDataRecord) so listing models stays cheap. */
export interface ModelRecord {
  id: string;
  projectId: string;
  datasetId: string;
  synthesizer: SynthesizerId;
  options: Record<string, unknown>;
  seed: number;
  createdAt: number;
  fitSeconds: number;
  /** What the fit reported (pooled categories, ε); absent on models saved before version 2. */
  stats?: SynthesisStats;
  /** Bytes its serialized arrays take in storage, recorded when it is written. */
  bytes?: number;
  /** Its arrays were deleted with the real data (they held values taken from it): it cannot sample again. */
  dataDeletedAt?: number;
  /**
   * Set on a training checkpoint, not a finished model: the state after `epoch` of a fit that trains in
   * epochs (the transformer). A closed tab leaves it behind, and the next fit can resume from it.
   */
  training?: { epoch: number; savedAt: number };
}

/**
 * A model's serialized form. Kept out of ModelRecord because a CART model carries every training
 * value as donors: only the training worker reads it.
 */
export interface ModelDataRecord {
  modelId: string;
  /** Absent when sealed (encrypted projects). */
  serialized?: SerializedModel;
  sealed?: Sealed;
}

export interface ReportRecord {
  id: string;
  projectId: string;
  modelId: string;
  syntheticDatasetId: string;
  createdAt: number;
  /** The Report object of src/core/metrics (JSON-able); undefined while sealed and locked. */
  report: unknown;
  /** Encrypted projects: the report body sealed (`report` is then undefined in storage). */
  sealed?: Sealed;
}

/**
 * The SHA-256 of a file this app exported (the zip and the data file in it), so that re-importing the
 * file is recognised as synthetic even without its provenance sidecar.
 */
export interface ExportFingerprintRecord {
  /** SHA-256 hex of the file's bytes. */
  hash: string;
  projectId: string;
  datasetId: string;
  /** The generation the provenance of that export gave. */
  generation: number;
  fileName: string;
  createdAt: number;
}
