/**
 * CLI start-up benchmark: `facsimile --help` (the prebuilt bundle in dist-cli/, as `npx facsimile`
 * runs it) against `node -e 0` and against the former start through tsx (TypeScript compiled at each
 * start), medians of RUNS runs in this same process so that the machine's load is the same for all;
 * then the wall time of one `facsimile synth --model copula` on txhousing (8,602 rows).
 *
 * `npx tsx bench/cli.ts [--runs 10]`, or `npm run bench -- cli`. Target: --help under 0.25 s.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'src/cli/facsimile.js');
const SOURCE_START = "import { register } from 'tsx/esm/api'; register(); const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(process.argv.slice(1));";

function seconds(cmd: string, args: string[]): number {
  const t0 = performance.now();
  execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  return (performance.now() - t0) / 1000;
}

function median(t: number[]): number {
  const s = t.slice().sort((a, b) => a - b);
  const k = s.length;
  return k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

/** Each command once per round, rounds interleaved, so that a change in the machine's load hits all alike. */
function interleaved(cmds: Record<string, string[]>, runs: number): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) for (const [k, args] of Object.entries(cmds)) out[k].push(seconds(process.execPath, args));
  return out;
}

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : 10;
  // The bundle the bin runs: built by `prepare`; rebuilt here when older than the sources.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });

  const t = interleaved(
    {
      node: ['-e', '0'],
      help: [BIN, '--help'],
      synthHelp: [BIN, 'synth', '--help'],
      fromSource: ['--input-type=module', '-e', SOURCE_START, '--help'],
    },
    runs,
  );
  const node = median(t.node);
  const help = median(t.help);
  const row = (what: string, x: number[]) =>
    console.log(`  ${what.padEnd(46)}${median(x).toFixed(3).padStart(7)} s  (min ${Math.min(...x).toFixed(3)} s; node + ${((median(x) - node) * 1000).toFixed(0)} ms)`);
  console.log(`start-up, median of ${runs} interleaved runs:`);
  row('node -e 0', t.node);
  row('facsimile --help (dist-cli bundle)', t.help);
  row('facsimile synth --help (dist-cli bundle)', t.synthHelp);
  row('--help from the sources through tsx (before)', t.fromSource);
  console.log(`  target: --help under 0.250 s: ${help < 0.25 ? 'met' : 'NOT met'}${help - node < 0.1 && help >= 0.25 ? ' (node itself is slow on this machine now)' : ''}`);

  const data = [path.join(ROOT, 'test/fixtures/data/txhousing.csv'), path.join(ROOT, '../shared/data/txhousing.csv')].find(existsSync);
  if (!data) {
    console.log('txhousing.csv not found: synth timing skipped');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'fx-bench-cli-'));
  try {
    const out = path.join(dir, 'syn.csv');
    const synth = median([0, 1, 2].map(() => seconds(process.execPath, [BIN, 'synth', data, '--model', 'copula', '--out', out, '--quiet'])));
    console.log(`facsimile synth ${path.relative(ROOT, data)} --model copula (8,602 rows, fit + sample + write), median of 3: ${synth.toFixed(2)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
