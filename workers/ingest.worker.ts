/**
 * Ingest worker: reads a dropped/picked file into a Table + Schema off the main thread, streaming progress
 * (with a preview of the first rows) and honouring cancel. The table's buffers are transferred back.
 */
import { expose, transfer } from 'comlink';
import { CancelledError, UserError } from '../src/core/context';
import { ingestBlob } from '../src/core/ingest/ingest';
import type { IngestApi } from '../src/core/ingest/types';
import { tableBuffers } from './transferables';

export type { IngestApi };

let current: AbortController | null = null;

const api: IngestApi = {
  async ingest(file, options, onProgress) {
    current?.abort(); // newest run wins
    const controller = new AbortController();
    current = controller;
    try {
      const result = await ingestBlob(file, options, {
        signal: controller.signal,
        // Progress goes through a comlink proxy; do not await it (the main thread answers when it can).
        onProgress: (p) => void onProgress(p),
      });
      return transfer(result, tableBuffers(result.table));
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      // comlink keeps an Error's name and message only: fold the hint into the message.
      if (e instanceof UserError && e.hint) {
        throw new UserError(`${e.message} ${e.hint}`);
      }
      throw e;
    } finally {
      if (current === controller) current = null;
    }
  },
  cancel() {
    current?.abort();
  },
};

expose(api);
