/**
 * Profile worker: per-column statistics, data-quality findings and one-click fixes, off the main thread
 * (profiling a 1 M-row table takes seconds). A fixed table's buffers are transferred back, not copied.
 */
import { expose, transfer } from 'comlink';
import { applyFix, profileTable, type Fix, type Profile } from '../src/core/profile';
import type { Schema } from '../src/core/schema/schema';
import type { Table } from '../src/core/table/table';
import { tableBuffers } from './transferables';

export interface ProfileApi {
  profile(table: Table, schema: Schema): Profile;
  /** A NEW table + schema with the fix applied; the input is left alone. */
  applyFix(table: Table, schema: Schema, fix: Fix): { table: Table; schema: Schema };
}

const api: ProfileApi = {
  profile: (table, schema) => profileTable(table, schema),
  applyFix(table, schema, fix) {
    const result = applyFix(table, schema, fix);
    return transfer(result, tableBuffers(result.table));
  },
};

expose(api);
