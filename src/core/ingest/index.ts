export { ingestBlob, ingestSource, type IngestHooks } from './ingest';
export { blobSource, bytesSource, type ByteSource } from './byteSource';
export type { IngestApi, IngestOptions, IngestProgress, IngestResult, IngestWarning, IngestPreview } from './types';
