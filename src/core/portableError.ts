import { CancelledError, UserError } from './context';

/**
 * How every error crosses a worker boundary: a plain object, because structured cloning keeps only
 * an Error's name and message and a UserError's hint would be lost. The page reads it with
 * `failureOf` (src/ui/state/workerClient.ts); the same shape comes from every worker.
 */
export interface PortableError {
  name: 'UserError' | 'CancelledError' | 'Error';
  message: string;
  hint?: string;
}

export function toPortableError(e: unknown): PortableError {
  if (isPortableError(e)) return e;
  if (e instanceof CancelledError || (e as { name?: string })?.name === 'CancelledError') return { name: 'CancelledError', message: 'Cancelled' };
  if (e instanceof UserError) return { name: 'UserError', message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  const err = e as { name?: string; message?: string } | undefined;
  // Storage and engine failures keep their own wording; the name says what kind they were.
  return { name: 'Error', message: err?.message ?? String(e) };
}

export function isPortableError(e: unknown): e is PortableError {
  const o = e as Partial<PortableError> | null;
  return (
    typeof o === 'object' && o !== null && !(o instanceof Error) && typeof o.message === 'string' &&
    (o.name === 'UserError' || o.name === 'CancelledError' || o.name === 'Error')
  );
}
