import { esc } from './format';
import type { Report } from './types';

/**
 * The report's free-text section: per text column, presence, variety, length and vocabulary of the synthetic
 * texts against the training texts, with the holdout's own figures as the ceiling, the leak count, and the
 * embedding metrics when a sentence-embedding model was given. Numbers only, never a text.
 */
export function textSection(r: Report): string {
  const cols = r.text ?? [];
  if (cols.length === 0) return '';
  const f = (x: number | undefined | null, d = 3) => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
  const rows = cols.map((t) => {
    const s = t.synthetic, h = t.holdout;
    const row = (label: string, syn: string, hold: string) => `<tr><td>${label}</td><td class="n">${syn}</td><td class="n">${hold}</td></tr>`;
    const e = t.embedding, c = t.embeddingCeiling;
    // The holdout's figure beside each synthetic one: the ceiling, as in the table above.
    const ceil = (x: number | undefined) => (c ? ` (holdout ${f(x)})` : '');
    return `<h3>${esc(t.column)}</h3>
<table data-text-column="${esc(t.column)}"><thead><tr><th>Figure</th><th class="n">Synthetic</th><th class="n">Holdout (ceiling)</th></tr></thead><tbody>
${row('Texts present (real: ' + f(s.real.presentShare) + ')', f(s.synthetic.presentShare), f(h?.synthetic.presentShare))}
${row('Distinct texts', f(s.synthetic.distinctShare), f(h?.synthetic.distinctShare))}
${row('Mean length, × real', f(s.meanLengthRatio, 2), f(h?.meanLengthRatio, 2))}
${row('Length distribution, KS distance', f(s.lengthKs), f(h?.lengthKs))}
${row('Vocabulary, total variation distance', f(s.vocabularyTv), f(h?.vocabularyTv))}
${row('Words the real texts use', f(s.vocabularyCoverage), f(h?.vocabularyCoverage))}
${row('Texts with an 8-word sequence of exactly one real row', String(s.uniqueNgramTexts), h ? String(h.uniqueNgramTexts) : '–')}
</tbody></table>${
      e
        ? `<p class="small">Embeddings (${esc(e.model)}, ${e.dimensions} dimensions, ${e.sampleSize} texts a side): centroid cosine ${f(e.centroidCosine)}${ceil(c?.centroidCosine)}; discriminator AUC ${f(e.discriminatorAuc)}${ceil(c?.discriminatorAuc)} (0.5: cannot tell); share of synthetic texts nearer to a training text than to any holdout text ${f(e.nearestTrainShare)}${ceil(c?.nearestTrainShare)} (about 0.5: no closer than fresh texts).</p>`
        : ''
    }`;
  });
  return `<h2>Free text</h2>
<p class="small muted">Synthetic texts against the training texts; the holdout (real texts no model saw) shows what a fresh sample scores.</p>
${rows.join('\n')}`;
}
