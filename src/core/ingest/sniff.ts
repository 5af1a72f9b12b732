import { UserError } from '../context';

/** What the first bytes say about a file: its container and, for text, its encoding. */
export interface Sniffed {
  format: 'delimited' | 'json' | 'parquet';
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Bytes to skip before the text starts (a byte-order mark). */
  skip: number;
  /** UTF-16 was guessed from NUL patterns rather than announced by a BOM. */
  guessedUtf16: boolean;
}

const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx workbook is one)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel/Office document (.xls)' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
];

function startsWith(head: Uint8Array, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/**
 * Decide how to read a file from its first bytes (up to 64 KiB) and its name.
 * Throws UserError for files that are clearly not a table (images, archives, binary data).
 */
export function sniff(head: Uint8Array, fileName: string): Sniffed {
  if (head.length === 0) {
    throw new UserError(`"${fileName}" is empty (0 bytes). Choose a CSV, TSV, JSON or Parquet file that contains a table.`);
  }
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) {
    return { format: 'parquet', encoding: 'utf-8', skip: 0, guessedUtf16: false };
  }
  for (const m of MAGIC) {
    if (startsWith(head, m.bytes)) {
      throw new UserError(
        `"${fileName}" is ${m.what}, not a table. Export the data as CSV (comma-separated values), TSV, JSON or Parquet and import that file.`,
      );
    }
  }
  let encoding: Sniffed['encoding'] = 'utf-8';
  let skip = 0;
  let guessedUtf16 = false;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) skip = 3;
  else if (startsWith(head, [0xff, 0xfe])) [encoding, skip] = ['utf-16le', 2];
  else if (startsWith(head, [0xfe, 0xff])) [encoding, skip] = ['utf-16be', 2];
  else {
    const guess = guessUtf16(head);
    if (guess) [encoding, guessedUtf16] = [guess, true];
  }
  if (encoding === 'utf-8') rejectBinary(head, fileName);
  const text = new TextDecoder(encoding).decode(head.subarray(skip, Math.min(head.length, skip + 512)));
  const first = text.trimStart()[0];
  const lead = text.trimStart().slice(0, 15).toLowerCase();
  if (lead.startsWith('<!doctype html') || lead.startsWith('<html') || lead.startsWith('<?xml')) {
    const what = lead.startsWith('<?xml') ? 'an XML document' : 'a web page (HTML)';
    throw new UserError(`"${fileName}" is ${what}, not a table. If you downloaded it, the download may have saved a page instead of the data: fetch the CSV itself.`);
  }
  const isJsonName = /\.(json|ndjson|jsonl)$/i.test(fileName);
  const format = first === '[' || (first === '{' && isJsonName) ? 'json' : 'delimited';
  return { format, encoding, skip, guessedUtf16 };
}

/** UTF-16 without a BOM shows as ASCII text with a NUL byte beside every character. */
function guessUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > 0.7 * pairs && evenNul < 0.05 * pairs) return 'utf-16le';
  if (evenNul > 0.7 * pairs && oddNul < 0.05 * pairs) return 'utf-16be';
  return null;
}

/** Text files have few control characters; a binary file has many (NULs, etc.). */
function rejectBinary(head: Uint8Array, fileName: string): void {
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  // A few stray NULs in a tiny file are damage to report, not proof of binary data.
  if (control > 0.1 * n && (n >= 256 || control > 0.3 * n)) {
    throw new UserError(
      `"${fileName}" looks like binary data, not text: ${Math.round((100 * control) / n)}% of its first ${n} bytes are control characters. ` +
        'Export the data as CSV, TSV, JSON or Parquet and import that file.',
    );
  }
}
