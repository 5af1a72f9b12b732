/**
 * Lock and unlock, spread into workers' comlink apis (`...keyringApi`). The page calls `unlock` on the
 * project worker only (the key holder), which passes the key on to the other workers itself, over the
 * port each worker takes when it starts (workers/keys.ts): a worker needs no api of its own for that.
 */
import { UserError } from '../src/core/context';
import { unlockKey } from '../src/core/crypto';
import { dropKeys, hasKey, setKey, shareKeys } from './keys';
import { portable } from './workerRuns';
import { workerStore } from './workerStore';

export const keyringApi = {
  /** Derive the project's key from its passphrase and keep it in memory; a wrong one says so. */
  unlock(projectId: string, passphrase: string): Promise<void> {
    return portable(async () => {
      const p = await workerStore().getProject(projectId);
      if (!p) throw new UserError('This project no longer exists (it may have been deleted in another tab).');
      if (!p.encryption) return;
      setKey(projectId, await unlockKey(passphrase, p.encryption));
    });
  },
  /** Drop the project's key (every project's without an id), here and in every linked worker. */
  lock(projectId?: string): void {
    dropKeys(projectId);
  },
  isUnlocked(projectId: string): boolean {
    return hasKey(projectId);
  },
  /** Key holder: send keys to another worker over this port (set up by the page). */
  shareKeys(port: MessagePort): void {
    shareKeys(port);
  },
};

export type KeyringApi = typeof keyringApi;
