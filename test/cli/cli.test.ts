import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../fixtures/dataDir';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
/** The `bin` of package.json: a small entry that runs the prebuilt bundle in dist-cli/. */
const bin = resolve(root, 'src/cli/facsimile.js');

// The CLI runs prebuilt JavaScript: build it when dist-cli/ is missing or older than the sources.
beforeAll(async () => {
  await run(process.execPath, [resolve(root, 'scripts/build-cli.mjs'), '--if-stale'], { cwd: root });
}, 120_000);
const penguins = join(DATA_DIR, 'penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'fx-cli-'));
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

// The CLI is the engine seen from outside: the same code as the app, through real files.
describe('facsimile CLI', () => {
  it('profile --json prints the schema, profile and findings', async () => {
    const { code, stdout } = await cli('profile', penguins, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const kinds = Object.fromEntries(out.schema.columns.map((c: { name: string; kind: string }) => [c.name, c.kind]));
    expect(kinds.species).toBe('categorical');
    expect(kinds.year).toBe('integer');
    expect(out.profile.nRows).toBe(344);
  });

  it('synth then evaluate: output keeps the header and formats, and the report scores it', async () => {
    const syn = join(dir, 'syn.csv'), hold = join(dir, 'hold.csv'), train = join(dir, 'train.csv');
    const s = await cli('synth', penguins, '--model', 'cart', '--rows', '300', '--seed', '3', '--out', syn,
      '--holdout', '0.2', '--holdout-out', hold, '--train-out', train, '--quiet');
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const lines = readFileSync(syn, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe(readFileSync(penguins, 'utf8').split(/\r?\n/)[0].replaceAll('"', ''));
    expect(lines).toHaveLength(301);
    const yearIdx = lines[0].split(',').indexOf('year');
    expect(lines.slice(1).every((l) => /^\d{4}$/.test(l.split(',')[yearIdx]))).toBe(true);

    const again = join(dir, 'syn2.csv');
    await cli('synth', penguins, '--model', 'cart', '--rows', '300', '--seed', '3', '--out', again, '--holdout', '0.2', '--quiet');
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(syn, 'utf8'));

    const e = await cli('evaluate', train, syn, '--holdout', hold, '--target', 'species', '--json');
    expect(e.code).toBe(0);
    const report = JSON.parse(e.stdout);
    expect(JSON.stringify(report)).toMatch(/shapes/);
  });

  it('keeps each colon-trial patient on one side of the holdout, and says so', async () => {
    const hold = join(dir, 'colon-hold.csv'), train = join(dir, 'colon-train.csv');
    const s = await cli('synth', join(DATA_DIR, 'colon.csv'), '--model', 'copula', '--rows', '50', '--seed', '1', '--out', join(dir, 'colon-syn.csv'),
      '--holdout', '0.2', '--holdout-out', hold, '--train-out', train);
    expect(s.code).toBe(0);
    expect(s.stderr).toContain('The holdout holds whole subjects of "id"');
    const ids = (f: string) => new Set(readFileSync(f, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',')[0]));
    const held = ids(hold);
    expect(held.size).toBeGreaterThan(100);
    for (const id of ids(train)) expect(held.has(id)).toBe(false);
  });

  it('says how the transformer\'s training ended', async () => {
    const s = await cli('synth', penguins, '--model', 'transformer', '--epochs', '2', '--size', 'small', '--rows', '20', '--seed', '1', '--out', join(dir, 'tr.csv'));
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/trained 2 epochs on wasm \(best [12]\), ran its epochs/);
  }, 120_000);

  it('errors go to stderr with a non-zero exit code', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const p = await cli('profile', empty);
    expect(p.code).not.toBe(0);
    expect(p.stderr).toMatch(/empty/i);
    const m = await cli('synth', penguins, '--model', 'nope', '--out', join(dir, 'x.csv'));
    expect(m.code).not.toBe(0);
    expect(m.stderr.length).toBeGreaterThan(0);
    const u = await cli('frobnicate');
    expect(u.code).toBe(2);
  });

  it('runs the prebuilt bundle, and --help renders the models and their options from the descriptors', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.stderr).toBe(''); // no "running from the sources" fallback
    expect(h.stdout).toMatch(/--model copula\|bayesnet\|cart/);
    const s = await cli('synth', '--help');
    expect(s.code).toBe(0);
    for (const flag of ['--epsilon X', '--min-leaf N', '--no-smoothing', '--order a,b,c', '--rare N', '--keep-leaks', '--redraw-qi', '--allow-out-of-bounds']) expect(s.stdout).toContain(flag);
    expect(s.stdout).toMatch(/default 42/); // DEFAULT_SEED
    expect(s.stdout).toMatch(/CART \(--model cart\): Strongest fidelity/);
  });

  it('passes engine flags to the engine and rejects unknown or misplaced ones clearly', async () => {
    const out = join(dir, 'cart.csv'), report = join(dir, 'cart.json');
    const s = await cli('synth', penguins, '--model', 'cart', '--rows', '50', '--min-leaf', '9', '--no-smoothing', '--order', 'species,island', '--out', out, '--report', report, '--quiet');
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const r = JSON.parse(readFileSync(report, 'utf8'));
    expect(r.seed).toBe(42);
    expect(r.options).toMatchObject({ minLeafSize: 9, smoothing: false, order: ['species', 'island'], rareCategoryThreshold: 5, redrawLeakedRows: true });

    const unknown = await cli('synth', penguins, '--min-lef', '3', '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --min-lef \(did you mean --min-leaf\?\)/);
    const misplaced = await cli('synth', penguins, '--model', 'copula', '--epsilon', '1', '--out', out);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toMatch(/--epsilon is not an option of the Gaussian copula synthesizer[\s\S]*--model bayesnet/);
    const bad = await cli('synth', penguins, '--model', 'cart', '--min-leaf', '0', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/at least 1/);
    // Too small to choose its values privately at ε = 2: a clear refusal, then the codebook declared public.
    const tooSmall = await cli('synth', penguins, '--model', 'bayesnet', '--epsilon', '2', '--rows', '20', '--out', out, '--quiet');
    expect(tooSmall.code).toBe(1);
    expect(tooSmall.stderr).toMatch(/too small to choose its values privately[\s\S]*--public-domain/);
    const eps = await cli('synth', penguins, '--model', 'bayesnet', '--epsilon', '2', '--public-domain', '--rows', '20', '--out', out, '--report', report, '--quiet');
    expect(eps.code).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8')).stats.epsilon).toBe(2);
  });
});
