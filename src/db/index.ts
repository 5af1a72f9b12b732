export { openDb, type FacsimileDb } from './db';
export { ProjectStore, projectNameForFile, type NewDataset } from './projects';
export { storageError } from './errors';
export type * from './types';
export { saveExportFingerprints, findExportFingerprint } from './fingerprints';
export { LockedError, holdsRealData, type KeySource, type ProjectRecords, type RealDataDeletion } from './projects';
export { backupProject, restoreProject, readBackup, backupRecords, BACKUP_FORMAT_VERSION } from './backup';
