/**
 * A Facsimile bundle: one zip (fflate) holding the data file, `provenance.json` and, when the dataset
 * has a report, `report.html`. Imports recognise such a zip and take the data file and its provenance.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { BUNDLE_PROVENANCE, formatOfFileName } from '../provenance/provenance';

export const BUNDLE_REPORT = 'report.html';

export interface BundleParts {
  dataFileName: string;
  data: Uint8Array;
  provenanceJson: string;
  reportHtml?: string;
}

export function makeBundle(parts: BundleParts): Uint8Array {
  const files: Zippable = {
    // Parquet is compressed already: stored, not deflated again.
    [parts.dataFileName]: [parts.data, { level: formatOfFileName(parts.dataFileName) === 'parquet' ? 0 : 6 }],
    [BUNDLE_PROVENANCE]: strToU8(parts.provenanceJson),
  };
  if (parts.reportHtml !== undefined) files[BUNDLE_REPORT] = strToU8(parts.reportHtml);
  return zipSync(files);
}

/** Whether the bytes start like a zip archive (a local file header). */
export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

export interface UnpackedBundle {
  dataFileName: string;
  data: Uint8Array;
  provenanceText?: string;
  reportHtml?: string;
}

/**
 * The data file of a zip (the first CSV, TSV, JSON or Parquet file other than provenance.json) with the
 * provenance and report beside it; undefined when the zip holds no data file.
 */
export function unpackBundle(zip: Uint8Array): UnpackedBundle | undefined {
  const files = unzipSync(zip, { filter: (f) => !f.name.endsWith('/') && !/(^|\/)(__MACOSX|\.)/.test(f.name) });
  const names = Object.keys(files);
  const base = (n: string) => n.replace(/^.*\//, '');
  const dataName = names.find((n) => base(n) !== BUNDLE_PROVENANCE && !n.endsWith('.provenance.json') && formatOfFileName(n) !== undefined);
  if (!dataName) return undefined;
  const provName = names.find((n) => base(n) === BUNDLE_PROVENANCE) ?? names.find((n) => n.endsWith('.provenance.json'));
  const reportName = names.find((n) => base(n) === BUNDLE_REPORT);
  return {
    dataFileName: base(dataName),
    data: files[dataName],
    ...(provName ? { provenanceText: strFromU8(files[provName]) } : {}),
    ...(reportName ? { reportHtml: strFromU8(files[reportName]) } : {}),
  };
}
