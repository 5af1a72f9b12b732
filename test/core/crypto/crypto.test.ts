import { describe, expect, it } from 'vitest';
import {
  DecryptError,
  deriveKey,
  MIN_ITERATIONS,
  newEncryption,
  open,
  openValue,
  pack,
  sealValue,
  unlockKey,
  unpack,
  WrongPassphraseError,
} from '../../../src/core/crypto';

describe('pack', () => {
  it('round-trips JSON, typed arrays and non-finite numbers', () => {
    const v = { a: 1, s: 'Adelie', n: [NaN, Infinity, -Infinity, 0.5], f: new Float64Array([1.5, NaN]), i: new Int32Array([0, -1, 7]), u: new Uint8Array([1, 2, 3]), nested: { levels: ['x', 'y'], none: null } };
    const back = unpack(pack(v)) as typeof v;
    expect(back.n).toEqual([NaN, Infinity, -Infinity, 0.5]);
    expect(back.f).toBeInstanceOf(Float64Array);
    expect(Array.from(back.f)).toEqual([1.5, NaN]);
    expect(Array.from(back.i)).toEqual([0, -1, 7]);
    expect(back.u).toBeInstanceOf(Uint8Array);
    expect(back.nested).toEqual({ levels: ['x', 'y'], none: null });
  });

  it('keeps subarrays apart from their buffers', () => {
    const big = new Float64Array([1, 2, 3, 4]);
    const back = unpack(pack({ part: big.subarray(1, 3) })) as { part: Float64Array };
    expect(Array.from(back.part)).toEqual([2, 3]);
  });
});

describe('encryption at rest', () => {
  // One derivation per passphrase guess: PBKDF2 at 600,000 iterations takes a fraction of a second each.
  it('derives a key, seals and opens; a wrong passphrase says so; a changed byte is refused', async () => {
    const t0 = performance.now();
    const { key, info } = await newEncryption('correct horse battery staple');
    const deriveMs = performance.now() - t0;
    expect(info.iterations).toBeGreaterThanOrEqual(MIN_ITERATIONS);
    expect(info.salt.byteLength).toBe(16);
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });

    const value = { values: new Float64Array([39.1, 39.5]), levels: ['Adelie', 'Gentoo'] };
    const sealed = await sealValue(key, value);
    expect(sealed.iv.byteLength).toBe(12);
    const text = new TextDecoder('latin1').decode(sealed.data);
    expect(text).not.toContain('Adelie');
    const back = await openValue<typeof value>(key, sealed);
    expect(Array.from(back.values)).toEqual([39.1, 39.5]);
    expect(back.levels).toEqual(['Adelie', 'Gentoo']);

    // A fresh IV every time: the same value never seals to the same bytes.
    const again = await sealValue(key, value);
    expect(Buffer.from(again.iv).equals(Buffer.from(sealed.iv))).toBe(false);

    // The right passphrase unlocks the same key (it opens what the first one sealed).
    const unlocked = await unlockKey('correct horse battery staple', info);
    expect((await openValue<typeof value>(unlocked, sealed)).levels).toEqual(['Adelie', 'Gentoo']);

    // A wrong passphrase: a clear error, never garbage.
    await expect(unlockKey('correct horse battery stapler', info)).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unlockKey('wrong', info)).rejects.toThrow(/Wrong passphrase/);

    // Tampering: one flipped bit of the ciphertext, the tag or the IV fails the tag check.
    for (const which of ['data', 'tag', 'iv'] as const) {
      const t = { iv: sealed.iv.slice(), data: sealed.data.slice() };
      if (which === 'data') t.data[0] ^= 1;
      if (which === 'tag') t.data[t.data.length - 1] ^= 1;
      if (which === 'iv') t.iv[0] ^= 1;
      await expect(open(key, t)).rejects.toBeInstanceOf(DecryptError);
    }
    console.log(`PBKDF2-SHA-256 ${info.iterations} iterations: ${deriveMs.toFixed(0)} ms`);
  });

  it('refuses fewer than 600,000 iterations and short salts', async () => {
    await expect(deriveKey('pass phrase', new Uint8Array(16), 100_000)).rejects.toThrow(/600,000/);
    await expect(deriveKey('pass phrase', new Uint8Array(8), MIN_ITERATIONS)).rejects.toThrow(/salt/);
    await expect(newEncryption('short')).rejects.toThrow(/8 characters/);
  });

  it('seals a 1M-cell table quickly', async () => {
    const { key } = await newEncryption('a long enough passphrase');
    const cols = Array.from({ length: 10 }, (_, j) => Float64Array.from({ length: 100_000 }, (_, i) => i * 0.37 + j));
    const t0 = performance.now();
    const sealed = await Promise.all(cols.map((values) => sealValue(key, { values })));
    const t1 = performance.now();
    const opened = await Promise.all(sealed.map((s) => openValue<{ values: Float64Array }>(key, s)));
    const t2 = performance.now();
    expect(opened[3].values[12345]).toBe(cols[3][12345]);
    console.log(`1M cells (10 × 100k float64): seal ${(t1 - t0).toFixed(0)} ms, open ${(t2 - t1).toFixed(0)} ms`);
  });
});
