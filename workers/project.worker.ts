/**
 * Project worker: the key holder (it derives keys from passphrases and passes them to the other
 * workers; it is never ended before the tab, so keys live as long as the tab unless locked), and the
 * project-wide jobs: encrypting or decrypting a project, opening sealed previews and reports for the
 * page, deleting the real data, and backing up and restoring whole projects.
 */
import { expose } from 'comlink';
import { UserError } from '../src/core/context';
import { newEncryption, unlockKey } from '../src/core/crypto';
import type { TablePreview } from '../src/core/table/preview';
import { backupProject, restoreProject, type ProjectRecord, type RealDataDeletion, type ReportRecord } from '../src/db';
import { dropKeys, forget, setKey } from './keys';
import { keyringApi } from './keyring';
import { portable } from './workerRuns';
import { workerStore } from './workerStore';

const api = {
  ...keyringApi,

  /** Encrypt a project with a key derived from `passphrase`; it stays unlocked in this tab. */
  encrypt(projectId: string, passphrase: string): Promise<void> {
    return portable(async () => {
      const { key, info } = await newEncryption(passphrase);
      await workerStore().encryptProject(projectId, key, info);
      setKey(projectId, key);
      forget(true);
    });
  },

  /** A new passphrase for an encrypted project: the current one is checked first, then all is re-sealed. */
  changePassphrase(projectId: string, current: string, next: string): Promise<void> {
    return portable(async () => {
      const p = await workerStore().getProject(projectId);
      if (!p?.encryption) throw new UserError('This project is not encrypted.');
      setKey(projectId, await unlockKey(current, p.encryption));
      const { key, info } = await newEncryption(next);
      await workerStore().rekeyProject(projectId, key, info);
      setKey(projectId, key);
    });
  },

  /** Store an unlocked encrypted project in clear again. */
  decrypt(projectId: string): Promise<void> {
    return portable(async () => {
      await workerStore().decryptProject(projectId);
      dropKeys(projectId);
    });
  },

  /** The opened previews of these datasets (of an unlocked project): id -> preview. */
  openPreviews(datasetIds: string[]): Promise<Record<string, TablePreview>> {
    return portable(async () => {
      const out: Record<string, TablePreview> = {};
      for (const id of datasetIds) {
        const d = await workerStore().getDataset(id);
        if (d?.preview) out[id] = d.preview;
      }
      return out;
    });
  },

  /** The project's reports with their bodies opened (an unlocked project). */
  openReports(projectId: string): Promise<ReportRecord[]> {
    return portable(() => workerStore().listReports(projectId));
  },

  /** Delete the project's real data (see ProjectStore.deleteRealData); every worker forgets its tables. */
  deleteRealData(projectId: string): Promise<RealDataDeletion> {
    return portable(async () => {
      const r = await workerStore().deleteRealData(projectId);
      forget(true);
      return r;
    });
  },

  /** The whole project as one zip file (sealed payloads as they are). */
  backup(projectId: string): Promise<{ file: Blob; fileName: string }> {
    return portable(async () => {
      const { bytes, fileName } = await backupProject(workerStore(), projectId);
      return { file: new Blob([bytes as BlobPart], { type: 'application/zip' }), fileName };
    });
  },

  /** Restore a backup file as a project (a copy under fresh ids if that project is here already). */
  restore(file: Blob): Promise<ProjectRecord> {
    return portable(async () => restoreProject(workerStore(), new Uint8Array(await file.arrayBuffer())));
  },
};

export type ProjectWorkerApi = typeof api;
expose(api);
