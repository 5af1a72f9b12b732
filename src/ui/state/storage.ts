import { openDb, ProjectStore } from '../../db';
import { appStatus } from './appStatus.svelte';

/** The app's one database connection. */
export const db = openDb();
export const store = new ProjectStore(db);

// Another tab opened a newer version of the app: close ours so it can upgrade, and ask for a reload
// instead of failing later on a closed database.
db.on('versionchange', () => {
  db.close();
  appStatus.blockedReason = 'Facsimile was updated in another tab. Reload this page to keep working.';
  return false;
});

/** Ask the browser to keep our data under storage pressure; we do not depend on the answer. */
export async function requestPersistence(): Promise<void> {
  try {
    if (!navigator.storage?.persist) return;
    if (await navigator.storage.persisted()) {
      appStatus.persisted = true;
      return;
    }
    appStatus.persisted = await navigator.storage.persist();
  } catch {
    appStatus.persisted = false;
  }
}
