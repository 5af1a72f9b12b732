import { openDb, ProjectStore } from '../src/db';
import { keySource } from './keys';

let store: ProjectStore | undefined;

/**
 * The worker's own connection to the app's database, so that big tables are read and written here
 * and never cross to the page. Another tab upgrading the database closes it; the next call reopens.
 */
export function workerStore(): ProjectStore {
  if (!store) {
    const db = openDb();
    db.on('versionchange', () => {
      db.close();
      store = undefined;
    });
    // Keys of unlocked encrypted projects come from this worker's memory (workers/keys.ts).
    store = new ProjectStore(db, keySource);
  }
  return store;
}
