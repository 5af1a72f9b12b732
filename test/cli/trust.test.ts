import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../fixtures/dataDir';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const bin = resolve(root, 'src/cli/facsimile.js');
const penguins = join(DATA_DIR, 'penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'fx-cli-trust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 << 20, cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const rows = (file: string) => readFileSync(file, 'utf8').trim().split(/\r?\n/);
const column = (file: string, name: string) => {
  const [header, ...rest] = rows(file);
  const j = header.split(',').indexOf(name);
  return rest.map((l) => l.split(',')[j]);
};

// A holdout, a training file and a synthetic file of penguins, for the evaluate tests.
const train = join(dir, 'train.csv'), hold = join(dir, 'hold.csv'), syn = join(dir, 'syn.csv');
beforeAll(async () => {
  await run(process.execPath, [resolve(root, 'scripts/build-cli.mjs'), '--if-stale'], { cwd: root });
  const s = await cli(['synth', penguins, '--model', 'cart', '--rows', '200', '--holdout', '0.25', '--holdout-out', hold, '--train-out', train, '--out', syn, '--quiet']);
  expect(s.stderr).toBe('');
}, 120_000);

describe('facsimile evaluate: the utility target', () => {
  it('without --target, chooses one as the app does, says why on stderr and keeps the reason in the report', async () => {
    const e = await cli(['evaluate', train, syn, '--holdout', hold, '--json']);
    expect(e.code).toBe(0);
    const report = JSON.parse(e.stdout);
    // chooseTarget: the most balanced categorical with 2-20 levels; penguins' sex is split about evenly.
    expect(report.utility?.target).toBe('sex');
    expect(report.targetReason).toMatch(/^"sex" was chosen as the utility target: a categorical column with 2 levels/);
    expect(e.stderr).toContain(report.targetReason);
    expect(e.stderr).toMatch(/--target none to skip utility/);
  });

  it('--target none skips utility; a given target is used as given; an unknown one names the close columns', async () => {
    const none = await cli(['evaluate', train, syn, '--holdout', hold, '--target', 'none', '--json']);
    expect(none.code).toBe(0);
    const r = JSON.parse(none.stdout);
    expect(r.utility).toBeNull();
    expect(r.targetReason).toBeUndefined();
    expect(none.stderr).not.toMatch(/utility target/);

    const given = await cli(['evaluate', train, syn, '--holdout', hold, '--target', 'island', '--json']);
    expect(JSON.parse(given.stdout).utility.target).toBe('island');
    expect(JSON.parse(given.stdout).targetReason).toBeUndefined();

    const typo = await cli(['evaluate', train, syn, '--holdout', hold, '--target', 'specis']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/no column "specis"[\s\S]*Did you mean "species"\?/);
  });

  it('the HTML report shows the reason, and --html may not overwrite an input', async () => {
    const html = join(dir, 'report.html');
    const e = await cli(['evaluate', train, syn, '--holdout', hold, '--html', html]);
    expect(e.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/was chosen as the utility target/);
    const before = readFileSync(syn, 'utf8');
    const clash = await cli(['evaluate', train, syn, '--holdout', hold, '--html', syn]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/--html ".*syn\.csv" is the input file/);
    expect(readFileSync(syn, 'utf8')).toBe(before);
  });
});

describe('facsimile synth: formula guard on every CSV it writes', () => {
  // Text that a spreadsheet would run as a formula, beside negative numbers that must stay numbers.
  const risky = join(dir, 'risky.csv');
  const levels = ['=1+2', '@SUM(A1)', '+cmd', '-x', 'plain'];
  beforeAll(() => {
    const lines = ['cmd,amount,group'];
    for (let i = 0; i < 200; i++) lines.push(`${levels[i % levels.length]},${(-(i % 17) - 0.5).toFixed(1)},${i % 3 === 0 ? 'a' : 'b'}`);
    writeFileSync(risky, lines.join('\n') + '\n');
  });

  it('guards the synthetic, holdout and training files by default; --no-formula-guard writes text as it was', async () => {
    const out = join(dir, 'g-syn.csv'), h = join(dir, 'g-hold.csv'), t = join(dir, 'g-train.csv');
    const s = await cli(['synth', risky, '--model', 'cart', '--rows', '100', '--holdout', '0.2', '--holdout-out', h, '--train-out', t, '--out', out, '--quiet']);
    expect(s.stderr).toBe('');
    for (const f of [out, h, t]) {
      const cells = column(f, 'cmd');
      expect(new Set(cells)).toEqual(new Set(["'=1+2", "'@SUM(A1)", "'+cmd", "'-x", 'plain']));
      expect(column(f, 'amount').every((v) => /^-\d+\.5$/.test(v))).toBe(true); // numbers untouched
    }

    const o2 = join(dir, 'n-syn.csv'), h2 = join(dir, 'n-hold.csv'), t2 = join(dir, 'n-train.csv');
    const raw = await cli(['synth', risky, '--model', 'cart', '--rows', '100', '--holdout', '0.2', '--holdout-out', h2, '--train-out', t2, '--out', o2, '--quiet', '--no-formula-guard']);
    expect(raw.stderr).toBe('');
    for (const f of [o2, h2, t2]) expect(new Set(column(f, 'cmd'))).toEqual(new Set(levels));
  });

  it('documents the guard and its flag in the usage text', async () => {
    const h = await cli(['synth', '--help']);
    expect(h.stdout).toMatch(/--no-formula-guard\s+write text cells starting with = \+ - @ as they are/);
  });
});

describe('facsimile synth: outputs are checked before anything is read', () => {
  it('refuses to write over the input, however the path is written', async () => {
    const work = join(dir, 'same');
    mkdirSync(work);
    copyFileSync(penguins, join(work, 'x.csv'));
    symlinkSync('x.csv', join(work, 'link.csv'));
    const original = readFileSync(penguins, 'utf8');
    for (const args of [
      ['x.csv', '--out', 'x.csv'],
      ['x.csv', '--out', './x.csv'],
      ['./x.csv', '--out', join(work, 'x.csv')],
      ['x.csv', '--out', 'link.csv'],
      ['link.csv', '--out', 'x.csv'],
      ['x.csv', '--out', 'y.csv', '--holdout', '0.2', '--holdout-out', './x.csv'],
      ['x.csv', '--out', 'y.csv', '--train-out', 'x.csv'],
      ['x.csv', '--out', 'y.csv', '--report', 'x.csv'],
    ]) {
      const r = await cli(['synth', ...args, '--quiet'], work);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/is the input file "\.?\/?(x|link)\.csv": writing there would overwrite the real data\.\n\s+Give --[a-z-]+ another file name/);
    }
    expect(readFileSync(join(work, 'x.csv'), 'utf8')).toBe(original);
    expect(() => statSync(join(work, 'y.csv'))).toThrow();

    const twins = await cli(['synth', 'x.csv', '--out', 'y.csv', '--train-out', './y.csv'], work);
    expect(twins.code).toBe(1);
    expect(twins.stderr).toMatch(/--out and --train-out name the same file/);
  });

  it('a missing folder or a folder as --out fails before the input is even read', async () => {
    // An empty input fails when read: an output error instead proves the outputs are checked first.
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const missing = await cli(['synth', empty, '--out', join(dir, 'nope', 'syn.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot write --out ".*nope\/syn\.csv": the folder ".*nope" does not exist\.\n\s+Create it first \(mkdir -p/);
    const folder = await cli(['synth', empty, '--out', dir]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/Cannot write --out ".*": it is a folder\.\n\s+Give a file name inside it/);
    const report = await cli(['synth', empty, '--out', join(dir, 'ok.csv'), '--report', join(dir, 'nope', 'r.json')]);
    expect(report.stderr).toMatch(/Cannot write --report/);
  });

  it.skipIf(process.getuid?.() === 0)('a folder that is not writable fails before the input is read', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const r = await cli(['synth', penguins, '--out', join(locked, 'syn.csv')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the folder ".*locked" is not writable/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});

describe('--keep-out, --kind and --role: what profile suggests, applied before fitting', () => {
  it('synth leaves kept-out columns out, relabels kinds and sets roles', async () => {
    const out = join(dir, 'k.csv'), report = join(dir, 'k.json');
    const s = await cli(['synth', penguins, '--model', 'cart', '--rows', '50', '--keep-out', 'island', '--role', 'sex=keep-out', '--kind', 'year=numeric', '--out', out, '--report', report, '--quiet']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const header = rows(out)[0].split(',');
    expect(header).not.toContain('island');
    expect(header).not.toContain('sex');
    expect(header).toContain('year');
    expect(JSON.parse(readFileSync(report, 'utf8')).columns).toEqual(['--keep-out island', '--role sex=keep-out', '--kind year=numeric']);

    // An id kind makes fresh keys: every value of "species" is new and unique.
    const ids = join(dir, 'ids.csv');
    const k = await cli(['synth', penguins, '--model', 'cart', '--rows', '40', '--kind', 'species=id', '--out', ids, '--quiet']);
    expect(k.code).toBe(0);
    const species = column(ids, 'species');
    expect(new Set(species).size).toBe(40);
    expect(species.some((v) => ['Adelie', 'Gentoo', 'Chinstrap'].includes(v))).toBe(false);
  });

  it('evaluate takes --keep-out too, and says when a training column is missing from a synthetic file', async () => {
    const out = join(dir, 'ko.csv');
    expect((await cli(['synth', train, '--model', 'cart', '--rows', '100', '--keep-out', 'island', '--out', out, '--quiet'])).code).toBe(0);
    const plain = await cli(['evaluate', train, out, '--holdout', hold, '--target', 'species', '--json']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/ko\.csv has no column "island": scored as all missing\. If synth kept it out, pass --keep-out island here too\./);
    const kept = await cli(['evaluate', train, out, '--holdout', hold, '--target', 'species', '--keep-out', 'island', '--json']);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toBe('');
    expect(JSON.parse(kept.stdout).columns.map((c: { name: string }) => c.name)).not.toContain('island');
  });

  it('profile shows the schema with the changes', async () => {
    const p = await cli(['profile', penguins, '--json', '--kind', 'year=numeric', '--kind', 'species=text', '--keep-out', 'island']);
    expect(p.code).toBe(0);
    const cols = JSON.parse(p.stdout).schema.columns as { name: string; kind: string; role: string }[];
    expect(cols.find((c) => c.name === 'year')?.kind).toBe('numeric');
    expect(cols.find((c) => c.name === 'species')?.kind).toBe('text');
    expect(cols.find((c) => c.name === 'island')?.role).toBe('keep-out');
  });

  it("profile's findings name the synth flag that applies their fix", async () => {
    const odd = join(dir, 'odd.csv');
    const lines = ['v,same,key'];
    for (let i = 0; i < 60; i++) lines.push(`${i % 4},k,row${String(i).padStart(3, '0')}x`);
    writeFileSync(odd, lines.join('\n') + '\n');
    const p = await cli(['profile', odd]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/\(fix: [^)]*; synth --keep-out same\)/);
  });

  it('rejects unknown columns with the close names, unknown kinds and roles, and kinds the values cannot take', async () => {
    const out = join(dir, 'bad.csv');
    const typo = await cli(['synth', penguins, '--keep-out', 'Species', '--out', out]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/--keep-out Species: the file has no column "Species"\.\n\s+Did you mean "species"\?/);
    const far = await cli(['profile', penguins, '--kind', 'zzzzzz=id']);
    expect(far.stderr).toMatch(/no column "zzzzzz"[\s\S]*Its columns: "species", "island"/);
    const kind = await cli(['synth', penguins, '--kind', 'year=number', '--out', out]);
    expect(kind.stderr).toMatch(/unknown kind "number"[\s\S]*numeric, integer, datetime, categorical, boolean, text, id/);
    const role = await cli(['synth', penguins, '--role', 'year', '--out', out]);
    expect(role.stderr).toMatch(/--role needs COL=ROLE/);
    const storage = await cli(['synth', penguins, '--kind', 'species=integer', '--out', out]);
    expect(storage.code).toBe(1);
    expect(storage.stderr).toMatch(/"species" is read as text, and cannot become integer by relabelling/);
    const numbers = await cli(['synth', penguins, '--kind', 'year=categorical', '--out', out]);
    expect(numbers.stderr).toMatch(/"year" is read as numbers, and cannot become categorical by relabelling\.\n\s+It can take numeric, integer, datetime/);
    const conflict = await cli(['synth', penguins, '--keep-out', 'sex', '--role', 'sex=synthesize', '--out', out]);
    expect(conflict.stderr).toMatch(/give "sex" two different roles/);
    expect(() => statSync(out)).toThrow();
  });

  it('lists the flags in the usage texts', async () => {
    const s = await cli(['synth', '--help']);
    for (const f of ['--keep-out COL', '--kind COL=KIND', '--role COL=ROLE']) expect(s.stdout).toContain(f);
    expect(s.stdout).toContain('synthesize|keep-out|generate-key');
    const p = await cli(['profile', '--help']);
    expect(p.stdout).toContain('--kind COL=KIND');
  });
});
