/**
 * What produced a synthetic dataset, read from the records the app stores (structural types here:
 * the engine knows nothing of IndexedDB). Used by the evaluate worker for the report's title and
 * notes, and by the page to label its lists.
 */
import { descriptorOf, isSynthesizerId } from '../synth/registry';
import { describeAccount, type PrivacyAccount } from '../synth/privacy/budget';

export interface OriginDataset {
  name: string;
  nRows: number;
  parentId?: string;
  createdAt: number;
  synthesis?: {
    modelId: string;
    synthesizer: string;
    options?: Record<string, unknown>;
    fitSeed: number;
    sampleSeed: number;
    conditions?: Record<string, unknown>;
    stats?: { epsilon?: number; privacy?: PrivacyAccount };
  };
}

export interface OriginModel {
  id: string;
  datasetId: string;
  createdAt: number;
  synthesizer: string;
  seed: number;
  options?: Record<string, unknown>;
}

export interface SyntheticOrigin {
  modelId?: string;
  synthesizer?: string;
  fitSeed?: number;
  sampleSeed?: number;
  /** Differential-privacy budget of the model, when it used one. */
  epsilon?: number;
  /** The fit's privacy ledger (total ε, δ and the split), when the model stored one. */
  privacy?: PrivacyAccount;
  /** Drawn under conditions: its distributions are meant to differ from the real data's. */
  conditional: boolean;
}

export function synthesizerName(id: string): string {
  return isSynthesizerId(id) ? descriptorOf(id).label : id;
}

const positive = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined);

/**
 * The provenance saved with a synthetic dataset; for one saved without it, the newest model fitted
 * on the same source dataset before the synthetic table was saved.
 */
export function originOf(synthetic: OriginDataset, models: OriginModel[]): SyntheticOrigin {
  const p = synthetic.synthesis;
  if (p) {
    const model = models.find((m) => m.id === p.modelId);
    return {
      modelId: p.modelId,
      synthesizer: p.synthesizer,
      fitSeed: p.fitSeed,
      sampleSeed: p.sampleSeed,
      epsilon: positive(p.stats?.epsilon) ?? positive(p.options?.epsilon) ?? positive(model?.options?.epsilon),
      ...(p.stats?.privacy ? { privacy: p.stats.privacy } : {}),
      conditional: p.conditions !== undefined && Object.keys(p.conditions).length > 0,
    };
  }
  let model: OriginModel | undefined;
  for (const m of models) {
    if (m.datasetId !== synthetic.parentId || m.createdAt > synthetic.createdAt) continue;
    if (!model || m.createdAt > model.createdAt) model = m;
  }
  if (!model) return { conditional: false };
  return { modelId: model.id, synthesizer: model.synthesizer, fitSeed: model.seed, epsilon: positive(model.options?.epsilon), conditional: false };
}

/**
 * A short label for what produced a synthetic table, e.g. "Bayesian network (seed 42, ε = 1) · 275 rows";
 * the dataset's own name when its origin is unknown.
 */
export function syntheticLabel(synthetic: OriginDataset, origin: SyntheticOrigin): string {
  if (!origin.synthesizer) return synthetic.name;
  const details: string[] = [];
  if (origin.fitSeed !== undefined) details.push(`seed ${origin.fitSeed}`);
  if (origin.epsilon !== undefined) details.push(`ε = ${origin.epsilon}`);
  if (origin.conditional) details.push('conditional');
  const what = `${synthesizerName(origin.synthesizer)}${details.length ? ` (${details.join(', ')})` : ''}`;
  return `${what} · ${synthetic.nRows.toLocaleString('en')} rows`;
}

/** Sentences about the synthetic table's origin that the figures depend on (kept in the exports too). */
export function originNotes(o: SyntheticOrigin): string[] {
  const out: string[] = [];
  if (o.epsilon !== undefined) {
    out.push(`The model was trained with differential privacy: ε = ${o.epsilon}${o.synthesizer ? ` (${synthesizerName(o.synthesizer)})` : ''}; smaller ε is more private.`);
    if (o.privacy) out.push(privacyNote(o.privacy));
  }
  if (o.conditional) out.push('The synthetic table was drawn under conditions, so its distributions are meant to differ from the real data: read fidelity with that in mind.');
  return out;
}

/** The ledger in one sentence: the total, δ, the split, the domain's status and the steps switched off. */
export function privacyNote(a: PrivacyAccount): string {
  const domain = a.publicDomain
    ? 'The category values and numeric ranges were declared public, so no budget was spent on them.'
    : 'Category values and numeric ranges were chosen privately (noisy counts, private quantiles).';
  const dropped = a.dropped.length ? ` Switched off under ε (they compare with exact rows): ${a.dropped.join('; ')}.` : '';
  return `Privacy budget spent: ${describeAccount(a)}. ${domain}${dropped}`;
}
