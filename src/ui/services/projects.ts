/**
 * Project and dataset records for the page: live lists (Dexie live queries, across tabs too) and the
 * small writes the page makes itself. Whole tables are never read here: workers do that.
 */
import type { DatasetRecord, ModelRecord, ProjectRecord, ReportRecord } from '../../db';
import { LiveQuery } from '../state/liveQuery.svelte';
import { store } from '../state/storage';
import { openReports } from './projectData';

export const liveProjects = (): LiveQuery<ProjectRecord[]> => new LiveQuery(() => store.listProjects());
export const liveModels = (projectId: string): LiveQuery<ModelRecord[]> => new LiveQuery(() => store.listModels(projectId));
/** A project's reports; sealed bodies (encrypted projects) are opened by the key holder, else left out. */
export const liveReports = (projectId: string): LiveQuery<ReportRecord[]> =>
  new LiveQuery(async () => {
    const list = await store.listReports(projectId);
    if (!list.some((r) => r.sealed)) return list;
    // Last in the query: every database read that the live query follows has been made.
    return openReports(projectId).catch(() => list);
  });

/** Training checkpoints left behind by a closed tab or a cancel (engines that train in epochs), newest first. */
export const liveCheckpoints = (projectId: string): LiveQuery<ModelRecord[]> =>
  new LiveQuery(async () => (await store.listModels(projectId)).filter((m) => m.training).reverse());

/** Discard an interrupted training's checkpoint. */
export function discardCheckpoint(modelId: string): Promise<void> {
  return store.deleteModel(modelId);
}

/** Delete a project and everything derived from it (real data included). */
export function deleteProject(id: string): Promise<void> {
  return store.deleteProject(id);
}

/** Keep a draft sample in the project. */
export function keepDataset(id: string): Promise<DatasetRecord> {
  return store.keepDataset(id);
}

/** Delete one derived dataset (a synthetic sample or an unused cleaned version) with its reports. */
export function deleteDataset(id: string): Promise<void> {
  return store.deleteDataset(id);
}

/** Rename a project (a name is trimmed; an empty one is refused). */
export async function renameProject(id: string, name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A project needs a name.');
  await store.renameProject(id, trimmed.slice(0, 120));
}

/** Rename a dataset (a version or a synthetic sample). */
export async function renameDataset(id: string, name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A dataset needs a name.');
  await store.renameDataset(id, trimmed.slice(0, 160));
}

/** Copy a project (datasets, models, reports) under "<name> (copy)"; resolves to the new project. */
export async function duplicateProject(id: string, name: string): Promise<ProjectRecord> {
  return store.duplicateProject(id, `${name} (copy)`.slice(0, 120));
}

export interface StorageUse {
  /** Bytes this project's datasets and models take (as recorded when they were written). */
  projectBytes: number;
  /** Records written before sizes were recorded (not counted). */
  unknown: number;
  /** The browser's own figures for this site, when it gives them. */
  usage?: number;
  quota?: number;
}

/** What a project takes in storage, beside what the browser allows this site; follows the database. */
export const liveStorageUse = (projectId: string): LiveQuery<StorageUse> =>
  new LiveQuery(async () => {
    const { bytes, unknown } = await store.projectBytes(projectId);
    const estimate = typeof navigator !== 'undefined' && navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => undefined) : undefined;
    return { projectBytes: bytes, unknown, usage: estimate?.usage, quota: estimate?.quota };
  });

/** "12.3 MB", "1.2 GB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000, u = 0;
  while (v >= 1000 && u < units.length - 1) (v /= 1000), u++;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
