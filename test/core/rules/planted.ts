import { ingestBlob } from '../../../src/core/ingest/ingest';
import type { Schema } from '../../../src/core/schema/schema';
import type { Table } from '../../../src/core/table/table';
import { plantedCsv } from './plantedCsv';

export { plantedCsv };

export async function planted(n = 800, seed = 1): Promise<{ table: Table; schema: Schema }> {
  const { table, schema } = await ingestBlob(new Blob([plantedCsv(n, seed)]), { fileName: 'planted.csv' });
  return { table, schema };
}
