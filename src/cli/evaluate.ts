/**
 * `facsimile evaluate train.csv synthetic.csv [more.csv...] --holdout holdout.csv [--target COL|none] [--json]
 * [--html report.html] [--sample N] [--seed S]`: the app's evaluation report from the command line,
 * read through the same ingest code. Several synthetic files are compared in one HTML file.
 * Without --target, the utility target is chosen as the app chooses it (chooseTarget), and why is
 * printed on stderr and kept in the report (targetReason); --target none skips utility.
 * The engine code is loaded once the arguments are known: `facsimile evaluate --help` stays quick.
 */
import { openAsBlob } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/context';
import type { IngestResult } from '../core/ingest/types';
import { DEFAULT_SEED } from '../core/random/rng';
import type { Report } from '../core/report/types';
import { checkOutputs } from './outputs';
import { loadTextModels, TEXT_MODEL_USAGE } from './textModels';
import { applySchemaEdits, closeNames, parseSchemaFlag, schemaFlagsUsage, type SchemaEdit } from './schemaFlags';

const USAGE = `Usage: facsimile evaluate train.csv synthetic.csv [more.csv...] --holdout holdout.csv [options]
  --target COL|none   the column to predict for utility (default: chosen from the training file, the
                      reason printed; none: no utility)
  --json              the report(s) as JSON on stdout
  --html FILE         the report(s) as one HTML file
  --sample N          rows sampled from each table for the distance metrics
  --seed S            seed of the report's samples (default ${DEFAULT_SEED})
The schema changes given to facsimile synth, so that kept-out columns are not scored as missing:
${schemaFlagsUsage()}
${TEXT_MODEL_USAGE}`;

interface Args {
  files: string[];
  holdout?: string;
  target?: string;
  json: boolean;
  html?: string;
  sample?: number;
  seed: number;
  schemaEdits: SchemaEdit[];
  textModels: string[];
}

function parseArgs(args: string[]): Args | string {
  const out: Args = { files: [], json: false, seed: DEFAULT_SEED, schemaEdits: [], textModels: [] };
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
    else if (a === '--keep-out' || a === '--kind' || a === '--role') out.schemaEdits.push(parseSchemaFlag(a, value()));
    else if (a === '--text-model') out.textModels.push(value());
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

async function checkInput(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new UserError(`Cannot read "${file}"`, 'Check the path.');
}

async function read(file: string): Promise<IngestResult> {
  await checkInput(file);
  const { ingestBlob } = await import('../core/ingest/ingest');
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
  for (const f of [...parsed.files, parsed.holdout as string]) await checkInput(f);
  await checkOutputs([...parsed.files, parsed.holdout as string], [{ flag: '--html', file: parsed.html }]);
  const [{ evaluate }, { Rng }, { renderReportHtml, reportToJson, suggestBest }, { chooseTarget }] = await Promise.all([
    import('../core/metrics'),
    import('../core/random/rng'),
    import('../core/report'),
    import('../core/metrics/utility/target'),
  ]);
  const train = { ...(await read(trainFile)) };
  Object.assign(train, await applySchemaEdits(train.table, train.schema, parsed.schemaEdits));
  const holdout = await read(parsed.holdout as string);
  // The utility target: the one given, none, or the app's automatic choice with its reason.
  let target: string | undefined;
  let targetReason: string | undefined;
  if (parsed.target === undefined) {
    ({ target, reason: targetReason } = chooseTarget(train.table, train.schema));
    process.stderr.write(`facsimile evaluate: ${targetReason}${target ? ' (--target COL to choose another, --target none to skip utility)' : ''}\n`);
  } else if (parsed.target !== 'none') {
    const names = train.schema.columns.map((c) => c.name);
    if (!names.includes(parsed.target)) throw new UserError(`--target ${parsed.target}: the training file has no column "${parsed.target}".`, closeNames(parsed.target, names));
    target = parsed.target;
  }
  const reports: Report[] = [];
  const textModels = await loadTextModels(parsed.textModels);
  for (const file of synFiles) {
    const synthetic = await read(file);
    const absent = train.schema.columns.filter((c) => c.role !== 'keep-out' && !synthetic.table.columns.some((s) => s.name === c.name)).map((c) => c.name);
    if (absent.length > 0) {
      process.stderr.write(
        `facsimile evaluate: ${path.basename(file)} has no column ${absent.map((n) => JSON.stringify(n)).join(', ')}: scored as all missing.` +
          ` If synth kept ${absent.length === 1 ? 'it' : 'them'} out, pass ${absent.map((n) => `--keep-out ${n}`).join(' ')} here too.\n`,
      );
    }
    const started = performance.now();
    const evaluated = await evaluate(
      { train: train.table, holdout: holdout.table, synthetic: synthetic.table, schema: train.schema, target, sampleSize: parsed.sample, label: path.basename(file) },
      {
        rng: new Rng(parsed.seed),
        onProgress: (p) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${path.basename(file)}: ${p.phase} ${Math.round(100 * p.fraction)}%   `);
        },
      },
    );
    if (process.stderr.isTTY) process.stderr.write(`\r${path.basename(file)}: done in ${((performance.now() - started) / 1000).toFixed(1)} s${' '.repeat(20)}\n`);
    if (textModels.embedder && evaluated.text) {
      const [{ addEmbeddingMetrics }, { Rng: R }] = await Promise.all([import('../core/metrics/text'), import('../core/random/rng')]);
      await addEmbeddingMetrics(evaluated.text, { train: train.table, holdout: holdout.table, synthetic: synthetic.table }, textModels.embedder, new R(parsed.seed).fork('text-embeddings'));
    }
    reports.push(targetReason ? { ...evaluated, targetReason } : evaluated);
  }
  if (parsed.html) {
    await writeFile(parsed.html, renderReportHtml(reports.length === 1 ? reports[0] : reports));
    process.stderr.write(`Wrote ${parsed.html}\n`);
  }
  if (parsed.json) process.stdout.write(reportToJson(reports.length === 1 ? reports[0] : reports) + '\n');
  else process.stdout.write(summary(reports, suggestBest));
  return 0;
}

function summary(reports: Report[], suggestBest: (reports: Report[]) => { reason: string } | null | undefined): string {
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
    for (const t of r.text ?? []) {
      const s = t.synthetic, h = t.holdout;
      lines.push(
        `  text "${t.column}"  present ${f(s.synthetic.presentShare)} (real ${f(s.real.presentShare)})  distinct ${f(s.synthetic.distinctShare)}  mean length ×${f(s.meanLengthRatio, 2)}${h ? ` (holdout ×${f(h.meanLengthRatio, 2)})` : ''}`,
        `            length KS ${f(s.lengthKs)}${h ? ` (holdout ${f(h.lengthKs)})` : ''}  vocabulary TV ${f(s.vocabularyTv)}${h ? ` (holdout ${f(h.vocabularyTv)})` : ''}  texts with an 8-gram of one real row ${s.uniqueNgramTexts}${h ? ` (holdout ${h.uniqueNgramTexts})` : ''}`,
      );
      if (t.embedding) {
        const e = t.embedding;
        lines.push(`            embeddings (${e.model}): centroid cosine ${f(e.centroidCosine)}  discriminator AUC ${f(e.discriminatorAuc)}  nearer-to-training share ${f(e.nearestTrainShare)} on ${e.sampleSize} texts`);
      }
    }
    for (const x of r.rules ?? []) {
      const p = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);
      lines.push(`  rule "${x.rule}" (${x.source})  obeyed by ${p(x.synthetic)} of synthetic rows (training ${p(x.train)}, holdout ${p(x.holdout)})`);
    }
  }
  if (reports.length > 1) {
    const best = suggestBest(reports);
    if (best) lines.push(`Suggested: ${best.reason}`);
  }
  return lines.join('\n') + '\n';
}
