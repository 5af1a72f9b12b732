import { UserError } from '../context';
import { COMMON_OPTIONS, flagOf, type EngineDescriptor, type OptionField, type TableShape } from './descriptor';
import { createSynthesizer } from './pipeline/synthesizer';
import type { Model, SerializedModel, Synthesizer } from './types';
import { copulaDescriptor } from './copula/descriptor';
import { bayesNetDescriptor } from './bayesnet/descriptor';
import { cartDescriptor } from './cart/descriptor';
import { transformerDescriptor } from './transformer/descriptor';

/**
 * Every engine Facsimile offers, one line each. A descriptor says what the engine is and which options
 * it takes; its code loads on first use (`loadSynthesizer`), wrapped in the shared pipeline (roles,
 * rare categories, bounds, keys, leaked-row redraws, conditions, serialization).
 */
export const ENGINE_DESCRIPTORS = [
  copulaDescriptor,
  bayesNetDescriptor,
  cartDescriptor,
  transformerDescriptor,
] as const;

export type SynthesizerId = (typeof ENGINE_DESCRIPTORS)[number]['id'];

/** What the synthesizer picker shows for an engine. */
export interface PickerEntry<Id extends string = string> {
  id: Id;
  label: string;
  description: string;
  differentialPrivacy: boolean;
  seedAffectsFit: boolean;
}

/** A fit estimated this slow (seconds) gets a warning before it starts. */
export const SLOW_FIT_SECONDS = 60;

/** A set of engines and everything derived from their descriptors. */
export interface EngineRegistry<Id extends string = string> {
  readonly descriptors: readonly EngineDescriptor<Id>[];
  readonly ids: readonly Id[];
  isId(id: string): id is Id;
  /** The descriptor of an engine; a UserError naming the known ones for an unknown id. */
  descriptorOf(id: string): EngineDescriptor<Id>;
  /** The picker's cards, in registry order. */
  pickerEntries(): PickerEntry<Id>[];
  /** Every option of an engine: the pipeline's COMMON_OPTIONS, then the engine's own. */
  optionFields(id: string): readonly OptionField[];
  /** Default options of an engine (optional numbers such as epsilon are left out: off). */
  defaultOptions(id: string): Record<string, unknown>;
  /**
   * Check options against the engine's fields (types, whole numbers, bounds; epsilon only for an
   * engine with differential privacy) and return them over the defaults. A UserError with a hint on
   * the first bad one. Keys no field names pass through unchecked (the engines' expert settings).
   */
  validateOptions(id: string, options: Record<string, unknown>): Record<string, unknown>;
  /** The engine's code in the shared pipeline, loaded once (a dynamic import: its own chunk). */
  loadSynthesizer(id: string): Promise<Synthesizer>;
  /** A stored model back as a Model, whichever engine made it (loads that engine). */
  deserializeModel(s: SerializedModel): Promise<Model>;
  /** Estimated fit time in seconds of an engine on a table of this shape. */
  estimateFitSeconds(id: string, shape: TableShape): number;
  /**
   * A warning when the fit would be slow (past SLOW_FIT_SECONDS): "~N minutes on this table; keep
   * columns out, or use X", X the fastest other engine when it is much faster. Undefined otherwise.
   */
  fitCostWarning(id: string, shape: TableShape): UserError | undefined;
}

/** A registry over any list of descriptors (tests register fake engines this way). */
export function createRegistry<const D extends readonly EngineDescriptor[]>(list: D): EngineRegistry<D[number]['id']> {
  type Id = D[number]['id'];
  const descriptors = list as unknown as readonly EngineDescriptor<Id>[];
  const byId = new Map<string, EngineDescriptor<Id>>(descriptors.map((d) => [d.id, d]));
  if (byId.size !== descriptors.length) throw new Error('Two engine descriptors share an id');
  const loaded = new Map<string, Promise<Synthesizer>>();
  const ids = descriptors.map((d) => d.id);

  const descriptorOf = (id: string): EngineDescriptor<Id> => {
    const d = byId.get(id);
    if (!d) throw new UserError(`Unknown synthesizer "${id}".`, `Choose one of ${ids.join(', ')}.`);
    return d;
  };
  const optionFields = (id: string): readonly OptionField[] => [...COMMON_OPTIONS, ...descriptorOf(id).options];
  const defaultOptions = (id: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of optionFields(id)) {
      if (f.kind === 'column-order') continue; // default: schema order, i.e. no order given
      if ((f.kind === 'number' || f.kind === 'integer') && f.optional) continue;
      out[f.key] = f.default;
    }
    return out;
  };
  const loadSynthesizer = (id: string): Promise<Synthesizer> => {
    const d = descriptorOf(id);
    let p = loaded.get(id);
    if (!p) {
      p = d.load().then((engine) => {
        if (engine.id !== d.id) throw new Error(`The engine loaded for "${d.id}" calls itself "${engine.id}"`);
        return createSynthesizer(engine, d);
      });
      p.catch(() => loaded.delete(id)); // a failed load (e.g. a chunk that did not arrive) may be retried
      loaded.set(id, p);
    }
    return p;
  };
  const estimate = (id: string, shape: TableShape) => Math.max(0, descriptorOf(id).estimateFitSeconds(shape));

  return {
    descriptors,
    ids,
    isId: (id: string): id is Id => byId.has(id),
    descriptorOf,
    pickerEntries: () =>
      descriptors.map((d) => ({ id: d.id, label: d.label, description: d.description, differentialPrivacy: d.differentialPrivacy, seedAffectsFit: d.seedAffectsFit })),
    optionFields,
    defaultOptions,
    validateOptions(id, options) {
      const d = descriptorOf(id);
      const fields = optionFields(id);
      if (options.epsilon !== undefined && !d.differentialPrivacy) {
        const dp = descriptors.filter((x) => x.differentialPrivacy).map((x) => `${x.label} (${x.id})`);
        throw new UserError(
          `The ${d.label} synthesizer has no differential privacy, so it cannot honour epsilon ${String(options.epsilon)}.`,
          dp.length ? `Use ${dp.join(' or ')} for a differential privacy guarantee, or leave epsilon out.` : 'Leave epsilon out.',
        );
      }
      for (const f of fields) {
        const v = options[f.key];
        if (v === undefined) continue;
        checkField(d, f, v);
      }
      return { ...defaultOptions(id), ...options };
    },
    loadSynthesizer,
    async deserializeModel(s) {
      if (!byId.has(s.synthesizer)) throw new Error(`Unknown synthesizer "${String(s.synthesizer)}"`);
      return (await loadSynthesizer(s.synthesizer)).deserialize(s);
    },
    estimateFitSeconds: estimate,
    fitCostWarning(id, shape) {
      const d = descriptorOf(id);
      const seconds = estimate(id, shape);
      if (!(seconds > SLOW_FIT_SECONDS)) return undefined;
      let faster: EngineDescriptor<Id> | undefined;
      let best = Infinity;
      for (const o of descriptors) {
        if (o.id === id) continue;
        const s = estimate(o.id, shape);
        if (s < best) [best, faster] = [s, o];
      }
      const alternative = faster && best < seconds / 3 ? `, or use the ${faster.label} (${faster.id}, ~${duration(best)})` : '';
      return new UserError(
        `The ${d.label} synthesizer would take ~${duration(seconds)} on this table (${shape.rows} rows × ${shape.numericColumns + shape.categoricalColumns} columns).`,
        `Keep columns out${alternative}.`,
      );
    },
  };
}

function checkField(d: EngineDescriptor, f: OptionField, v: unknown): void {
  const what = `${f.label} (${f.key}, --${flagOf(f)})`;
  const of = `the ${d.label} synthesizer`;
  if (f.kind === 'boolean') {
    if (typeof v !== 'boolean') throw new UserError(`${what} of ${of} must be true or false, got ${JSON.stringify(v)}.`, f.help);
    return;
  }
  if (f.kind === 'column-order') {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      throw new UserError(`${what} of ${of} must be a list of column names, got ${JSON.stringify(v)}.`, f.help);
    }
    return;
  }
  if (f.kind === 'choice') {
    if (typeof v !== 'string' || !f.choices.includes(v)) throw new UserError(`${what} of ${of} must be one of ${f.choices.join(', ')}, got ${JSON.stringify(v)}.`, f.help);
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${what} of ${of} must be a number, got ${JSON.stringify(v)}.`, f.help);
  if (f.kind === 'integer' && !Number.isInteger(v)) throw new UserError(`${what} of ${of} must be a whole number, got ${v}.`, f.help);
  if (f.min !== undefined && v < f.min) throw new UserError(`${what} of ${of} must be at least ${f.min}, got ${v}.`, `${f.help} Default ${f.default}.`);
  if (f.max !== undefined && v > f.max) throw new UserError(`${what} of ${of} must be at most ${f.max}, got ${v}.`, `${f.help} Default ${f.default}.`);
}

/** "40 seconds", "3 minutes", "2.5 hours". */
export function duration(seconds: number): string {
  if (seconds < 1.5) return '1 second';
  if (seconds < 90) return `${Math.round(seconds)} seconds`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round((seconds / 3600) * 10) / 10} hours`;
}

/** The engines Facsimile ships. */
export const registry: EngineRegistry<SynthesizerId> = createRegistry(ENGINE_DESCRIPTORS);

export const SYNTHESIZER_IDS: readonly SynthesizerId[] = registry.ids;
export const isSynthesizerId = (id: string): id is SynthesizerId => registry.isId(id);
export const descriptorOf = (id: SynthesizerId): EngineDescriptor<SynthesizerId> => registry.descriptorOf(id);
export const defaultOptions = (id: SynthesizerId): Record<string, unknown> => registry.defaultOptions(id);
export const validateOptions = (id: SynthesizerId, options: Record<string, unknown>): Record<string, unknown> => registry.validateOptions(id, options);
export const loadSynthesizer = (id: SynthesizerId): Promise<Synthesizer> => registry.loadSynthesizer(id);
export const deserializeModel = (s: SerializedModel): Promise<Model> => registry.deserializeModel(s);
export const fitCostWarning = (id: SynthesizerId, shape: TableShape): UserError | undefined => registry.fitCostWarning(id, shape);

/**
 * Compatibility for callers written before the descriptors: `synthesizers[id].fit(...)` and
 * `.deserialize(s).sample(...)` as before, each engine still loaded on first use (a deserialized
 * model loads its engine when it first samples). New code: `await loadSynthesizer(id)`.
 */
export const synthesizers = Object.fromEntries(ENGINE_DESCRIPTORS.map((d) => [d.id, createSynthesizer(d)])) as Record<SynthesizerId, Synthesizer>;
