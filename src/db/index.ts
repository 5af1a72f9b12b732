export { openDb, type FacsimileDb } from './db';
export { ProjectStore, projectNameForFile, type NewDataset } from './projects';
export { storageError } from './errors';
export type * from './types';
