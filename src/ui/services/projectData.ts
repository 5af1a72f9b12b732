/**
 * The user's control over a project's real data (issue 16): encryption at rest, lock and unlock,
 * backup and restore, and deleting the real data. Every step runs in the project worker, which holds
 * the keys: the page sends a passphrase once and keeps nothing of it (no key, no passphrase in state).
 */
import type { TablePreview } from '../../core/table/preview';
import type { ProjectRecord, RealDataDeletion, ReportRecord } from '../../db';
import { keyHolder } from '../state/workerClient';

/** Whether a project was unlocked in this tab (a page restored from the back-forward cache reloads). */
let unlockedHere = false;

/** Unlock an encrypted project in this tab (every worker gets the key); a wrong passphrase throws. */
export async function unlockProject(projectId: string, passphrase: string): Promise<void> {
  await keyHolder().unlock(projectId, passphrase);
  unlockedHere = true;
}

/** Lock it: every worker drops its key and what it kept in memory. */
export function lockProject(projectId?: string): Promise<void> {
  return keyHolder().lock(projectId);
}

export function isUnlocked(projectId: string): Promise<boolean> {
  return keyHolder().isUnlocked(projectId);
}

/** Encrypt a project stored in clear; it stays unlocked in this tab. */
export async function encryptProject(projectId: string, passphrase: string): Promise<void> {
  await keyHolder().encrypt(projectId, passphrase);
  unlockedHere = true;
}

/** Re-seal an encrypted project under a new passphrase (the current one is checked first). */
export function changePassphrase(projectId: string, current: string, next: string): Promise<void> {
  return keyHolder().changePassphrase(projectId, current, next);
}

/** Store an (unlocked) encrypted project in clear again. */
export function decryptProject(projectId: string): Promise<void> {
  return keyHolder().decrypt(projectId);
}

/** Previews of an unlocked encrypted project's datasets, opened by the key holder. */
export function openPreviews(datasetIds: string[]): Promise<Record<string, TablePreview>> {
  return keyHolder().openPreviews(datasetIds);
}

/** An unlocked encrypted project's reports, opened by the key holder. */
export function openReports(projectId: string): Promise<ReportRecord[]> {
  return keyHolder().openReports(projectId);
}

export function deleteRealData(projectId: string): Promise<RealDataDeletion> {
  return keyHolder().deleteRealData(projectId);
}

/** Back up a project as one file and download it (made in the worker; encrypted when the project is). */
export async function downloadBackup(projectId: string): Promise<string> {
  const { file, fileName } = await keyHolder().backup(projectId);
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

/** Restore a backup file as a project. */
export function restoreBackup(file: File): Promise<ProjectRecord> {
  return keyHolder().restore(file);
}

// Lock when the page goes (tab closed, or navigated away): workers die with the tab, which drops the
// keys; a page kept in the back-forward cache has them dropped here, and reloads when shown again so
// that it shows its projects locked.
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => {
    if (unlockedHere) void lockProject().catch(() => undefined);
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && unlockedHere) location.reload();
  });
}
