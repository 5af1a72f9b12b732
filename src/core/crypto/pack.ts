/**
 * Values with typed arrays as bytes and back: a JSON header in which every typed array is a reference
 * into a binary part (8-byte aligned), and non-finite numbers are spelled out (JSON would turn NaN
 * into null). Used to seal records (one AES-GCM payload per column, model or report) and by backups.
 */

export type AnyTypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

const CTORS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type CtorName = keyof typeof CTORS;

function typedName(v: unknown): CtorName | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  const name = Object.prototype.toString.call(v).slice(8, -1);
  return name in CTORS ? (name as CtorName) : undefined;
}

/**
 * A JSON-able copy of `value`: typed arrays become `{ $ta: type, ref }` (ref from `onArray`), NaN and
 * ±Infinity become `{ $num: 'NaN' }`; `undefined` object fields are dropped as JSON does.
 */
export function toPortable(value: unknown, onArray: (a: AnyTypedArray) => unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (value === null || typeof value !== 'object') return value;
  const ta = typedName(value);
  if (ta) return { $ta: ta, ref: onArray(value as AnyTypedArray) };
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toPortable(v, onArray)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPortable(v, onArray);
  return out;
}

/** The inverse of toPortable: `getArray(type, ref)` gives back each typed array. */
export function fromPortable(value: unknown, getArray: (type: CtorName, ref: unknown) => AnyTypedArray): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => fromPortable(v, getArray));
  const o = value as Record<string, unknown>;
  if (typeof o.$ta === 'string' && 'ref' in o && Object.keys(o).length === 2) {
    if (!(o.$ta in CTORS)) throw new Error(`Unknown array type "${o.$ta}"`);
    return getArray(o.$ta as CtorName, o.ref);
  }
  if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = fromPortable(v, getArray);
  return out;
}

/** A typed array of `type` over a copy of `bytes` (aligned, owning its buffer). */
export function typedFromBytes(type: CtorName, bytes: Uint8Array): AnyTypedArray {
  const C = CTORS[type];
  if (bytes.byteLength % C.BYTES_PER_ELEMENT !== 0) throw new Error('Damaged array: its length does not fit its type');
  const copy = bytes.slice();
  return new C(copy.buffer, 0, copy.byteLength / C.BYTES_PER_ELEMENT);
}

export function bytesOf(a: AnyTypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

const MAGIC = 0x31505846; // "FXP1" little-endian
const align8 = (n: number) => (n + 7) & ~7;

/** `value` as one byte string: magic, header length, JSON header, then each typed array, 8-aligned. */
export function pack(value: unknown): Uint8Array {
  const arrays: AnyTypedArray[] = [];
  let offset = 0;
  const header = JSON.stringify(
    toPortable(value, (a) => {
      arrays.push(a);
      const ref = [offset, a.byteLength];
      offset = align8(offset + a.byteLength);
      return ref;
    }),
  );
  const json = new TextEncoder().encode(header);
  const start = align8(8 + json.byteLength);
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let at = start;
  for (const a of arrays) {
    out.set(bytesOf(a), at);
    at = align8(at + a.byteLength);
  }
  return out;
}

export function unpack(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('Not a packed value');
  const len = view.getUint32(4, true);
  if (8 + len > bytes.byteLength) throw new Error('Damaged packed value');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  const start = align8(8 + len);
  return fromPortable(header, (type, ref) => {
    const [o, n] = ref as [number, number];
    if (start + o + n > bytes.byteLength) throw new Error('Damaged packed value');
    return typedFromBytes(type, bytes.subarray(start + o, start + o + n));
  });
}
