/**
 * CLI start-up benchmark: `facsimile --help` (the prebuilt bundle in dist-cli/, as `npx facsimile`
 * runs it) against `node -e 0` and against the former start through tsx (TypeScript compiled at each
 * start), medians of RUNS runs in this same process so that the machine's load is the same for all;
 * then the wall time of one `facsimile synth --model copula` on txhousing (8,602 rows).
 *
 * `npx tsx bench/cli.ts [--runs 10]`, or `npm run bench -- cli`. Target: --help under 0.25 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'src/cli/facsimile.js');
const SOURCE_START = "import { register } from 'tsx/esm/api'; register(); const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(['--help']);";

/** Preloaded into each child: its own CPU time (user + system, whole process) on stderr at exit. */
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nfx-cpu '+(u.user+u.system)+'\\n')})`;

interface Timing {
  wall: number;
  cpu: number;
}

function timed(args: string[]): Timing {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_PROBE, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const m = /fx-cpu (\d+)/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) / 1e6 : NaN };
}

function median(t: number[]): number {
  const s = t.slice().sort((a, b) => a - b);
  const k = s.length;
  return k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

/** Each command once per round, rounds interleaved, so that a change in the machine's load hits all alike. */
function interleaved(cmds: Record<string, string[]>, runs: number): Record<string, Timing[]> {
  const out: Record<string, Timing[]> = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) for (const [k, args] of Object.entries(cmds)) out[k].push(timed(args));
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
      fromSource: ['--input-type=module', '-e', SOURCE_START],
    },
    runs,
  );
  const wall = (x: Timing[]) => median(x.map((r) => r.wall));
  const cpu = (x: Timing[]) => median(x.map((r) => r.cpu));
  const node = wall(t.node);
  const help = wall(t.help);
  const row = (what: string, x: Timing[]) =>
    console.log(
      `  ${what.padEnd(46)}${wall(x).toFixed(3).padStart(7)} s wall (node + ${((wall(x) - node) * 1000).toFixed(0).padStart(4)} ms)` +
        `${cpu(x).toFixed(3).padStart(8)} s CPU (node + ${((cpu(x) - cpu(t.node)) * 1000).toFixed(0).padStart(4)} ms)`,
    );
  console.log(`start-up, medians of ${runs} interleaved runs (CPU time: the child's user + system, less sensitive to the machine's load):`);
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
    const synth = [0, 1, 2].map(() => timed([BIN, 'synth', data, '--model', 'copula', '--out', out, '--quiet']));
    console.log(`facsimile synth ${path.relative(ROOT, data)} --model copula (8,602 rows, fit + sample + write), median of 3: ${wall(synth).toFixed(2)} s wall, ${cpu(synth).toFixed(2)} s CPU`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
