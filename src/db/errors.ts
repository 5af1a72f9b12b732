import { UserError } from '../core/context';

/** Turn storage failures into messages that say what happened and what to do. */
export function storageError(e: unknown, action: string): Error {
  // Already worded for the user (a locked project, a deleted dataset): passed on as it is.
  if (e instanceof UserError) return e;
  const err = e as { name?: string; inner?: { name?: string }; message?: string };
  const name = err?.name ?? '';
  const inner = err?.inner?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new UserError(
      `Not enough browser storage to ${action}. Nothing was saved.`,
      'Delete projects you no longer need, or free disk space, then try again.',
    );
  }
  if (name === 'DatabaseClosedError' || name === 'VersionChangeError') {
    return new UserError(
      `Storage is closed because Facsimile was updated in another tab, so it could not ${action}.`,
      'Reload this page.',
    );
  }
  return new Error(`Could not ${action}: ${err?.message ?? String(e)}`);
}
