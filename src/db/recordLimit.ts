/**
 * Most bytes one IndexedDB record may take serialized. Chromium refuses a value over 133,169,152 bytes
 * ("The serialized keys and/or value are too large"), and Dexie then never settles the write (measured:
 * a 200 MB text column left the import at "Saving project" for good), so writes that could reach it are
 * refused before they start; the 3 MB margin covers a record's other fields and the tag and IV that
 * sealing adds in an encrypted project.
 */
export const MAX_RECORD_BYTES = 130_000_000;

/** "130 MB". */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
}
