import type { Column } from '../../table/table';
import type { Rng } from '../../random/rng';

/**
 * How fresh keys for a `generate-key` column are written, learnt from the real keys' style only
 * (never their values): numbers stay numbers, "ID-000123" stays a prefix plus a padded number,
 * UUIDs stay UUIDs.
 */
export type KeyStyle =
  | { type: 'integer' }
  | { type: 'pattern'; prefix: string; suffix: string; width: number }
  | { type: 'uuid'; upper: boolean };

const NUMBERED = /^(\D*?)(\d+)(\D*)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function inferKeyStyle(column: Column, name: string): KeyStyle {
  if (column.type === 'numeric') return { type: 'integer' };
  const used = usedLevels(column.codes, column.levels);
  if (used.length > 0 && used.every((v) => UUID.test(v))) {
    return { type: 'uuid', upper: used[0] !== used[0].toLowerCase() };
  }
  const first = used.length > 0 ? NUMBERED.exec(used[0]) : null;
  if (first) {
    const [, prefix, , suffix] = first;
    let padded = false;
    let width = 0;
    const matching = used.every((v) => {
      const m = NUMBERED.exec(v);
      if (!m || m[1] !== prefix || m[3] !== suffix) return false;
      if (m[2].length > 1 && m[2][0] === '0') padded = true;
      width = Math.max(width, m[2].length);
      return true;
    });
    if (matching) return { type: 'pattern', prefix, suffix, width: padded ? width : 0 };
  }
  // No recognisable style: a readable prefix from the column name.
  const prefix = name.replace(/[^A-Za-z0-9]+/g, '').slice(0, 12) || 'key';
  return { type: 'pattern', prefix: `${prefix}-`, suffix: '', width: 0 };
}

/** n fresh keys, unique within the sample, as a column of the source's storage type. */
export function generateKeys(style: KeyStyle, name: string, n: number, rng: Rng): Column {
  if (style.type === 'integer') {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = i + 1;
    return { type: 'numeric', name, values };
  }
  const levels = new Array<string>(n);
  const codes = new Int32Array(n);
  if (style.type === 'uuid') {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      let u = uuidV4(rng);
      while (seen.has(u)) u = uuidV4(rng);
      seen.add(u);
      levels[i] = style.upper ? u.toUpperCase() : u;
      codes[i] = i;
    }
  } else {
    for (let i = 0; i < n; i++) {
      levels[i] = style.prefix + String(i + 1).padStart(style.width, '0') + style.suffix;
      codes[i] = i;
    }
  }
  return { type: 'categorical', name, codes, levels };
}

function usedLevels(codes: Int32Array, levels: string[]): string[] {
  const used = new Uint8Array(levels.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) used[codes[i]] = 1;
  return levels.filter((_, i) => used[i] === 1);
}

function uuidV4(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += rng.uint32().toString(16).padStart(8, '0');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
