/**
 * What an import really holds: the data file (taken out of a Facsimile zip when one is dropped), its
 * provenance when it is a Facsimile export (sidecar, bundle or Parquet metadata, in that order), and the
 * SHA-256 of the bytes for a look-up among the app's own exports (left to the caller, who has the store).
 */
import { UserError } from '../context';
import { blobSource } from '../ingest/byteSource';
import { isZip, unpackBundle } from '../export/bundle';
import { parquetProvenance, type DetectedProvenance } from './detect';
import { parseProvenance, sha256Hex } from './provenance';
export { pickSidecar, splitDropped } from './dropped';

/** Files up to this size are hashed to look them up among the app's exports. */
export const MAX_FINGERPRINT_BYTES = 256 << 20;

export interface ResolvedImport {
  data: Blob;
  fileName: string;
  detected?: DetectedProvenance;
  /** SHA-256 of the file dropped and, for a zip, of the data file in it (absent for huge files). */
  hashes: string[];
}

/** `hash: false` skips hashing (the CLI has no store of fingerprints to look them up in). */
export async function resolveImport(file: Blob, fileName: string, sidecarText?: string, options: { hash?: boolean } = {}): Promise<ResolvedImport> {
  const hash = options.hash !== false;
  const hashes: string[] = [];
  let data = file;
  let name = fileName;
  let detected: DetectedProvenance | undefined;
  const side = parseProvenance(sidecarText);
  if (side) detected = { provenance: side, via: 'sidecar' };
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (isZip(head)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let un;
    try {
      un = unpackBundle(bytes);
    } catch (e) {
      throw new UserError(`"${fileName}" is a zip file that cannot be read (${(e as Error).message}).`, 'Unzip it and import the data file inside.');
    }
    if (!un) throw new UserError(`"${fileName}" is a zip file with no CSV, TSV, JSON or Parquet file in it.`, 'Import the data file itself.');
    if (hash) hashes.push(await sha256Hex(bytes));
    data = new Blob([un.data as Uint8Array<ArrayBuffer>]);
    name = un.dataFileName;
    const inZip = parseProvenance(un.provenanceText);
    if (!detected && inZip) detected = { provenance: inZip, via: 'bundle' };
  }
  if (!detected) {
    const pq = await parquetProvenance(blobSource(data));
    if (pq) detected = { provenance: pq, via: 'parquet-metadata' };
  }
  if (hash && data.size <= MAX_FINGERPRINT_BYTES) hashes.push(await sha256Hex(new Uint8Array(await data.arrayBuffer())));
  return { data, fileName: name, ...(detected ? { detected } : {}), hashes };
}
