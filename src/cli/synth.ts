/**
 * `facsimile synth data.csv --model copula|bayesnet|cart --rows N --seed S --out synthetic.csv`
 * `[engine options] [--holdout 0.2 --holdout-out holdout.csv] [--where COND]... [--report report.json]`
 * `[--keep-out COL]... [--kind COL=KIND]... [--role COL=ROLE]... [--no-formula-guard]`
 * The engine options (--epsilon, --min-leaf, --no-smoothing, --order, --rare, --keep-leaks, ...) and
 * the --model list come from the engines' descriptors (engineFlags.ts).
 *
 * Reads the file with the app's ingest engine, optionally keeps a seeded holdout aside (written with
 * the same writer so `facsimile evaluate` can compare against it), fits the chosen synthesizer on the
 * rest and writes the synthetic rows with the input's header, delimiter and value formats. Every CSV it
 * writes goes through the formula guard (text cells a spreadsheet would run get a leading '), unless
 * --no-formula-guard. Outputs are checked before anything is read: none may be the input file.
 */
import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { UserError, type Progress } from '../core/context';
import { DEFAULT_SEED, Rng } from '../core/random/rng';
import { isNumericKind, type Schema } from '../core/schema/schema';
import { registry as defaultRegistry, type EngineRegistry } from '../core/synth/registry';
import { tableShape } from '../core/synth/shape';
import type { Condition, Conditions } from '../core/synth/types';
import { engineFlags, engineOptions, engineUsage, type EngineFlagValues } from './engineFlags';
import { checkOutputs } from './outputs';
import { cleanTextColumns, fewShotExamples, loadTextModels, TEXT_MODEL_USAGE } from './textModels';
import { generationWarningLine, outFormat, readInput, sidecarPath, writeWithProvenance } from './exportOut';
import { applySchemaEdits, closeNames, editDistance, parseSchemaFlag, schemaFlagsUsage, SCHEMA_FLAGS, type SchemaEdit } from './schemaFlags';
import type { Table } from '../core/table/table';
import { parseRule } from '../core/rules/parse';
import { validateRules } from '../core/rules/validate';
import { groupedHoldoutNote } from '../core/table/groupKey';

/** The schema with the --rule rules declared, checked against its columns (before anything is fitted). */
function withDeclaredRules(schema: Schema, rules: string[]): Schema {
  if (rules.length === 0) return schema;
  const declared = [...(schema.rules?.declared ?? []), ...rules];
  validateRules(declared.map(parseRule), schema);
  return { ...schema, rules: { ...schema.rules, declared } };
}

/** The usage text of `facsimile synth`, with the engines of a registry. */
export function synthUsage(registry: EngineRegistry = defaultRegistry): string {
  return `Usage: facsimile synth data.csv --out synthetic.csv [options]
  --out FILE                     the synthetic rows; the extension picks the format: .csv (the input's
                                 delimiter), .tsv, .json (records) or .parquet (typed columns). NAME.provenance.json
                                 is written beside it (generator, version, synthesizer, options, seed, rows,
                                 date, a hash of the input, and the generation)
  --rows N                       rows to generate (default: as many as the training rows)
  --seed S                       seed for the split, the fit and the sample (default ${DEFAULT_SEED})
  --holdout F                    keep this share of rows out of training (default 0)
  --holdout-out FILE             write the holdout rows there (with --holdout)
  --train-out FILE               write the training rows there
  --where COND                   condition, repeatable: col=value, col=a|b, col>=x, col<=x
  --rule RULE                    a rule every synthetic row keeps, repeatable: 'end >= start', 'end >= start + 7' (days, for dates),
                                 'fixed: city, country', 'missing(chapter) == (death = 0)', 'total = a + b'
  --rules found|none             keep the rules found in the data (default found; facsimile profile lists them)
  --report FILE                  write settings, timings and model statistics as JSON
  --no-formula-guard             write text cells starting with = + - @ as they are (by default they get a
                                 leading ' so that spreadsheets do not run them as formulas)
${schemaFlagsUsage()}
${TEXT_MODEL_USAGE}
  --few-shot N                   with a text-generation model: show it N (at most 3) real texts per text column,
                                 placeholder-cleaned, as examples in each prompt (default 0: no real text in a prompt)
  --quiet                        no progress on stderr
${engineUsage(registry)}`;
}

interface Args {
  file: string;
  out: string;
  model: string;
  /** The engine's options from the flags, over its defaults, validated. */
  options: Record<string, unknown>;
  rows?: number;
  seed: number;
  holdout: number;
  holdoutOut?: string;
  trainOut?: string;
  where: string[];
  report?: string;
  quiet: boolean;
  formulaGuard: boolean;
  schemaEdits: SchemaEdit[];
  /** --text-model folders. */
  textModels: string[];
  /** --few-shot: cleaned real texts per prompt (0 = none). */
  fewShot?: number;
  /** --rule, as given (parsed early for syntax, checked against the schema after reading). */
  rules: string[];
  rulesMode: 'found' | 'none';
}

export async function run(argv: string[], registry: EngineRegistry = defaultRegistry): Promise<number> {
  const args = parseArgs(argv, registry);
  if (typeof args === 'number') return args;
  const info = await stat(args.file).catch(() => null);
  if (!info?.isFile()) throw new UserError(`Cannot read "${args.file}": no such file.`);
  // An input that is a Facsimile export: taken out of its zip, its provenance read (sidecar, zip, Parquet).
  const input0 = await readInput(args.file);
  // Every output is checked before the (long) read and fit: never the input, never a missing folder.
  await checkOutputs([args.file, ...(input0.sidecar ? [input0.sidecar] : [])], [
    { flag: '--out', file: args.out },
    { flag: '--out (its provenance)', file: sidecarPath(args.out) },
    { flag: '--holdout-out', file: args.holdoutOut },
    { flag: '--train-out', file: args.trainOut },
    { flag: '--report', file: args.report },
  ]);
  // Loaded once the arguments are known: `facsimile synth --help` stays quick.
  const [{ ingestBlob }, { applySplit, splitTable }, { tableFingerprint }] = await Promise.all([
    import('../core/ingest'),
    import('../core/table/split'),
    import('../core/provenance'),
  ]);
  // Printed even with --quiet: training on synthetic output is a decision to make knowingly.
  if (input0.detected) process.stderr.write(generationWarningLine(input0.detected));

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const log = (s: string) => args.quiet || process.stderr.write(s);
  const tty = process.stderr.isTTY === true;
  try {
    const t0 = performance.now();
    const input = await ingestBlob(input0.data, { fileName: input0.fileName }, { signal: controller.signal });
    const edited = await applySchemaEdits(input.table, input.schema, args.schemaEdits);
    const table = edited.table;
    const schema = withDeclaredRules(edited.schema, args.rules);
    const csvOptions = { delimiter: input.delimiter || ',', formulaGuard: args.formulaGuard };
    const split = args.holdout > 0 ? splitTable(table, schema, args.holdout, args.seed) : null;
    const { train, holdout } = split ? applySplit(table, split) : { train: table, holdout: null };
    if (split?.groupedBy) log(`${groupedHoldoutNote(split.groupedBy)}\n`);
    if (holdout && args.holdoutOut) await writeCsv(args.holdoutOut, holdout, schema, csvOptions);
    if (args.trainOut) await writeCsv(args.trainOut, train, schema, csvOptions);
    const tRead = performance.now();

    const conditions = parseConditions(args.where, schema);
    const options: Record<string, unknown> = { ...args.options, ...(args.rulesMode === 'none' ? { rules: 'none' } : {}) };
    const warning = registry.fitCostWarning(args.model, tableShape(train, schema));
    if (warning) log(`warning: ${warning.message}\n  ${warning.hint}\n`);
    let lastShown = -1;
    const onProgress = (p: Progress) => {
      const pct = Math.floor(p.fraction * 20) * 5;
      if (tty && pct !== lastShown) {
        lastShown = pct;
        log(`\r${args.model}: ${p.phase} ${pct}%   `);
      }
    };
    const synth = await registry.loadSynthesizer(args.model);
    const text = await loadTextModels(args.textModels);
    for (const m of text.loaded) log(`text model ${m}\n`);
    // With a NER model, the names, places and organisations in the text columns become placeholders before the fit.
    // The same pass gives the entities found in exactly one training row: the leak guard keeps them out of the texts.
    const cleaned = text.ner ? await cleanTextColumns(train, schema, text.ner, controller.signal) : null;
    const fitTable = cleaned?.table ?? train;
    if (text.ner) log(`text columns cleaned with ${text.ner.label} before the fit\n`);
    const model = await synth.fit(fitTable, schema, options, { rng: new Rng(args.seed), onProgress, signal: controller.signal });
    const tFit = performance.now();
    const n = args.rows ?? train.nRows;
    const fewShotTexts = text.generator && args.fewShot ? await fewShotExamples(fitTable, schema, args.fewShot, args.seed) : undefined;
    const synthetic = await model.sample(n, { seed: args.seed, conditions, onProgress, signal: controller.signal, textGenerator: text.generator, fewShotTexts, uniqueTextEntities: cleaned?.uniqueEntities });
    const tSample = performance.now();
    const provenance = await writeWithProvenance(args.out, synthetic, model.schema, { format: outFormat(args.out), ...csvOptions }, {
      synthesizer: args.model,
      options,
      fitSeed: args.seed,
      sampleSeed: args.seed,
      ...(conditions ? { conditions } : {}),
      rows: n,
      sourceFingerprint: await tableFingerprint(input.table, input.schema),
      generation: (input0.detected?.provenance.generation ?? 0) + 1,
    });

    const pooled = Object.values(model.stats.pooledCategories).reduce((s, k) => s + k, 0);
    log(
      `${tty ? '\r\x1b[K' : ''}${args.model}: fit ${secs(tFit - tRead)} on ${train.nRows} rows, sampled ${n} rows in ${secs(tSample - tFit)}` +
        (pooled ? `; ${pooled} rare categories pooled as "${model.stats.pooledLabel}"` : '') +
        `; ${model.stats.redrawnLeakedRows} rows redrawn as copies of unique training rows` +
        (model.stats.redrawnQuasiIdentifierRows !== undefined ? `; ${model.stats.redrawnQuasiIdentifierRows} rows redrawn as excess quasi-identifier matches` : '') +
        (model.stats.redrawnFakeValues ? `; ${model.stats.redrawnFakeValues} fake values redrawn as real ones` : '') +
        (model.stats.textWriter ? `; texts by ${model.stats.textWriter}, ${model.stats.redrawnTexts ?? 0} rewritten by the text leak guard${model.stats.entityLeaks ? ` (${model.stats.entityLeaks} for a name of one training row)` : ''}${model.stats.cutTexts ? `, ${model.stats.cutTexts} cut` : ''}` : '') +
        (model.stats.epsilon !== undefined ? `; epsilon ${model.stats.epsilon}` : '') +
        (model.stats.keptRules?.length ? `; ${model.stats.keptRules.length} rule${model.stats.keptRules.length === 1 ? '' : 's'} kept (${model.stats.redrawnRuleRows ?? 0} rows redrawn)` : '') +
        (model.stats.training ? `; ${model.stats.training}` : '') +
        `\nwrote ${args.out} (generation ${provenance.generation}) with ${sidecarPath(args.out)}${holdout && args.holdoutOut ? ` and ${args.holdoutOut} (${holdout.nRows} holdout rows)` : ''}\n`,
    );
    if (args.report) {
      const report = {
        input: path.basename(args.file),
        generation: provenance.generation,
        synthesizer: args.model,
        seed: args.seed,
        options,
        columns: args.schemaEdits.map((e) => e.flag),
        formulaGuard: args.formulaGuard,
        conditions: conditions ?? null,
        rows: { input: table.nRows, train: train.nRows, holdout: holdout?.nRows ?? 0, synthetic: n },
        seconds: { read: (tRead - t0) / 1000, fit: (tFit - tRead) / 1000, sample: (tSample - tFit) / 1000 },
        stats: model.stats,
      };
      await writeFile(args.report, JSON.stringify(report, null, 2) + '\n');
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function parseArgs(argv: string[], registry: EngineRegistry): Args | number {
  const usage = synthUsage(registry);
  const files: string[] = [];
  const flags = engineFlags(registry);
  const given: EngineFlagValues = new Map();
  const a: Partial<Args> & { where: string[]; schemaEdits: SchemaEdit[]; textModels: string[]; rules: string[] } = {
    where: [], seed: DEFAULT_SEED, holdout: 0, model: registry.ids[0], quiet: false, formulaGuard: true, schemaEdits: [], rules: [], rulesMode: 'found', textModels: [],
  };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined) throw new UserError(`${flag} needs a value.`, usage);
    return v;
  };
  const number = (i: number, flag: string) => {
    const v = Number(value(i, flag));
    if (!Number.isFinite(v)) throw new UserError(`${flag} needs a number, got "${argv[i + 1]}".`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    switch (f) {
      case '--model': {
        const m = value(i++, f);
        if (!registry.isId(m)) throw new UserError(`Unknown model "${m}".`, `Choose one of ${registry.ids.join(', ')}.`);
        a.model = m;
        break;
      }
      case '--rows': a.rows = number(i++, f); break;
      case '--seed': a.seed = number(i++, f); break;
      case '--holdout': a.holdout = number(i++, f); break;
      case '--holdout-out': a.holdoutOut = value(i++, f); break;
      case '--train-out': a.trainOut = value(i++, f); break;
      case '--out': a.out = value(i++, f); break;
      case '--where': a.where.push(value(i++, f)); break;
      case '--rule': a.rules.push(value(i++, f)); parseRule(a.rules[a.rules.length - 1]); break;
      case '--rules': {
        const m = value(i++, f);
        if (m !== 'found' && m !== 'none') throw new UserError(`--rules takes found or none, got "${m}".`, 'found keeps the rules found in the data (the default); none keeps only the --rule ones.');
        a.rulesMode = m;
        break;
      }
      case '--report': a.report = value(i++, f); break;
      case '--quiet': a.quiet = true; break;
      case '--no-formula-guard': a.formulaGuard = false; break;
      case '--keep-out': case '--kind': case '--role': a.schemaEdits.push(parseSchemaFlag(f, value(i++, f))); break;
      case '--text-model': a.textModels.push(value(i++, f)); break;
      case '--few-shot': a.fewShot = number(i++, f); break;
      case '--help': case '-h':
        process.stdout.write(usage + '\n');
        return 0;
      default: {
        if (!f.startsWith('--')) {
          files.push(f);
          break;
        }
        const spec = flags.get(f.slice(2));
        if (!spec) {
          process.stderr.write(`facsimile synth: unknown option ${f}${suggest(f, flags)}\n${usage}\n`);
          return 2;
        }
        given.set(f.slice(2), spec.takesValue ? value(i++, f) : true);
      }
    }
  }
  if (files.length !== 1 || !a.out) {
    process.stderr.write(`facsimile synth: give one input file and --out\n${usage}\n`);
    return 2;
  }
  if (a.rows !== undefined && !(Number.isInteger(a.rows) && a.rows >= 0)) throw new UserError(`--rows must be a whole number, got ${a.rows}.`);
  if (!(a.holdout! >= 0 && a.holdout! < 1)) throw new UserError(`--holdout must be a share in [0, 1), e.g. 0.2; got ${a.holdout}.`);
  if (a.holdoutOut && !(a.holdout! > 0)) throw new UserError('--holdout-out needs --holdout (e.g. --holdout 0.2).');
  const options = engineOptions(registry, a.model!, given);
  return { ...a, options, file: files[0] } as Args;
}

/** " (did you mean --x?)" for a near miss among the known flags. */
function suggest(flag: string, flags: Map<string, unknown>): string {
  const known = ['model', 'rows', 'seed', 'holdout', 'holdout-out', 'train-out', 'out', 'where', 'rule', 'rules', 'report', 'quiet', 'no-formula-guard', 'text-model', 'few-shot', ...SCHEMA_FLAGS, ...flags.keys()];
  const f = flag.slice(2);
  const near = known.find((k) => k.startsWith(f) || f.startsWith(k) || editDistance(k, f) <= 2);
  return near ? ` (did you mean --${near}?)` : '';
}

/** `col=value`, `col=a|b`, `col>=x`, `col<=x` (datetimes as written in the file, or epoch ms). */
function parseConditions(where: string[], schema: Schema): Conditions | undefined {
  if (where.length === 0) return undefined;
  const out: Conditions = {};
  for (const w of where) {
    const m = /^(.+?)(>=|<=|=)(.*)$/.exec(w);
    if (!m) throw new UserError(`Cannot read the condition "${w}".`, 'Write col=value, col=a|b, col>=x or col<=x.');
    const [, name, op, raw] = m;
    const col = schema.columns.find((c) => c.name === name);
    if (!col) throw new UserError(`The condition "${w}" names no column of the file.`, closeNames(name, schema.columns.map((c) => c.name)));
    if (!isNumericKind(col.kind)) {
      if (op !== '=') throw new UserError(`"${name}" is categorical: use ${name}=value.`);
      const values = raw.split('|');
      out[name] = values.length === 1 ? { equals: values[0] } : { oneOf: values };
      continue;
    }
    const x = col.kind === 'datetime' && !/^-?\d+(\.\d+)?$/.test(raw) ? Date.parse(raw) : Number(raw);
    if (!Number.isFinite(x)) throw new UserError(`The condition "${w}" needs a number${col.kind === 'datetime' ? ' or a date' : ''}.`);
    const prev = (out[name] ?? {}) as Extract<Condition, { min?: number }>;
    out[name] = op === '=' ? { min: x, max: x } : op === '>=' ? { ...prev, min: x } : { ...prev, max: x };
  }
  return out;
}

/** Through the app's CSV writer: the input's formats, and the formula guard unless turned off. */
async function writeCsv(file: string, table: Table, schema: Schema, options: { delimiter: string; formulaGuard: boolean }): Promise<void> {
  const { csvChunks } = await import('../core/export');
  const stream = createWriteStream(file);
  for (const chunk of csvChunks(table, schema, options)) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
