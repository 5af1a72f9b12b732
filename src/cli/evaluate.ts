/**
 * `facsimile evaluate train.csv synthetic.csv [more.csv...] --holdout holdout.csv [--target COL] [--json]
 * [--html report.html] [--sample N] [--seed S]`: the app's evaluation report from the command line,
 * read through the same ingest code. Several synthetic files are compared in one HTML file.
 */
import { openAsBlob } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/context';
import { ingestBlob } from '../core/ingest/ingest';
import type { IngestResult } from '../core/ingest/types';
import { evaluate } from '../core/metrics';
import { DEFAULT_SEED, Rng } from '../core/random/rng';
import type { Report } from '../core/report/types';
import { renderReportHtml, reportToJson, suggestBest } from '../core/report';

const USAGE =
  'Usage: facsimile evaluate train.csv synthetic.csv [more.csv...] --holdout holdout.csv [--target COL] [--json] [--html report.html] [--sample N] [--seed S]';

interface Args {
  files: string[];
  holdout?: string;
  target?: string;
  json: boolean;
  html?: string;
  sample?: number;
  seed: number;
}

function parseArgs(args: string[]): Args | string {
  const out: Args = { files: [], json: false, seed: DEFAULT_SEED };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UserError(`${a} needs a value`, USAGE);
      return v;
    };
    if (a === '--holdout') out.holdout = value();
    else if (a === '--target') out.target = value();
    else if (a === '--json') out.json = true;
    else if (a === '--html') out.html = value();
    else if (a === '--sample') out.sample = positiveInt(a, value());
    else if (a === '--seed') out.seed = positiveInt(a, value());
    else if (a === '--help' || a === '-h') return 'help';
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else out.files.push(a);
  }
  if (out.files.length < 2) return 'give the training file and at least one synthetic file';
  if (!out.holdout) return 'give the holdout file with --holdout (the rows no synthesizer saw)';
  return out;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} expects a whole number, got "${v}"`);
  return n;
}

async function read(file: string): Promise<IngestResult> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new UserError(`Cannot read "${file}"`, 'Check the path.');
  return ingestBlob(await openAsBlob(file), { fileName: path.basename(file) });
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (typeof parsed === 'string') {
    process.stderr.write(`facsimile evaluate: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  const [trainFile, ...synFiles] = parsed.files;
  const train = await read(trainFile);
  const holdout = await read(parsed.holdout as string);
  const reports: Report[] = [];
  for (const file of synFiles) {
    const synthetic = await read(file);
    const started = performance.now();
    const report = await evaluate(
      { train: train.table, holdout: holdout.table, synthetic: synthetic.table, schema: train.schema, target: parsed.target, sampleSize: parsed.sample, label: path.basename(file) },
      {
        rng: new Rng(parsed.seed),
        onProgress: (p) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${path.basename(file)}: ${p.phase} ${Math.round(100 * p.fraction)}%   `);
        },
      },
    );
    if (process.stderr.isTTY) process.stderr.write(`\r${path.basename(file)}: done in ${((performance.now() - started) / 1000).toFixed(1)} s${' '.repeat(20)}\n`);
    reports.push(report);
  }
  if (parsed.html) {
    await writeFile(parsed.html, renderReportHtml(reports.length === 1 ? reports[0] : reports));
    process.stderr.write(`Wrote ${parsed.html}\n`);
  }
  if (parsed.json) process.stdout.write(reportToJson(reports.length === 1 ? reports[0] : reports) + '\n');
  else process.stdout.write(summary(reports));
  return 0;
}

function summary(reports: Report[]): string {
  const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '–' : x.toFixed(d));
  const lines: string[] = [];
  for (const r of reports) {
    const a = r.fidelity.accuracy, c = r.privacy.exactCopies, d = r.privacy.dcr;
    lines.push(
      `${r.label}: ${r.rows.synthetic} synthetic rows vs ${r.rows.train} training and ${r.rows.holdout} holdout rows`,
      `  fidelity  [${r.scorecard.fidelity.level}] ${r.scorecard.fidelity.verdict}`,
      `            shapes ${f(r.fidelity.shapes)}  pairs ${f(r.fidelity.pairs)}  quality ${f(r.fidelity.quality)}`,
      `            accuracy 1/2/3-way ${a.synthetic.map((x) => f(x)).join(' / ')}  (holdout ceiling ${a.ceiling.map((x) => f(x)).join(' / ')})`,
      `  privacy   [${r.scorecard.privacy.level}] ${r.scorecard.privacy.verdict}`,
      `            DCR share ${f(d.share)} on ${d.sampleSize} rows each (ties half)  exact copies ${f(c.synthetic, 4)} (holdout ${f(c.holdout, 4)})  of unique rows ${f(c.uniqueSynthetic, 4)} (holdout ${f(c.uniqueHoldout, 4)})`,
      `  utility   [${r.scorecard.utility.level}] ${r.scorecard.utility.verdict}`,
      `            ${r.scorecard.utility.figure}`,
    );
  }
  if (reports.length > 1) {
    const best = suggestBest(reports);
    if (best) lines.push(`Suggested: ${best.reason}`);
  }
  return lines.join('\n') + '\n';
}
