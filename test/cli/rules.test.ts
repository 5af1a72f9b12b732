import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestBlob } from '../../src/core/ingest/ingest';
import { countRule, parseRule } from '../../src/core/rules';
import { plantedCsv } from '../core/rules/planted';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const bin = resolve(root, 'src/cli/facsimile.js');

beforeAll(async () => {
  await run(process.execPath, [resolve(root, 'scripts/build-cli.mjs'), '--if-stale'], { cwd: root });
}, 120_000);

const dir = mkdtempSync(join(tmpdir(), 'fx-cli-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'planted.csv');
writeFileSync(input, plantedCsv(500));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('facsimile rules on the command line', () => {
  it('profile lists the rules found (--json and text)', async () => {
    const { code, stdout } = await cli('profile', input, '--json');
    expect(code).toBe(0);
    const rules = JSON.parse(stdout).profile.rules.map((r: { text: string }) => r.text);
    expect(rules).toEqual(expect.arrayContaining(['fixed: city, country', 'end >= start', 'missing(chapter) == (death = 0)', 'total = a + b']));
    const text = await cli('profile', input);
    expect(text.stdout).toMatch(/Rules found \(4/);
    expect(text.stdout).toMatch(/\[kept\] end >= start/);
  });

  it('synth keeps found and --rule rules; --rules none keeps only --rule ones', async () => {
    const out = join(dir, 'syn.csv');
    const report = join(dir, 'report.json');
    const r = await cli('synth', input, '--model', 'cart', '--rows', '800', '--out', out, '--report', report, '--rule', 'end >= start + 2', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(readFileSync(report, 'utf8')).stats;
    expect(stats.keptRules[0]).toEqual({ rule: 'end >= start + 2', source: 'declared' });
    const train = await ingestBlob(new Blob([plantedCsv(500)]), { fileName: 'planted.csv' });
    const syn = await ingestBlob(new Blob([readFileSync(out)]), { fileName: 'syn.csv' });
    for (const text of ['end >= start + 2', 'fixed: city, country', 'missing(chapter) == (death = 0)', 'total = a + b']) {
      const c = countRule(parseRule(text), syn.table, train.table, train.schema);
      expect(c.obeyed, text).toBe(c.applies);
    }
    const none = await cli('synth', input, '--model', 'copula', '--out', out, '--report', report, '--rules', 'none', '--rule', 'fixed: city, country', '--quiet');
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8')).stats.keptRules).toEqual([{ rule: 'fixed: city, country', source: 'declared' }]);
  });

  it('explains an unknown column, a contradiction and a rule it cannot read, before fitting', async () => {
    const out = join(dir, 'x.csv');
    const unknown = await cli('synth', input, '--out', out, '--rule', 'ends >= start');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/"ends", which is not a column/);
    expect(unknown.stderr).toMatch(/Did you mean "end"/);
    const contra = await cli('synth', input, '--out', out, '--rule', 'end >= start + 1', '--rule', 'start >= end');
    expect(contra.code).toBe(1);
    expect(contra.stderr).toMatch(/contradict/);
    const bad = await cli('synth', input, '--out', out, '--rule', 'end > start');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/only >= and <=/);
    const mode = await cli('synth', input, '--out', out, '--rules', 'some');
    expect(mode.stderr).toMatch(/--rules takes found or none/);
  });
});
