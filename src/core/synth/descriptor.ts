import type { Engine } from './engine';

/**
 * What the app and the CLI know about an engine before loading it: the picker, the options form,
 * the CLI's usage text and validation, and the defaults all render from these descriptors.
 * Adding an engine is one folder (fit.ts, model.ts, serialize.ts, descriptor.ts, index.ts) plus one
 * line in the registry.
 *
 * A descriptor module must stay light: it imports no engine code (only `load()` does, dynamically),
 * so that listing the engines (the picker, `facsimile --help`) loads none of them.
 */
interface FieldBase {
  /** Key in the options object handed to the engine (e.g. 'minLeafSize'). */
  key: string;
  label: string;
  help: string;
  /** CLI flag without the dashes (e.g. 'min-leaf'); defaults to the key in kebab case. Booleans: see below. */
  flag?: string;
  /**
   * Expert setting: the CLI offers it, a form may tuck it away. Defaults to false.
   */
  advanced?: boolean;
}

export type OptionField =
  | (FieldBase & {
      kind: 'number' | 'integer';
      default: number;
      min?: number;
      max?: number;
      step?: number;
      /**
       * Optional numbers (e.g. epsilon): off unless the user turns them on. `default` is the value
       * offered when turned on; defaultOptions() leaves the key out.
       */
      optional?: boolean;
    })
  /**
   * A switch. On the CLI, `flag` names the switch that flips the default: by default `no-<key>` for a
   * field on by default (e.g. `--no-smoothing`), `<key>` for one off by default.
   */
  | (FieldBase & { kind: 'boolean'; default: boolean })
  /** A visit order over the model's columns (CART), by name. Default: schema order. CLI: `--order a,b,c`. */
  | (FieldBase & { kind: 'column-order' })
  /**
   * One of a few named values (the transformer's size: auto, small, medium). CLI: `--size small`.
   * The numeric fields are never set; they keep forms written for numbers type-checking.
   */
  | (FieldBase & { kind: 'choice'; default: string; choices: readonly string[]; optional?: undefined; min?: undefined; max?: undefined; step?: undefined });

/** The shape of a table, for cost estimates made before anything is fitted. */
export interface TableShape {
  rows: number;
  /** Columns the model learns, by how they are stored. */
  numericColumns: number;
  categoricalColumns: number;
  /** Most levels of any categorical column (after rare pooling, roughly). */
  maxLevels: number;
}

export interface EngineDescriptor<Id extends string = string> {
  id: Id;
  label: string;
  /** One line on what the engine is good for. */
  description: string;
  /** Whether the engine can spend a differential-privacy budget (honours `epsilon`). */
  differentialPrivacy: boolean;
  /** Whether the fit seed changes the model (CART's trees are deterministic). */
  seedAffectsFit: boolean;
  /** The engine's own options; the pipeline's COMMON_OPTIONS apply to every engine on top. */
  options: OptionField[];
  /**
   * Rough fit time in seconds (a 2020s laptop core, Node or a browser worker), so that a slow fit can
   * be flagged before it starts. Each engine says in a comment what it was calibrated on.
   */
  estimateFitSeconds(shape: TableShape): number;
  /** The engine's code, loaded on first use. */
  load(): Promise<Engine>;
}

/** Options of the shared pipeline, offered for every engine. Keys are those of CommonOptions. */
export const COMMON_OPTIONS: readonly OptionField[] = [
  {
    kind: 'integer',
    key: 'rareCategoryThreshold',
    label: 'Rare-category threshold (k)',
    help: 'Categories seen fewer than k times are pooled into one protected label.',
    default: 5,
    min: 1,
    step: 1,
    flag: 'rare',
  },
  {
    kind: 'boolean',
    key: 'redrawLeakedRows',
    label: 'Redraw leaked rows',
    help: 'Redraw synthetic rows identical to a training row that is unique in the training data, beyond the share a fresh sample of real rows would copy. Off under differential privacy, which makes it unnecessary.',
    default: true,
    flag: 'keep-leaks',
  },
  {
    kind: 'boolean',
    key: 'redrawQuasiIdentifierMatches',
    label: 'Redraw quasi-identifier matches',
    help: 'Redraw synthetic rows whose age, sex, postcode and similar columns together match a training row unique on them, beyond the share a fresh sample of real people would match by chance.',
    default: false,
    flag: 'redraw-qi',
  },
  {
    kind: 'boolean',
    key: 'allowOutOfBounds',
    label: 'Allow values out of bounds',
    help: 'Allow numeric values outside the real minimum and maximum.',
    default: false,
    advanced: true,
  },
];

/** The CLI flag of a field, without dashes. */
export function flagOf(field: OptionField): string {
  if (field.flag) return field.flag;
  const kebab = field.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return field.kind === 'boolean' && field.default ? `no-${kebab}` : kebab;
}

/** A descriptor with its id kept as a literal type (so that the registry can derive SynthesizerId). */
export function defineEngine<const Id extends string>(d: EngineDescriptor<Id>): EngineDescriptor<Id> {
  return d;
}
