import Papa from 'papaparse';
import { UserError, throwIfAborted, yieldToEventLoop } from '../context';
import type { ByteSource } from './byteSource';
import { ColumnBuilder, type ParsedColumn } from './columnBuilder';
import { decodeText, type DecodeReport } from './decodeText';
import { CANDIDATE_DELIMITERS, detectDelimiter, detectHeader, detectNewline, loneCrToLf, parseSample, stripCr, type Dialect } from './dialect';
import { cleanHeaderNames, generatedNames } from './headerNames';
import type { Sniffed } from './sniff';
import type { IngestOptions, IngestProgress, IngestWarning } from './types';

export interface IngestHooks {
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
}

/** Columns as parsed, before schema inference. */
export interface ParsedTable {
  columns: ParsedColumn[];
  nRows: number;
  warnings: IngestWarning[];
  encoding: string;
  delimiter: string;
}

export const MAX_COLUMNS = 20_000;
const PREVIEW_ROWS = 50;
/**
 * Chunk sizes (the first chunk is small so that the preview comes quickly; later ones are larger: fewer yields,
 * less overhead) and the fast scanner's switch. Tests change them to compare the scanner with papaparse and to
 * put chunk boundaries everywhere; nothing else should.
 */
export const delimitedTuning = { firstChunk: 1 << 20, chunk: 4 << 20, scanner: true };
const MAX_CHUNK = 64 << 20;

/** Tally of one kind of row problem: how many, and the first record where it happened. */
class Tally {
  count = 0;
  first = 0;
  add(record: number): void {
    if (this.count++ === 0) this.first = record;
  }
}

/** Delimiters papaparse refuses (it falls back to ','); the fast scanner leaves those to it. */
const BAD_DELIMITERS = ['\r', '\n', '"', '\ufeff'];
const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Stream a CSV/TSV file into column builders. The text is decoded and parsed one chunk at a time (the chunk
 * plus the unfinished record carried from the previous one), so the file never exists as a whole string,
 * let alone as rows of strings.
 *
 * Records are split by a hand-written RFC-4180 scanner (`scan` below) that hands each field to its column
 * builder as a range of the chunk text, so that numbers, dates and repeated categories never become strings.
 * papaparse remains the reference: it detects the dialect, and the scanner hands it the rest of a chunk at
 * the first record it does not read the plain way (a quote not followed by a delimiter or line end, an
 * unclosed quote at the end of the file, an odd delimiter), so malformed files parse exactly as before.
 * papaparse was the bottleneck here (an array and a string per record and field, then a Map lookup per
 * string), hence the scanner for the common case.
 */
export async function parseDelimited(
  source: ByteSource,
  sniffed: Sniffed,
  options: IngestOptions,
  missing: Set<string>,
  hooks: IngestHooks,
): Promise<ParsedTable> {
  const report: DecodeReport = { encoding: sniffed.encoding, warnings: [] };
  const warnings: IngestWarning[] = [];
  if (sniffed.guessedUtf16) {
    warnings.push({ code: 'utf16-no-bom', message: `The file has no byte-order mark but looks like ${sniffed.encoding.toUpperCase()}; it was read as such.` });
  }
  let chunkSize = delimitedTuning.firstChunk;
  let pending = '';
  let dialect: Dialect | null = null;
  let parser: Papa.Parser | null = null;
  let header: string[] | null = null;
  let builders: ColumnBuilder[] = [];
  let record = 0; // records (lines, unless quoted line breaks) consumed so far, header included
  let dataRows = 0;
  let nulChars = 0;
  let truncated = false;
  const preview: (string | null)[][] = [];
  let previewSent = false;
  const short = new Tally();
  const long = new Tally();
  const switched = new Tally();
  const quoteProblems = new Tally();
  let unclosedAt = 0;
  let extraColumns = 0;
  const maxRows = options.maxRows ?? Infinity;

  let headerPending = false;
  const startTable = (sampleRows: string[][]): void => {
    const first = sampleRows[0] ?? [];
    const hasHeader = options.hasHeader ?? detectHeader(sampleRows);
    headerPending = hasHeader;
    const width = first.length;
    if (width > MAX_COLUMNS) {
      throw new UserError(
        `The first line of the file splits into ${width.toLocaleString('en')} columns with the delimiter "${printable(dialect!.delimiter)}"; ` +
          `Facsimile handles up to ${MAX_COLUMNS.toLocaleString('en')}. Check that this is a table and that the delimiter is right.`,
      );
    }
    header = hasHeader ? cleanHeaderNames(first, warnings) : generatedNames(width);
    if (!hasHeader) {
      warnings.push({ code: 'no-header', message: 'The first line looks like data, not column names; columns were named column_1, column_2, … Rename them in the schema editor.' });
    }
    // Room for the rows the file seems to have (its size over the sample's characters per row, plus 10%), so
    // that columns seldom grow (each doubling copies the column) and 5,000 columns of 60 rows start small; at
    // most 32 M values in all (256 MB) up front, beyond which builders grow as needed.
    let sampleChars = 0;
    for (const r of sampleRows) for (const f of r) sampleChars += f.length + 1; // + a delimiter or the line break
    const estimatedRows = Math.ceil((1.1 * source.size * sampleRows.length) / Math.max(1, sampleChars)) + 64;
    const capacity = Math.max(16, Math.min(estimatedRows, Math.floor((1 << 25) / Math.max(1, width))));
    builders = header.map((name) => new ColumnBuilder(name, missing, capacity));
    const d = dialect!.delimiter;
    fast = delimitedTuning.scanner && d.length === 1 && !BAD_DELIMITERS.includes(d);
    delimCode = d.charCodeAt(0);
  };

  // The fast scanner's state: fields of the current record as ranges of the text (fieldEnd -1: the value is
  // in fieldText, a quoted field with "" inside), and whether papaparse must take over (`anomaly`).
  let fast = false;
  let delimCode = 44;
  let fieldStart = new Int32Array(64);
  let fieldEnd = new Int32Array(64);
  const fieldText: string[] = [];
  let anomaly = false;

  /** One record from the scanner: straight into the builders, or through addRow when anything is unusual. */
  const dispatch = (text: string, nf: number): void => {
    const n = (header as string[]).length;
    if (nf !== n || headerPending || dataRows < PREVIEW_ROWS) {
      const raw: string[] = new Array(nf);
      for (let j = 0; j < nf; j++) raw[j] = fieldEnd[j] < 0 ? fieldText[j] : text.slice(fieldStart[j], fieldEnd[j]);
      addRow(raw);
      return;
    }
    record++;
    const last = nf - 1;
    if (n === 1 && (fieldEnd[0] < 0 ? fieldText[0] === '' || fieldText[0] === '\r' : fieldEnd[0] - fieldStart[0] <= 1 && (fieldEnd[0] === fieldStart[0] || text.charCodeAt(fieldStart[0]) === CR))) {
      return; // blank line
    }
    for (let j = 0; j < nf; j++) {
      let e = fieldEnd[j];
      if (e < 0) {
        let v = fieldText[j];
        if (j === last && v.charCodeAt(v.length - 1) === CR) v = v.slice(0, -1);
        builders[j].push(v);
      } else {
        const st = fieldStart[j];
        if (j === last && e > st && text.charCodeAt(e - 1) === CR) e--;
        builders[j].pushRange(text, st, e);
      }
    }
    for (let j = nf; j < builders.length; j++) builders[j].pushMissing();
    dataRows++;
  };

  /**
   * Read whole records of `text` from its start, as papaparse would (RFC 4180: fields in double quotes may
   * hold delimiters, line breaks and doubled quotes; a quote inside an unquoted field is a plain character).
   * Outside quotes, LF, CRLF and a lone CR each end a record, as in Python's csv module and pandas (papaparse
   * gets lone CRs turned into LFs first, see loneCrToLf).
   * Returns where the unread rest starts: an unfinished last record (unless `final`), or the record where
   * `anomaly` was set, or where the row limit was reached.
   */
  const scan = (text: string, final: boolean): number => {
    const len = text.length;
    const D = delimCode;
    let pos = 0;
    let endedAtNewline = false;
    while (pos < len) {
      const rowStart = pos;
      let nf = 0;
      endedAtNewline = false;
      for (;;) {
        if (nf === fieldStart.length) {
          const s2 = new Int32Array(nf * 2);
          s2.set(fieldStart);
          fieldStart = s2;
          const e2 = new Int32Array(nf * 2);
          e2.set(fieldEnd);
          fieldEnd = e2;
        }
        if (pos < len && text.charCodeAt(pos) === QUOTE) {
          let q = text.indexOf('"', pos + 1);
          let escaped = false;
          for (;;) {
            if (q < 0) {
              if (final) anomaly = true; // unclosed quote: papaparse reports it
              return rowStart;
            }
            if (q === len - 1) break;
            if (text.charCodeAt(q + 1) === QUOTE) {
              escaped = true;
              q = text.indexOf('"', q + 2);
              continue;
            }
            break;
          }
          if (q === len - 1 && !final) return rowStart; // the record may go on in the next chunk
          if (escaped) {
            fieldText[nf] = text.slice(pos + 1, q).replaceAll('""', '"');
            fieldEnd[nf] = -1;
          } else {
            fieldStart[nf] = pos + 1;
            fieldEnd[nf] = q;
          }
          nf++;
          if (q === len - 1) {
            pos = len;
            break;
          }
          const c = text.charCodeAt(q + 1);
          if (c === D) {
            pos = q + 2;
            continue;
          }
          if (c === LF) {
            pos = q + 2;
            endedAtNewline = true;
            break;
          }
          if (c === CR) {
            if (q + 2 === len && !final) return rowStart; // an LF may follow in the next chunk
            pos = text.charCodeAt(q + 2) === LF ? q + 3 : q + 2;
            endedAtNewline = true;
            break;
          }
          anomaly = true; // text after a closing quote: papaparse's rules (and warning) apply
          return rowStart;
        }
        let p = pos;
        let c = -1;
        while (p < len) {
          c = text.charCodeAt(p);
          if (c === D || c === LF || c === CR) break;
          p++;
        }
        if (p === len) {
          if (!final) return rowStart;
          fieldStart[nf] = pos;
          fieldEnd[nf] = len;
          nf++;
          pos = len;
          break;
        }
        fieldStart[nf] = pos;
        fieldEnd[nf] = p;
        nf++;
        if (c === D) {
          pos = p + 1;
          continue;
        }
        if (c === CR) {
          if (p + 1 === len && !final) return rowStart; // an LF may follow in the next chunk
          pos = text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
        } else pos = p + 1;
        endedAtNewline = true;
        break;
      }
      if (dataRows >= maxRows) {
        truncated = true;
        return rowStart;
      }
      dispatch(text, nf);
    }
    // papaparse ends a text that ends with a line break with one more, empty record.
    if (final && len > 0 && endedAtNewline) {
      if (dataRows >= maxRows) truncated = true;
      else addRow(['']);
    }
    return len;
  };

  /** papaparse over `text` (the rest of a chunk), as the scanner would have it; returns where the rest starts. */
  const parseWithPapa = (text: string, last: boolean, errorsOnly = false): number => {
    // Same length, so papaparse's cursor is an offset into the original text too.
    if ((dialect as Dialect).newline === '\n') text = loneCrToLf(text, [(dialect as Dialect).delimiter], last);
    const res = (parser as Papa.Parser).parse(text, 0, !last) as Papa.ParseResult<string[]>;
    for (const err of res.errors) {
      if (err.code === 'MissingQuotes') unclosedAt = record + (err.row ?? 0) + 1;
      else quoteProblems.add(record + (err.row ?? 0) + 1);
    }
    if (errorsOnly) return text.length;
    const rows = res.data;
    for (let i = 0; i < rows.length; i++) {
      if (dataRows >= maxRows) {
        truncated = true;
        break;
      }
      addRow(rows[i]);
    }
    return last ? text.length : res.meta.cursor;
  };

  const addRow = (raw: string[]): void => {
    record++;
    const row = stripCr(raw);
    if (row.length === 1 && row[0] === '') return; // blank line
    if (header === null) throw new Error('header not set');
    if (headerPending) {
      headerPending = false;
      return;
    }
    let fields = row;
    const n = header.length; // the header's width; extra columns may have been added after it
    if (fields.length < n) {
      // One field holding another delimiter: the file switched delimiter; split with that one.
      if (fields.length === 1 && n > 1) {
        const other = CANDIDATE_DELIMITERS.find((d) => d !== dialect!.delimiter && fields[0].split(d).length === n);
        if (other) {
          fields = fields[0].split(other);
          switched.add(record);
        }
      }
      if (fields.length < n) short.add(record);
    } else if (fields.length > n) {
      let lastUsed = fields.length - 1;
      while (lastUsed >= n && fields[lastUsed].trim() === '') lastUsed--;
      if (lastUsed >= n) {
        long.add(record);
        // Keep extra values in new columns rather than dropping them.
        while (builders.length <= lastUsed) {
          const b = new ColumnBuilder(`extra_${++extraColumns}`, missing);
          b.padTo(dataRows);
          builders.push(b);
        }
      }
    }
    const m = builders.length;
    for (let j = 0; j < m; j++) builders[j].push(fields[j]);
    if (preview.length < PREVIEW_ROWS) preview.push(builders.map((_, j) => cell(fields[j], missing)));
    dataRows++;
  };

  for await (const chunk of decodeText(source, sniffed.encoding, sniffed.skip, () => chunkSize, report)) {
    throwIfAborted(hooks.signal);
    let text = chunk.text;
    if (text.indexOf('\0') >= 0) {
      const before = text.length;
      text = text.replaceAll('\0', '');
      nulChars += before - text.length;
    }
    pending += text;
    if (dialect === null) {
      // Wait for a few lines before guessing the dialect, unless the file ends first.
      if (!chunk.last && pending.length < 64 * 1024 && countLines(pending) < 20) continue;
      let sample = pending.slice(0, 256 * 1024);
      if (chunk.last && sample.trim() === '') break; // only blank lines or spaces: reported below
      const newline = detectNewline(sample);
      if (newline === '\n') sample = loneCrToLf(sample, options.delimiter ? [options.delimiter] : CANDIDATE_DELIMITERS, true);
      const delimiter = options.delimiter ?? detectDelimiter(sample, newline);
      dialect = { delimiter, newline };
      parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
      const cut = chunk.last ? sample.length : sample.lastIndexOf(newline);
      const sampleRows = parseSample(cut > 0 ? sample.slice(0, cut) : sample, dialect);
      if (sampleRows.length === 0) break;
      startTable(sampleRows);
    }
    let consumed = 0;
    if (fast) {
      consumed = scan(pending, chunk.last);
      if (anomaly) {
        anomaly = false;
        consumed += parseWithPapa(consumed > 0 ? pending.slice(consumed) : pending, chunk.last);
      } else if (truncated && consumed < pending.length && pending.indexOf('"', consumed) >= 0) {
        // Stopped at the row limit: papaparse would still have reported quote problems in the rest of the chunk.
        parseWithPapa(pending.slice(consumed), chunk.last, true);
      }
    } else consumed = parseWithPapa(pending, chunk.last);
    pending = chunk.last ? '' : pending.slice(consumed);
    if (!previewSent && preview.length > 0 && header) {
      previewSent = true;
      hooks.onProgress?.({
        phase: 'parsing',
        fraction: 0.9 * (chunk.bytesRead / Math.max(1, source.size)),
        rowsSoFar: dataRows,
        preview: { header: builders.map((b) => b.name), rows: preview },
      });
    } else {
      hooks.onProgress?.({ phase: 'parsing', fraction: 0.9 * (chunk.bytesRead / Math.max(1, source.size)), rowsSoFar: dataRows });
    }
    if (truncated) break;
    if (chunkSize < delimitedTuning.chunk) chunkSize = delimitedTuning.chunk;
    // A record longer than the chunk (a huge line, an unclosed quote) would be re-parsed every chunk: grow.
    if (pending.length > chunkSize / 2 && chunkSize < MAX_CHUNK) chunkSize *= 2;
    await yieldToEventLoop();
  }
  throwIfAborted(hooks.signal);

  if (header === null || (dataRows === 0 && builders.length === 0)) {
    throw new UserError(
      `"${options.fileName}" contains no data${nulChars > 0 ? ' (only NUL bytes)' : ''}: no line has any text besides spaces or line breaks. Choose a file that contains a table, with column names on the first line.`,
    );
  }
  if (dataRows === 0) {
    throw new UserError(
      `"${options.fileName}" has a header line (${builders.length} column${builders.length === 1 ? '' : 's'}: ${builders
        .slice(0, 5)
        .map((b) => b.name.slice(0, 40))
        .join(', ')}${builders.length > 5 ? ', …' : ''}) but no data rows. Add rows below the header, or choose another file.`,
    );
  }
  for (const b of builders) b.padTo(dataRows);
  const d = (dialect as Dialect | null)?.delimiter ?? ',';
  if (nulChars > 0) warnings.push({ code: 'nul-bytes', message: `The file contained ${nulChars} NUL byte(s), which were removed. The file may be damaged or saved in an odd encoding; check the values.` });
  if (unclosedAt > 0) {
    warnings.push({
      code: 'unclosed-quote',
      line: unclosedAt,
      message: `A quoted field that starts at record ${unclosedAt} is never closed, so the rest of the file was read into that field. Look for a stray double quote (") on that line, fix it and import again.`,
    });
  }
  if (quoteProblems.count > 0) {
    warnings.push({ code: 'malformed-quotes', line: quoteProblems.first, message: `${quoteProblems.count} record(s) have a quote in an unexpected place (first: record ${quoteProblems.first}); the values were kept as written.` });
  }
  if (switched.count > 0) {
    warnings.push({
      code: 'delimiter-changed',
      line: switched.first,
      message: `From record ${switched.first}, ${switched.count} record(s) use a different delimiter than "${printable(d)}"; they were split with the other delimiter. Check those rows.`,
    });
  }
  if (short.count > 0) {
    warnings.push({ code: 'short-rows', line: short.first, message: `${short.count} row(s) have fewer fields than the header (first: record ${short.first}); the missing fields were left empty.` });
  }
  if (long.count > 0) {
    warnings.push({
      code: 'long-rows',
      line: long.first,
      message: `${long.count} row(s) have more fields than the header (first: record ${long.first}); the extra values were kept in new columns extra_1…extra_${extraColumns}.`,
    });
  }
  if (truncated) warnings.push({ code: 'truncated', message: `Only the first ${dataRows.toLocaleString('en')} rows were read (row limit).` });
  warnings.push(...report.warnings);
  return { columns: builders.map((b) => b.finish()), nRows: dataRows, warnings, encoding: report.encoding, delimiter: d };
}

function cell(v: string | undefined, missing: Set<string>): string | null {
  return v === undefined || v === '' || missing.has(v) ? null : v;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && n < 20; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function printable(d: string): string {
  return d === '\t' ? 'tab' : d;
}
