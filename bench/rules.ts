/**
 * Rules and conditions benchmark (issue 19), on the shared tables of test/fixtures/data with a seeded 20%
 * holdout:
 *
 * 1. Rule adherence: each synthesizer fitted with the default rules (the exact ones found in training);
 *    per table, the rules kept, the lowest share of synthetic rows obeying one (target 100%), the rows
 *    redrawn as a last resort, fit seconds.
 * 2. Conditional fidelity: conditions selecting 0.5–10% of the rows (a category, an upper tail of a
 *    number), each with at least 20 holdout rows meeting it, and both columns fixed at once (a category
 *    and the upper half of the number within it, at least 15 holdout rows). The 1- and 2-way accuracy of
 *    the conditioned synthetic rows against the training rows meeting the condition, beside the ceiling (the holdout rows
 *    meeting it, against the same training rows); synthetic figures are the mean over 5 samples of the
 *    holdout's size. Target: within 0.03 of the ceiling. Beside it, "filtered": the same model's unconditioned
 *    rows that happen to meet the condition. Conditioned ≈ filtered means the conditioning is exact for the
 *    model (it draws from the model's own conditional distribution); the gap that remains is then how well
 *    the model knows that region of the table, which better conditioning cannot change.
 * 3. Throughput: conditioned rows per second for a condition selecting about 1% of txhousing (target 10,000).
 *
 * `npx tsx bench/rules.ts [--models copula,cart] [--tables titanic,colon] [--splits 8]` (the transformer runs 3
 * epochs here, or `--transformer-epochs E`; `--set k=v,...` passes its expert settings). With `--splits K` the tables are split K times (seeds 19, 20,
 * …; `--first-split K` starts at seed 19 + K) and the conditional 2-way figures are printed again as mean ± standard error over the splits: one split's ceiling rests on 20–90
 * holdout rows, and moves by 0.01–0.03 between splits.
 */
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBlob } from '../src/core/ingest';
import { alignTables } from '../src/core/metrics/align';
import { binForAccuracy, kWayAccuracy } from '../src/core/metrics/kway';
import { Rng } from '../src/core/random/rng';
import { countRule, parseRule } from '../src/core/rules';
import { isNumericKind, type Schema } from '../src/core/schema/schema';
import { loadSynthesizer } from '../src/core/synth/registry';
import type { Condition, Model, SynthesizerId } from '../src/core/synth/types';
import { applySplit, splitTable } from '../src/core/table/split';
import type { Column, Table } from '../src/core/table/table';
import { meanSe } from './meanSe';
import { expertSettings } from './expertSettings';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'test/fixtures/data');
const TABLES = ['penguins', 'cars93', 'survey', 'slid', 'titanic', 'colon', 'txhousing', 'salaries'];
const MODELS: SynthesizerId[] = ['copula', 'bayesnet', 'cart', 'transformer'];
/** Options per model: the transformer with a few epochs, so that the bench stays bounded. */
const OPTIONS: Partial<Record<string, Record<string, unknown>>> = { transformer: { epochs: 3 } };
const BASE_SEED = 19;
const MIN_HOLDOUT_ROWS = 20;
const REPEATS = 5;

function arg(name: string): string[] | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1].split(',') : null;
}

async function load(name: string): Promise<{ table: Table; schema: Schema }> {
  const r = await ingestBlob(await openAsBlob(path.join(DATA, `${name}.csv`)), { fileName: `${name}.csv` });
  return { table: r.table, schema: r.schema };
}

function takeRows(t: Table, rows: number[]): Table {
  return {
    nRows: rows.length,
    columns: t.columns.map((c): Column =>
      c.type === 'numeric'
        ? { type: 'numeric', name: c.name, values: Float64Array.from(rows, (i) => c.values[i]) }
        : { type: 'categorical', name: c.name, codes: Int32Array.from(rows, (i) => c.codes[i]), levels: c.levels },
    ),
  };
}

function meets(t: Table, name: string, cond: Condition): number[] {
  const c = t.columns.find((x) => x.name === name)!;
  const out: number[] = [];
  for (let i = 0; i < t.nRows; i++) {
    if (c.type === 'categorical') {
      if ('equals' in cond && c.codes[i] >= 0 && c.levels[c.codes[i]] === String(cond.equals)) out.push(i);
    } else if ('min' in cond || 'max' in cond) {
      const x = c.values[i];
      const r = cond as { min?: number; max?: number };
      if (x >= (r.min ?? -Infinity) && x <= (r.max ?? Infinity)) out.push(i);
    }
  }
  return out;
}

interface Cond {
  label: string;
  /** What the figures over splits are grouped by: the fixed column, or the two joined by " & ". */
  column: string;
  /** The fixed columns and their conditions (one or two). */
  conds: Record<string, Condition>;
}

/** Rows meeting every condition. */
function meetsAll(t: Table, conds: Record<string, Condition>): number[] {
  let rows: number[] | null = null;
  for (const [name, cond] of Object.entries(conds)) {
    const hit = new Set(meets(t, name, cond));
    rows = rows ? rows.filter((i) => hit.has(i)) : [...hit];
  }
  return rows ?? [];
}

/** Fewest holdout rows for a two-column condition (half a category's rows: 20 would skip most of txhousing's cities). */
const MIN_HOLDOUT_ROWS_PAIR = 15;

/**
 * A category and an upper tail of a number, each selecting 0.5–10% of training rows with enough holdout
 * rows; then both columns at once: a category (the one nearest 5% that works) and the upper half of the
 * number within that category's training rows.
 */
function chooseConditions(train: Table, holdout: Table, schema: Schema): Cond[] {
  const out: Cond[] = [];
  const synth = schema.columns.filter((c) => c.role === 'synthesize');
  const okShare = (k: number, hk: number, minHoldout = MIN_HOLDOUT_ROWS) => k / train.nRows >= 0.005 && k / train.nRows <= 0.1 && hk >= minHoldout;
  // Category: the level nearest 5% among those in range.
  let best: Cond | null = null, bestGap = Infinity;
  for (const cs of synth) {
    if (isNumericKind(cs.kind)) continue;
    const c = train.columns.find((x) => x.name === cs.name);
    if (c?.type !== 'categorical' || c.levels.length > 200) continue;
    for (const level of c.levels) {
      const cond = { equals: level };
      const k = meets(train, cs.name, cond).length, hk = meets(holdout, cs.name, cond).length;
      if (!okShare(k, hk)) continue;
      const gap = Math.abs(k / train.nRows - 0.05);
      if (gap < bestGap) {
        bestGap = gap;
        best = { label: `${cs.name} = ${level}`, column: cs.name, conds: { [cs.name]: cond } };
      }
    }
  }
  if (best) out.push(best);
  // Number: the upper 5% (or the smallest tail with enough holdout rows, up to 10%) of the first numeric column with 20+ values.
  for (const cs of synth) {
    if (!isNumericKind(cs.kind) || cs.kind === 'datetime' || cs.name.toLowerCase() === 'id') continue;
    const c = train.columns.find((x) => x.name === cs.name);
    if (c?.type !== 'numeric') continue;
    const sorted = Float64Array.from(c.values.filter((x) => !Number.isNaN(x))).sort();
    if (new Set(sorted).size < 20) continue;
    for (const share of [0.05, 0.075, 0.1]) {
      const q = sorted[Math.floor((1 - share) * (sorted.length - 1))];
      const cond = { min: q };
      const k = meets(train, cs.name, cond).length, hk = meets(holdout, cs.name, cond).length;
      if (!okShare(k, hk)) continue;
      out.push({ label: `${cs.name} >= ${Number(q.toPrecision(6))}`, column: cs.name, conds: { [cs.name]: cond } });
      break;
    }
    if (out.length === 2) break;
  }
  if (out.length === 2) {
    const catName = out[0].column, numName = out[1].column;
    const cat = train.columns.find((x) => x.name === catName), num = train.columns.find((x) => x.name === numName);
    if (cat?.type === 'categorical' && num?.type === 'numeric') {
      const levels = cat.levels.map((level) => ({ level, inLevel: meets(train, catName, { equals: level }) }));
      const off5 = (rows: number[]) => Math.abs(rows.length / train.nRows - 0.05);
      levels.sort((a, b) => off5(a.inLevel) - off5(b.inLevel));
      for (const { level, inLevel } of levels) {
        const vals = Float64Array.from(inLevel.map((i) => num.values[i]).filter((x) => !Number.isNaN(x))).sort();
        if (vals.length < 2) continue;
        const median = vals[Math.floor(vals.length / 2)];
        const conds = { [catName]: { equals: level }, [numName]: { min: median } };
        const k = meetsAll(train, conds).length, hk = meetsAll(holdout, conds).length;
        if (!okShare(k, hk, MIN_HOLDOUT_ROWS_PAIR)) continue;
        out.push({ label: `${catName} = ${level} & ${numName} >= ${Number(median.toPrecision(6))}`, column: `${catName} & ${numName}`, conds });
        break;
      }
    }
  }
  return out;
}

/** [1-way, 2-way] accuracy of the holdout and the synthetic rows against the training rows meeting a condition. */
function accuracy(tc: Table, hc: Table, sc: Table, schema: Schema, seed: number): { ceiling: [number, number]; synthetic: [number, number] } {
  const a = alignTables(tc, hc, sc, schema);
  const b = binForAccuracy(a.columns, (c) => [c.holdout, c.synthetic]);
  const r = kWayAccuracy(b, 2, new Rng(seed));
  return { ceiling: [r.means[0][0] ?? NaN, r.means[0][1] ?? NaN], synthetic: [r.means[1][0] ?? NaN, r.means[1][1] ?? NaN] };
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

/** Conditional 2-way figures of one (table, model, condition column) over the holdout splits. */
interface SplitFigures {
  label: string;
  syn: number[];
  ceiling: number[];
  filtered: number[];
}

export async function run(): Promise<void> {
  const models = (arg('models') as SynthesizerId[] | null) ?? MODELS;
  const tables = arg('tables') ?? TABLES;
  const nSplits = Number(arg('splits')?.[0] ?? 1);
  // `--first-split K`: start at the K-th split (split seed BASE_SEED + K), to extend an earlier run.
  const firstSplit = Number(arg('first-split')?.[0] ?? 0);
  // `--transformer-epochs 100`: the transformer trained as by default (up to 100 epochs, early stop or the 150 s budget).
  const transformerEpochs = arg('transformer-epochs') ? Number(arg('transformer-epochs')![0]) : undefined;
  // `--set k=v,...`: the transformer's expert settings (fit.ts TransformerOptions), as bench/transformer.ts.
  const expert = expertSettings(arg('set'));
  const adherence: string[] = [];
  const conditional: string[] = [];
  const overSplits = new Map<string, SplitFigures>();
  let throughput = '';
  for (const name of tables) {
    const { table, schema } = await load(name);
    for (let split = firstSplit; split < firstSplit + nSplits; split++) {
      const SEED = BASE_SEED + split;
      const { train, holdout } = applySplit(table, splitTable(table, schema, 0.2, SEED));
      const conds = chooseConditions(train, holdout, schema);
      for (const id of models) {
        const synth = await loadSynthesizer(id);
        const t0 = performance.now();
        let model: Model;
        try {
          model = await synth.fit(train, schema, id === 'transformer' ? { ...(transformerEpochs ? { epochs: transformerEpochs } : OPTIONS[id]), ...expert } : OPTIONS[id] ?? {}, { rng: new Rng(SEED) });
        } catch (e) {
          adherence.push(`${name.padEnd(10)} ${id.padEnd(9)} fit failed: ${(e as Error).message}`);
          continue;
        }
        const fitS = (performance.now() - t0) / 1000;
        const out = await model.sample(train.nRows, { seed: SEED });
        const kept = model.stats.keptRules ?? [];
        // Unconditional 2-way accuracy (the model's own level): the synthetic rows sampled to the holdout's size.
        const all = accuracy(train, holdout, takeRows(out, Array.from({ length: Math.min(holdout.nRows, out.nRows) }, (_, i) => i)), schema, SEED);
        let worst = 1;
        for (const k of kept) {
          const c = countRule(parseRule(k.rule), out, train, schema);
          if (c.applies > 0) worst = Math.min(worst, c.obeyed / c.applies);
        }
        adherence.push(
          `${name.padEnd(10)} ${id.padEnd(9)} ${String(kept.length).padStart(5)}  ${kept.length ? `${(100 * worst).toFixed(1)}%`.padStart(8) : '       –'}  ${String(model.stats.redrawnRuleRows ?? 0).padStart(8)}  ${fitS.toFixed(2).padStart(6)}  ${f3(all.synthetic[1])} / ${f3(all.ceiling[1])}  ${kept.map((k) => k.rule).join(' · ')}`,
        );
        for (const c of conds) {
          const tc = takeRows(train, meetsAll(train, c.conds));
          const hc = takeRows(holdout, meetsAll(holdout, c.conds));
          let s1 = 0, s2 = 0, ceiling: [number, number] = [NaN, NaN];
          try {
            const big = await model.sample(hc.nRows * REPEATS, { seed: SEED + 1, conditions: c.conds });
            for (let r = 0; r < REPEATS; r++) {
              const part = takeRows(big, Array.from({ length: hc.nRows }, (_, i) => r * hc.nRows + i));
              const acc = accuracy(tc, hc, part, schema, SEED);
              s1 += acc.synthetic[0] / REPEATS;
              s2 += acc.synthetic[1] / REPEATS;
              ceiling = acc.ceiling;
            }
            const gap = ceiling[1] - s2;
            const key = `${name} ${id} ${c.column}`;
            // The model's own rows in that region: an unconditioned sample filtered by the condition. The
            // conditioned rows should match these (conditioning exact for the model); what remains of the gap
            // is then the model's fidelity in the region, not the conditioning.
            const want = hc.nRows * REPEATS;
            const free = await model.sample(Math.min(400_000, Math.ceil((1.5 * want * train.nRows) / Math.max(1, tc.nRows))), { seed: SEED + 3 });
            const hits = meetsAll(free, c.conds);
            let f2 = 0, fr = 0;
            for (let r = 0; r < REPEATS && (r + 1) * hc.nRows <= hits.length; r++, fr++) {
              f2 += accuracy(tc, hc, takeRows(free, hits.slice(r * hc.nRows, (r + 1) * hc.nRows)), schema, SEED).synthetic[1];
            }
            const fig = overSplits.get(key) ?? { label: `${name.padEnd(10)} ${id.padEnd(9)} ${c.column.padEnd(44)}`, syn: [], ceiling: [], filtered: [] };
            fig.syn.push(s2);
            fig.ceiling.push(ceiling[1]);
            if (fr) fig.filtered.push(f2 / fr);
            overSplits.set(key, fig);
            conditional.push(
              `${name.padEnd(10)} ${id.padEnd(9)} ${c.label.slice(0, 44).padEnd(44)} ${(100 * tc.nRows / train.nRows).toFixed(1).padStart(5)}% ${String(hc.nRows).padStart(5)}  ${f3(s1)} / ${f3(ceiling[0])}  ${f3(s2)} / ${f3(ceiling[1])}  ${gap <= 0.03 ? 'ok ' : 'GAP'} ${f3(gap)}  ${f3(fr ? f2 / fr : NaN)}`,
            );
          } catch (e) {
            conditional.push(`${name.padEnd(10)} ${id.padEnd(9)} ${c.label.slice(0, 44).padEnd(44)} failed: ${(e as Error).message}`);
          }
        }
        if (name === 'txhousing' && split === firstSplit) {
          // About 1% of the rows: the top 1% of sales.
          const sales = train.columns.find((c) => c.name === 'sales')!;
          const sorted = Float64Array.from((sales as { values: Float64Array }).values.filter((x) => !Number.isNaN(x))).sort();
          const q = sorted[Math.floor(0.99 * (sorted.length - 1))];
          const t1 = performance.now();
          const c0 = process.cpuUsage();
          const rows = await model.sample(10_000, { seed: SEED + 2, conditions: { sales: { min: q } } });
          const s = (performance.now() - t1) / 1000;
          const cpu = process.cpuUsage(c0);
          const cpuS = (cpu.user + cpu.system) / 1e6;
          throughput += `  ${id.padEnd(9)} sales >= ${q} (${(100 * meets(train, 'sales', { min: q }).length / train.nRows).toFixed(1)}% of rows): ${rows.nRows} rows in ${s.toFixed(2)} s = ${Math.round(rows.nRows / s).toLocaleString('en')} rows/s (wall), ${Math.round(rows.nRows / cpuS).toLocaleString('en')} rows per CPU second\n`;
        }
      }
    }
  }
  console.log('\nRule adherence (default rules: the exact ones found in training; synthetic rows = training rows)');
  console.log(`${'table'.padEnd(10)} ${'model'.padEnd(9)} rules  lowest%  redrawn   fit s  2-way all rows syn/ceil  rules kept`);
  for (const l of adherence) console.log(l);
  console.log('\nConditional fidelity: accuracy of conditioned synthetic rows vs training rows meeting the condition, synthetic / ceiling (holdout rows meeting it)');
  console.log(`${'table'.padEnd(10)} ${'model'.padEnd(9)} ${'condition'.padEnd(44)} share  hold.  1-way syn/ceil  2-way syn/ceil  2-way gap  filtered 2-way`);
  for (const l of conditional) console.log(l);
  if (nSplits > 1) {
    console.log(`\nConditional 2-way over ${nSplits} holdout splits (seeds ${BASE_SEED + firstSplit}..${BASE_SEED + firstSplit + nSplits - 1}; each split chooses its own threshold): mean ± standard error`);
    console.log(`${'table'.padEnd(10)} ${'model'.padEnd(9)} ${'condition column'.padEnd(44)} synthetic      ceiling        gap            filtered`);
    const ms = (x: number[]) => {
      const [m, se] = meanSe(x);
      return `${f3(m)} ± ${f3(se)}`;
    };
    for (const f of overSplits.values()) {
      const gaps = f.ceiling.map((c, i) => c - f.syn[i]);
      console.log(`${f.label} ${ms(f.syn)}  ${ms(f.ceiling)}  ${ms(gaps)}  ${f.filtered.length ? ms(f.filtered) : '–'}`);
    }
  }
  if (throughput) console.log(`\nConditioned rows per second (txhousing, 10,000 rows):\n${throughput}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await run();
