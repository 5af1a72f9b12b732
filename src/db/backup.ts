/**
 * A whole project as one file and back: a zip (fflate) with `manifest.json` (format and app version,
 * every record of the project) and one binary entry per typed array (column data, model arrays,
 * splits, and for an encrypted project the sealed payloads, copied as they are: the backup of an
 * encrypted project is encrypted by construction, and it opens with the same passphrase). Each entry's
 * SHA-256 is in the manifest, so a damaged file is refused instead of restored half right.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { UserError } from '../core/context';
import { bytesOf, fromPortable, toPortable, typedFromBytes, type AnyTypedArray } from '../core/crypto/pack';
import { version as appVersion } from '../../package.json';
import type { ProjectRecords, ProjectStore } from './projects';
import type { ProjectRecord } from './types';

export const BACKUP_FORMAT = 'facsimile-project-backup';
export const BACKUP_FORMAT_VERSION = 1;

interface ArrayEntry {
  entry: string;
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  appVersion: string;
  createdAt: number;
  encrypted: boolean;
  arrays: ArrayEntry[];
  records: unknown;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The project's records as one zip file. */
export async function backupProject(store: ProjectStore, projectId: string): Promise<{ bytes: Uint8Array; fileName: string }> {
  const records = await store.readProjectRecords(projectId);
  return { bytes: await backupRecords(records), fileName: backupFileName(records.project) };
}

export function backupFileName(p: ProjectRecord): string {
  const base = p.name.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().replace(/\s+/g, '-') || 'project';
  return `${base}.facsimile.zip`;
}

export async function backupRecords(records: ProjectRecords): Promise<Uint8Array> {
  const arrays: AnyTypedArray[] = [];
  const portable = toPortable(records, (a) => arrays.push(a) - 1);
  const files: Zippable = {};
  const entries: ArrayEntry[] = [];
  for (const [i, a] of arrays.entries()) {
    const bytes = bytesOf(a);
    const entry = `arrays/${i}.bin`;
    entries.push({ entry, bytes: bytes.byteLength, sha256: await sha256(bytes) });
    // Stored, not deflated: sealed bytes do not compress, and a big table stays fast to write.
    files[entry] = [bytes, { level: 0 }];
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    appVersion,
    createdAt: Date.now(),
    encrypted: !!records.project.encryption,
    arrays: entries,
    records: portable,
  };
  files['manifest.json'] = [new TextEncoder().encode(JSON.stringify(manifest)), { level: 6 }];
  return zipSync(files);
}

const notBackup = () => new UserError('This file is not a Facsimile project backup.', 'Choose a file made with "Back up" (a .facsimile.zip).');
const damaged = (what: string) => new UserError(`This backup is damaged (${what}); nothing was restored.`, 'Use another copy of the backup.');

/** Read a backup file back into records (checked: format, version, every entry's SHA-256). */
export async function readBackup(bytes: Uint8Array): Promise<ProjectRecords> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    // A zip's local header starts "PK\3\4": anything else is not a zip at all.
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) throw damaged('the zip cannot be read');
    throw notBackup();
  }
  const m = files['manifest.json'];
  if (!m) throw notBackup();
  let manifest: Manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(m)) as Manifest;
  } catch {
    throw damaged('its manifest is not valid JSON');
  }
  if (manifest?.format !== BACKUP_FORMAT) throw notBackup();
  if (typeof manifest.formatVersion !== 'number' || manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new UserError(
      `This backup was made by a newer Facsimile (backup format ${manifest.formatVersion}, app ${manifest.appVersion}); this one reads format ${BACKUP_FORMAT_VERSION}.`,
      'Update Facsimile (reload when online), then restore it again.',
    );
  }
  const arrays: Uint8Array[] = [];
  for (const e of manifest.arrays ?? []) {
    const b = files[e.entry];
    if (!b || b.byteLength !== e.bytes) throw damaged(`${e.entry} is missing or cut short`);
    if ((await sha256(b)) !== e.sha256) throw damaged(`${e.entry} does not match its checksum`);
    arrays.push(b);
  }
  let records: ProjectRecords;
  try {
    records = fromPortable(manifest.records, (type, ref) => {
      const b = arrays[ref as number];
      if (!b) throw new Error('missing array');
      return typedFromBytes(type, b);
    }) as ProjectRecords;
  } catch {
    throw damaged('its records cannot be read');
  }
  const r = records as Partial<ProjectRecords>;
  const lists = [r.datasets, r.columns, r.models, r.modelData, r.splits, r.reports];
  if (typeof r.project?.id !== 'string' || typeof r.project.name !== 'string' || lists.some((l) => !Array.isArray(l))) throw damaged('its records are incomplete');
  // Every record must belong to the one project: a backup never writes into another project.
  const pid = records.project.id;
  const datasetIds = new Set(records.datasets.map((d) => d.id));
  const modelIds = new Set(records.models.map((m) => m.id));
  const belongs =
    [...records.datasets, ...records.models, ...records.reports].every((x) => x.projectId === pid) &&
    [...records.columns, ...records.splits].every((x) => datasetIds.has(x.datasetId)) &&
    records.modelData.every((x) => modelIds.has(x.modelId));
  if (!belongs) throw damaged('its records do not all belong to its project');
  return records;
}

/** Restore a backup as a project (a copy under fresh ids when that project is already here). */
export async function restoreProject(store: ProjectStore, bytes: Uint8Array): Promise<ProjectRecord> {
  return store.writeProjectRecords(await readBackup(bytes));
}
