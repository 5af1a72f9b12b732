/**
 * Is a file a Facsimile export? Recognised, in this order, by its provenance sidecar (NAME.provenance.json
 * given with it), by the provenance.json inside a Facsimile zip, or by a Parquet file's key-value
 * metadata. (The app then also looks the file's SHA-256 up among the fingerprints of its own exports.)
 */
import { parquetMetadata, parquetMetadataAsync, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import type { ByteSource } from '../ingest/byteSource';
import { isZip, unpackBundle } from '../export/bundle';
import { PARQUET_PROVENANCE_KEY, parseProvenance, type Provenance } from './provenance';

export type ProvenanceSource = 'sidecar' | 'bundle' | 'parquet-metadata' | 'fingerprint';

export interface DetectedProvenance {
  provenance: Provenance;
  via: ProvenanceSource;
}

export function isParquet(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 8 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31 && bytes[n - 4] === 0x50 && bytes[n - 3] === 0x41 && bytes[n - 2] === 0x52 && bytes[n - 1] === 0x31;
}

/** The provenance in Parquet key-value metadata, if any. */
export function provenanceOfParquetMetadata(metadata: Pick<FileMetaData, 'key_value_metadata'> | undefined): Provenance | undefined {
  return parseProvenance(metadata?.key_value_metadata?.find((kv) => kv.key === PARQUET_PROVENANCE_KEY)?.value);
}

/** The provenance in a Parquet file's metadata, reading only its footer. */
export async function parquetProvenance(source: ByteSource): Promise<Provenance | undefined> {
  if (source.size < 12) return undefined;
  const magic = await source.read(0, 4);
  if (String.fromCharCode(...magic) !== 'PAR1') return undefined;
  const file: AsyncBuffer = {
    byteLength: source.size,
    slice: async (start, end) => {
      const b = await source.read(start, end ?? source.size);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
  try {
    return provenanceOfParquetMetadata(await parquetMetadataAsync(file));
  } catch {
    return undefined;
  }
}

export interface DetectInput {
  fileName: string;
  /** The file's bytes (needed for a zip; a Parquet file's metadata is read from them if not given). */
  bytes?: Uint8Array;
  /** Text of a provenance sidecar given with the file. */
  sidecarText?: string;
  parquetMetadata?: Pick<FileMetaData, 'key_value_metadata'>;
}

export function detectProvenance(input: DetectInput): DetectedProvenance | undefined {
  const side = parseProvenance(input.sidecarText);
  if (side) return { provenance: side, via: 'sidecar' };
  const bytes = input.bytes;
  if (bytes && isZip(bytes)) {
    try {
      const p = parseProvenance(unpackBundle(bytes)?.provenanceText);
      if (p) return { provenance: p, via: 'bundle' };
    } catch {
      // not a readable zip: not a bundle
    }
  }
  let meta = input.parquetMetadata;
  if (!meta && bytes && isParquet(bytes)) {
    try {
      meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    } catch {
      meta = undefined;
    }
  }
  const pq = provenanceOfParquetMetadata(meta);
  if (pq) return { provenance: pq, via: 'parquet-metadata' };
  return undefined;
}
