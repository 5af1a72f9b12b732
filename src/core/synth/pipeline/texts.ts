import { throwIfAborted, UserError, yieldToEventLoop } from '../../context';
import type { Rng } from '../../random/rng';
import type { ColumnKind, ColumnSchema } from '../../schema/schema';
import { categoricalFromStrings, type Column, type Table } from '../../table/table';
import type { SampleOptions } from '../types';
import { buildLeakGuard, LeakGuard, type LeakGuardData } from '../../text/leakGuard';
import { HashSet } from '../../table/rowHash';
import { cleanText } from '../../text/piiText';
import { detokenize, tokenize } from '../../text/tokens';
import { drawLength, trainWordModel, WordModel, type WordModelData } from '../../text/wordModel';
import { buildPrompt, type TextRequest } from '../../text/generator';

/**
 * Role `synthesize-text`: free text written per synthetic row after the engine has drawn the other
 * columns. With a text generator (SampleOptions.textGenerator) each cell comes from a prompt built from
 * the row's synthetic values; without one, from the word-level fallback trained here on the
 * placeholder-cleaned texts (labelled so in the stats). Every text passes the leak guard: one holding an
 * 8-token sequence or an entity of exactly one training row is written again (counted), and cut before
 * the leak if it still fails.
 */
export interface TextPlan {
  mode: 'text';
  name: string;
  kind: ColumnKind;
  /** Share of training rows with no text: drawn missing at that rate. */
  missingShare: number;
  /** The fallback, trained on the cleaned texts. */
  fallback: WordModelData;
  maxEntityTokens: number;
}

/** Writes of a text before it is cut instead: the fallback is cheap; a model call is not. */
const MAX_TRIES = 30;
const MAX_MODEL_TRIES = 4;
/** Rows per generator call: fixed, so the texts a seed gives do not depend on timing. */
export const TEXT_BATCH = 16;

/**
 * The key of a text column's guard hashes among the model's fake-column hashes (they share that storage,
 * so saved models keep them without a format change).
 */
export function textGuardKey(part: 'ngrams' | 'entities', column: string): string {
  return `text-guard-${part}:${column}`;
}

/** The leak guards of the text plans, from the hash sets the model holds. */
export function textGuards(plans: readonly TextPlan[], sets: ReadonlyMap<string, HashSet>): Map<string, LeakGuard> {
  const out = new Map<string, LeakGuard>();
  const none = new HashSet(new Float64Array(0));
  for (const p of plans) {
    out.set(p.name, new LeakGuard(sets.get(textGuardKey('ngrams', p.name)) ?? none, sets.get(textGuardKey('entities', p.name)) ?? none, p.maxEntityTokens));
  }
  return out;
}

export function canSynthesizeText(kind: ColumnKind): boolean {
  return kind === 'text' || kind === 'categorical';
}

/** Plans one text column: trains the fallback and builds the leak guard (its hashes stored apart). */
export function planText(col: Column, cs: ColumnSchema, minRows: number): { plan: TextPlan; guard: LeakGuardData } {
  if (col.type !== 'categorical' || !canSynthesizeText(cs.kind)) {
    throw new UserError(`"${cs.name}" holds ${cs.kind} values, not free text, so it cannot be synthesized as text.`, 'Give the role synthesize-text to text columns only.');
  }
  const raw: (string | null)[] = new Array(col.codes.length);
  let missing = 0;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    const v = c < 0 ? null : col.levels[c];
    if (v === null || v.trim() === '') missing++;
    raw[i] = v === null || v.trim() === '' ? null : v;
  }
  const cleaned = raw.filter((t): t is string => t !== null).map((t) => cleanText(t));
  const fallback = trainWordModel(cleaned, minRows);
  const guard = buildLeakGuard(raw);
  return {
    plan: { mode: 'text', name: cs.name, kind: cs.kind, missingShare: col.codes.length ? missing / col.codes.length : 0, fallback, maxEntityTokens: guard.maxEntityTokens },
    guard,
  };
}

/** A row's values as strings for a prompt (text columns and missing values left out). */
function rowValues(columns: readonly Column[], kinds: ReadonlyMap<string, ColumnKind>, row: number): [string, string][] {
  const out: [string, string][] = [];
  for (const c of columns) {
    const kind = kinds.get(c.name);
    if (c.type === 'numeric') {
      const x = c.values[row];
      if (Number.isNaN(x)) continue;
      out.push([c.name, kind === 'datetime' ? new Date(x).toISOString().slice(0, 10) : String(x)]);
    } else if (c.codes[row] >= 0) out.push([c.name, c.levels[c.codes[row]]]);
  }
  return out;
}

export interface TextSampleResult {
  columns: Column[];
  /** Texts written again because they held an 8-gram or entity unique to one training row. */
  redrawn: number;
  /** Of redrawn: for a named entity of exactly one training row (options.uniqueTextEntities). */
  entityLeaks: number;
  /** Texts still leaking after every retry, cut before the leak. */
  cut: number;
  /** What wrote the texts. */
  writer: string;
}

/**
 * Writes the text columns for n rows. `others` are the synthetic columns drawn so far (the prompt's
 * values); `kinds` their kinds.
 */
export async function generateTexts(
  plans: readonly TextPlan[],
  others: Table,
  kinds: ReadonlyMap<string, ColumnKind>,
  guards: ReadonlyMap<string, LeakGuard>,
  rng: Rng,
  options: SampleOptions,
): Promise<TextSampleResult> {
  const n = others.nRows;
  const generator = options.textGenerator;
  let redrawn = 0, cut = 0, entityLeaks = 0;
  const columns: Column[] = [];
  const total = plans.length * n;
  let done = 0;
  for (const plan of plans) {
    const colRng = rng.fork(`text:${plan.name}`);
    const fallback = new WordModel(plan.fallback);
    const named = options.uniqueTextEntities?.[plan.name];
    const base = guards.get(plan.name) ?? null;
    const guard = named?.length ? (base ?? textGuards([plan], new Map()).get(plan.name)!).withEntities(named) : base;
    const out: (string | null)[] = new Array(n).fill(null);
    const targets = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const present = colRng.next() >= plan.missingShare;
      targets[i] = present ? drawLength(plan.fallback.lengthQuantiles, colRng) : 0;
    }
    const finish = (text: string): string => {
      // Still leaking after every retry: cut before the leak, repeatedly.
      let t = text;
      for (let leak = guard?.check(t); leak; leak = guard?.check(t)) {
        t = detokenize(tokenize(t).slice(0, Math.max(0, leak.end - 1)));
        if (leak.end <= 1) t = '';
      }
      cut++;
      return t;
    };
    if (!generator) {
      if (fallback.empty && targets.some((t) => t > 0)) {
        throw new UserError(`"${plan.name}" has no word used in at least ${plan.fallback.minRows} texts, so the text fallback learnt nothing to write.`, 'Keep the column out, or use a text-generation model.');
      }
      for (let i = 0; i < n; i++) {
        if (targets[i] > 0) {
          let text = fallback.write(targets[i], colRng);
          let tries = 1;
          for (let leak = guard?.check(text); leak; leak = guard?.check(text)) {
            if (tries >= MAX_TRIES) {
              text = finish(text);
              break;
            }
            redrawn++;
            if (leak.kind === 'named-entity') entityLeaks++;
            tries++;
            text = fallback.write(targets[i], colRng);
          }
          out[i] = text;
        }
        if ((i & 1023) === 1023) {
          done += 1024;
          options.onProgress?.({ phase: 'writing text', fraction: done / total, message: `${plan.name}: ${i + 1} of ${n} texts` });
          await yieldToEventLoop();
          throwIfAborted(options.signal);
        }
      }
      done += n & 1023;
    } else {
      const seed = colRng.uint32();
      const cleanedShots = options.fewShotTexts?.[plan.name]?.map((t) => cleanText(t)) ?? [];
      for (let start = 0; start < n; start += TEXT_BATCH) {
        throwIfAborted(options.signal);
        const rows: number[] = [];
        for (let i = start; i < Math.min(n, start + TEXT_BATCH); i++) if (targets[i] > 0) rows.push(i);
        let pending = rows;
        const requests = new Map<number, TextRequest>();
        for (const i of rows) requests.set(i, { column: plan.name, prompt: buildPrompt(plan.name, rowValues(others.columns, kinds, i), cleanedShots), targetWords: targets[i] });
        for (let attempt = 0; pending.length > 0; attempt++) {
          const texts = await generator.generate(pending.map((i) => requests.get(i)!), (seed + start * 31 + attempt * 7919) >>> 0, options.signal);
          const again: number[] = [];
          pending.forEach((i, k) => {
            const t = texts[k] ?? '';
            const leak = guard?.check(t);
            if (leak) {
              if (attempt + 1 < MAX_MODEL_TRIES) {
                redrawn++;
                if (leak.kind === 'named-entity') entityLeaks++;
                again.push(i);
              } else out[i] = finish(t);
            } else out[i] = t;
          });
          pending = again;
        }
        done += Math.min(TEXT_BATCH, n - start);
        options.onProgress?.({ phase: 'writing text', fraction: done / total, message: `${plan.name}: ${Math.min(n, start + TEXT_BATCH)} of ${n} texts` });
        await yieldToEventLoop();
      }
    }
    columns.push(categoricalFromStrings(plan.name, out));
  }
  return { columns, redrawn, entityLeaks, cut, writer: generator ? generator.label : 'word-level fallback (no model; not conditioned on the row)' };
}
