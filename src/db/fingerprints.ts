/**
 * Fingerprints (SHA-256 of the bytes) of the files this app exported, so that an export dropped back
 * in is recognised as synthetic, with its generation, even without its provenance sidecar. A hash of a
 * synthetic file holds no value of any dataset.
 */
import type { FacsimileDb } from './db';
import { storageError } from './errors';
import type { ExportFingerprintRecord } from './types';

export async function saveExportFingerprints(db: FacsimileDb, records: ExportFingerprintRecord[]): Promise<void> {
  try {
    await db.exportFingerprints.bulkPut(records);
  } catch (e) {
    throw storageError(e, 'remember the exported file');
  }
}

/** The export whose file had this SHA-256, if this app made it. */
export function findExportFingerprint(db: FacsimileDb, hash: string): Promise<ExportFingerprintRecord | undefined> {
  return db.exportFingerprints.get(hash);
}
