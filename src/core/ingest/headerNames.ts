import type { IngestWarning } from './types';

/**
 * Column names from a header row: trimmed, empty ones named `column_N`, duplicates suffixed `_2`, `_3`...
 * Each rename is reported so the user knows which name maps to which column.
 */
export function cleanHeaderNames(raw: string[], warnings: IngestWarning[]): string[] {
  const names: string[] = [];
  const used = new Set<string>();
  const empty: number[] = [];
  const dupes: string[] = [];
  // Per repeated name, the suffix to try next: names only get used, so every smaller suffix stays taken, and
  // 5,000 columns with one name cost 5,000 lookups rather than 12 million.
  const nextSuffix = new Map<string, number>();
  for (let j = 0; j < raw.length; j++) {
    let name = raw[j].replace(/^\uFEFF/, '').trim();
    if (name === '') {
      name = `column_${j + 1}`;
      empty.push(j + 1);
    }
    if (used.has(name)) {
      let k = nextSuffix.get(name) ?? 2;
      while (used.has(`${name}_${k}`)) k++;
      nextSuffix.set(name, k + 1);
      dupes.push(`"${name}" → "${name}_${k}"`);
      name = `${name}_${k}`;
    }
    used.add(name);
    names.push(name);
  }
  if (empty.length > 0) {
    warnings.push({
      code: 'empty-header',
      line: 1,
      message: `${empty.length} column(s) had no name in the header (position ${empty.slice(0, 10).join(', ')}${empty.length > 10 ? ', …' : ''}); they were named column_N. Rename them in the schema editor.`,
    });
  }
  if (dupes.length > 0) {
    warnings.push({
      code: 'duplicate-header',
      line: 1,
      message: `${dupes.length} header name(s) appeared more than once and were renamed: ${dupes.slice(0, 10).join(', ')}${dupes.length > 10 ? ', …' : ''}.`,
    });
  }
  return names;
}

/** Names for a file without a header row. */
export function generatedNames(n: number): string[] {
  return Array.from({ length: n }, (_, j) => `column_${j + 1}`);
}
