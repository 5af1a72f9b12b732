import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../fixtures/dataDir';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const bin = resolve(root, 'src/cli/facsimile.js');

beforeAll(async () => {
  await run(process.execPath, [resolve(root, 'scripts/build-cli.mjs'), '--if-stale'], { cwd: root });
}, 120_000);
const penguins = join(DATA_DIR, 'penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'fx-prov-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const synth = (input: string, out: string, ...more: string[]) => cli('synth', input, '--model', 'cart', '--rows', '60', '--seed', '5', '--out', out, '--quiet', ...more);

describe('facsimile CLI: formats by extension, provenance beside the output, generations', () => {
  it('--out picks the format from the extension and writes NAME.provenance.json beside it (generation 1 from real data)', async () => {
    for (const ext of ['csv', 'tsv', 'json', 'parquet']) {
      const out = join(dir, `syn.${ext}`);
      const s = await synth(penguins, out);
      expect(s.stderr).toBe('');
      expect(s.code).toBe(0);
      const prov = json(join(dir, 'syn.provenance.json'));
      expect(prov).toMatchObject({ generator: 'Facsimile', synthesizer: 'cart', fitSeed: 5, sampleSeed: 5, rows: 60, generation: 1, dataFile: { name: `syn.${ext}`, format: ext, sha256: sha(out) } });
      expect(prov.appVersion).toBe(json(join(root, 'package.json')).version);
      expect(prov.sourceFingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(Number.isNaN(Date.parse(prov.createdAt))).toBe(false);
      // The hash, never a value of the source.
      expect(JSON.stringify(prov)).not.toMatch(/Adelie|Torgersen/);
      const text = readFileSync(out, 'utf8');
      if (ext === 'csv') expect(text.split('\n')[0]).toBe('species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year');
      if (ext === 'tsv') expect(text.split('\n')[0]).toBe('species\tisland\tbill_length_mm\tbill_depth_mm\tflipper_length_mm\tbody_mass_g\tsex\tyear');
      if (ext === 'json') expect(JSON.parse(text)).toHaveLength(60);
      if (ext === 'parquet') {
        const b = readFileSync(out);
        const meta = parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        expect(JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === 'facsimile.provenance')!.value!)).toMatchObject({ generation: 1, rows: 60 });
        expect(meta.schema.find((e) => e.name === 'year')?.type).toBe('INT32');
        expect(meta.schema.find((e) => e.name === 'bill_length_mm')?.type).toBe('DOUBLE');
      }
    }
    // Real data: no warning from profile either.
    const p = await cli('profile', penguins);
    expect(p.code).toBe(0);
    expect(p.stderr).not.toMatch(/generation/);
  }, 120_000);

  it('an export given back (sidecar beside it, or Parquet metadata) is recognised: profile and synth warn on stderr, the new provenance says n + 1', async () => {
    const g1 = join(dir, 'g1.csv');
    expect((await synth(penguins, g1)).code).toBe(0);
    const prof = await cli('profile', g1);
    expect(prof.code).toBe(0);
    expect(prof.stderr).toMatch(/Facsimile synthetic export \(generation 1\)\. Training on synthetic output compounds its errors/);
    const pj = await cli('profile', g1, '--json');
    expect(JSON.parse(pj.stdout).provenance).toMatchObject({ generation: 1 });

    const g2 = join(dir, 'g2.parquet');
    const s2 = await synth(g1, g2);
    expect(s2.code).toBe(0);
    expect(s2.stderr).toMatch(/generation 1/);
    expect(json(join(dir, 'g2.provenance.json')).generation).toBe(2);

    // The Parquet file alone (no sidecar beside it) still says what it is.
    const alone = join(dir, 'alone');
    mkdirSync(alone);
    copyFileSync(g2, join(alone, 'g2.parquet'));
    const p3 = await cli('profile', join(alone, 'g2.parquet'));
    expect(p3.stderr).toMatch(/generation 2/);
    const g3 = join(alone, 'g3.json');
    const s3 = await synth(join(alone, 'g2.parquet'), g3);
    expect(s3.code).toBe(0);
    expect(s3.stderr).toMatch(/generation 2/);
    expect(json(join(alone, 'g3.provenance.json')).generation).toBe(3);
  }, 120_000);

  it('never overwrites the input’s own provenance file', async () => {
    const g1 = join(dir, 'own.csv');
    expect((await synth(penguins, g1)).code).toBe(0);
    const before = readFileSync(join(dir, 'own.provenance.json'), 'utf8');
    const s = await synth(g1, join(dir, 'own.parquet'));
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/own\.provenance\.json/);
    expect(readFileSync(join(dir, 'own.provenance.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'own.parquet'))).toBe(false);
  }, 60_000);
});
