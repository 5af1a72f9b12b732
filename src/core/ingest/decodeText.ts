import type { ByteSource } from './byteSource';
import type { IngestWarning } from './types';

/** Decoded text of a file, chunk by chunk, plus what decoding had to do. */
export interface TextChunk {
  text: string;
  /** Bytes of the file consumed so far (for progress). */
  bytesRead: number;
  last: boolean;
}

export interface DecodeReport {
  /** 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252' or 'utf-8+windows-1252' (mixed). */
  encoding: string;
  warnings: IngestWarning[];
}

const LF = 0x0a;

/**
 * Stream a file's text. UTF-8 is decoded strictly (fatal: true) in chunks cut at line ends, so a line that
 * is not valid UTF-8 can be decoded on its own as windows-1252 (the usual culprit: a file saved by Excel
 * on Windows, or lines pasted from one into a UTF-8 file) instead of failing or turning into U+FFFD.
 * `chunkBytes()` is read before each slice so the caller can grow chunks while a long record is pending.
 */
export async function* decodeText(
  source: ByteSource,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
  skip: number,
  chunkBytes: () => number,
  report: DecodeReport,
): AsyncGenerator<TextChunk> {
  let pos = skip;
  if (encoding !== 'utf-8') {
    // UTF-16: the streaming decoder carries split code units across chunks itself.
    const dec = new TextDecoder(encoding, { ignoreBOM: true });
    const reader = prefetcher(source, pos);
    while (pos < source.size) {
      const bytes = await reader.next(chunkBytes());
      pos += bytes.length;
      const last = pos >= source.size;
      yield { text: dec.decode(bytes, { stream: !last }), bytesRead: pos, last };
    }
    if (source.size <= skip) yield { text: '', bytesRead: pos, last: true };
    return;
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const cp1252 = new TextDecoder('windows-1252');
  let carry: Uint8Array = new Uint8Array(0);
  let linesBefore = 0;
  let badLines = 0;
  let firstBadLine = 0;
  let goodNonAscii = false;
  const decodeLines = (bytes: Uint8Array): string => {
    // Slow path, only for chunks that failed strict UTF-8: decide line by line.
    const parts: string[] = [];
    let start = 0;
    let line = linesBefore;
    while (start < bytes.length) {
      let end = bytes.indexOf(LF, start);
      end = end < 0 ? bytes.length : end + 1;
      const piece = bytes.subarray(start, end);
      line++;
      try {
        parts.push(utf8.decode(piece));
        if (!goodNonAscii && piece.some((b) => b >= 0x80)) goodNonAscii = true;
      } catch {
        badLines++;
        if (!firstBadLine) firstBadLine = line;
        parts.push(cp1252.decode(piece));
      }
      start = end;
    }
    return parts.join('');
  };
  const countLines = (bytes: Uint8Array): number => {
    let n = 0;
    for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) n++;
    return n;
  };
  // Line numbers are only needed for the first line that is not UTF-8: rather than counting the lines of
  // every chunk, count those before the first failing chunk when it comes, reading that part again.
  const linesUpTo = async (end: number): Promise<number> => {
    let n = 0;
    for (let at = skip; at < end; at += 8 << 20) n += countLines(await source.read(at, Math.min(end, at + (8 << 20))));
    return n;
  };
  let wholeStart = skip; // file offset of the chunk being decoded
  const reader = prefetcher(source, pos);
  while (pos < source.size || carry.length > 0) {
    const fresh = pos < source.size ? await reader.next(chunkBytes()) : new Uint8Array(0);
    pos += fresh.length;
    const last = pos >= source.size;
    let bytes: Uint8Array = fresh;
    if (carry.length > 0) {
      bytes = new Uint8Array(carry.length + fresh.length);
      bytes.set(carry);
      bytes.set(fresh, carry.length);
    }
    // Cut at the last line end so that every decode sees whole lines (and whole UTF-8 sequences).
    let cut = bytes.length;
    if (!last) {
      const lastLf = bytes.lastIndexOf(LF);
      cut = lastLf >= 0 ? lastLf + 1 : 0;
      // A single line longer than the chunk: decode up to a character boundary instead.
      if (cut === 0) cut = utf8Boundary(bytes);
    }
    carry = bytes.slice(cut);
    const whole = bytes.subarray(0, cut);
    let text: string;
    try {
      text = utf8.decode(whole);
    } catch {
      if (!firstBadLine) linesBefore = await linesUpTo(wholeStart);
      text = decodeLines(whole);
    }
    wholeStart += whole.length;
    yield { text, bytesRead: pos, last: last && carry.length === 0 };
    if (last && carry.length === 0) break;
  }
  if (source.size <= skip) yield { text: '', bytesRead: pos, last: true };
  if (badLines > 0) {
    const mixed = goodNonAscii;
    report.encoding = mixed ? 'utf-8+windows-1252' : 'windows-1252';
    report.warnings.push({
      code: mixed ? 'mixed-encoding' : 'encoding-fallback',
      line: firstBadLine,
      message: mixed
        ? `${badLines} line(s) were not valid UTF-8 (first: line ${firstBadLine}) while others were; those lines were read as windows-1252. ` +
          'The file mixes encodings: check accented characters in those lines, or save the file as UTF-8 and import it again.'
        : `The file is not valid UTF-8 (first at line ${firstBadLine}); it was read as windows-1252 (Western European). ` +
          'If accented characters look wrong, save the file as UTF-8 and import it again.',
    });
  }
}

/**
 * Reads the file slice by slice, asking for the following slice as soon as one is handed out, so that the
 * disk (or the browser's blob store) works while the caller parses: one slice of read-ahead.
 */
function prefetcher(source: ByteSource, start: number): { next(size: number): Promise<Uint8Array> } {
  let pos = start;
  let ahead: { end: number; bytes: Promise<Uint8Array> } | null = null;
  const read = (size: number) => {
    const end = Math.min(source.size, pos + size);
    const bytes = source.read(pos, end);
    bytes.catch(() => undefined); // a failed read-ahead is reported when (if) it is awaited
    return { end, bytes };
  };
  return {
    async next(size: number): Promise<Uint8Array> {
      const current = ahead ?? read(size);
      pos = current.end;
      ahead = pos < source.size ? read(size) : null;
      return current.bytes;
    },
  };
}

/** Largest prefix length that does not split a UTF-8 multi-byte sequence. */
function utf8Boundary(bytes: Uint8Array): number {
  let i = bytes.length;
  // Step back over at most 3 continuation bytes to the lead byte of the last sequence.
  for (let k = 0; k < 4 && i > 0; k++) {
    const b = bytes[i - 1];
    if ((b & 0xc0) === 0x80) {
      i--;
      continue;
    }
    if (b >= 0xc0) i--; // lead byte of an unfinished sequence: leave it for the next chunk
    break;
  }
  return i;
}
