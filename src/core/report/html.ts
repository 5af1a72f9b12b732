/**
 * The report as ONE self-contained HTML file: inline CSS and inline SVG, no script, no external
 * asset, so it opens offline and prints to a clean PDF. Several reports of one project render side
 * by side in a comparison table (the best one suggested), then one section each.
 */
import { provenanceLine, type Report, type ScoreCardEntry } from './types';
import { dateTick, esc, formatEpsilon, num, pct } from './format';
import { categoriesChart, dcrChart, heatmap, histogramChart, meter } from './svg';
import { suggestBest } from './compare';
import { rulesSection } from './rulesHtml';
import { textSection } from './textHtml';

const MAX_COLUMN_CHARTS = 40;
const MAX_PAIRS_LISTED = 15;

const CSS = `
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;margin:0;background:#f8fafc}
main{max-width:1080px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}.muted{color:#64748b}.small{font-size:12px}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin:12px 0}.card{background:#fff;border:1px solid #e2e8f0;border-left:6px solid #94a3b8;border-radius:6px;padding:10px 12px}
.card.good{border-left-color:#15803d}.card.fair{border-left-color:#b45309}.card.poor{border-left-color:#b91c1c}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#64748b}.card .v{font-weight:600;margin:2px 0}
.badge{display:inline-block;font-size:11px;font-weight:600;border-radius:10px;padding:1px 8px;color:#fff;background:#94a3b8}
.badge.good{background:#15803d}.badge.fair{background:#b45309}.badge.poor{background:#b91c1c}.badge.best{background:#2563eb}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0}th,td{border:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:10px}.cell{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:8px}
.row{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}svg .t{font-size:10px;fill:#334155}
.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}
section.report+section.report{margin-top:40px;border-top:3px solid #cbd5e1}
@media print{body{background:#fff}main{max-width:none;padding:0}.card,.cell,table,svg{break-inside:avoid}h2{break-after:avoid}
section.report+section.report{break-before:page;border:0}@page{margin:14mm}}
`;

/**
 * The exported file's own policy: no script, no request of any kind (inline SVG and CSS only), so an
 * opened report cannot run code or call out, wherever it is opened.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderReportHtml(input: Report | Report[]): string {
  const reports = Array.isArray(input) ? input : [input];
  const title = reports.length === 1 ? `Facsimile report: ${reports[0].label}` : `Facsimile reports: ${reports.length} synthetic tables compared`;
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="muted small">Fidelity, privacy and utility of synthetic data against the training rows and a holdout no synthesizer saw. Real data <span class="key" style="background:#94a3b8"></span>, synthetic data <span class="key" style="background:#2563eb"></span>.</p>`,
    reports.length > 1 ? comparison(reports) : '',
    ...reports.map((r, i) => reportSection(r, reports.length > 1 ? i + 1 : null)),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
<p class="muted small">Made by Facsimile, on this computer; the file holds no real rows, only summary figures and charts.</p>
</main></body></html>
`;
}

function comparison(reports: Report[]): string {
  const best = suggestBest(reports);
  const head = reports.map((r, i) => `<th>${esc(r.label)}${best?.index === i ? ' <span class="badge best">suggested</span>' : ''}</th>`).join('');
  const row = (label: string, cell: (r: Report) => string) => `<tr><th>${esc(label)}</th>${reports.map((r) => `<td class="n">${cell(r)}</td>`).join('')}</tr>`;
  const verdict = (e: ScoreCardEntry) => `<span class="badge ${e.level}">${e.level}</span>`;
  const acc = (r: Report, k: number) => `${num(r.fidelity.accuracy.synthetic[k])} <span class="muted">(${num(r.fidelity.accuracy.ceiling[k])})</span>`;
  return `<h2>Comparison</h2>
${best ? `<p><strong>Suggested:</strong> ${esc(best.reason)}</p>` : ''}
<table><thead><tr><th></th>${head}</tr></thead><tbody>
${row('Fidelity', (r) => verdict(r.scorecard.fidelity))}
${row('Privacy', (r) => verdict(r.scorecard.privacy))}
${row('Utility', (r) => verdict(r.scorecard.utility))}
${row('1-way accuracy (ceiling)', (r) => acc(r, 0))}
${row('2-way accuracy (ceiling)', (r) => acc(r, 1))}
${row('3-way accuracy (ceiling)', (r) => acc(r, 2))}
${row('Column shapes', (r) => num(r.fidelity.shapes))}
${row('Column pair trends', (r) => num(r.fidelity.pairs))}
${row('DCR share (ideal 50%)', (r) => pct(r.privacy.dcr.share))}
${row('Copies of unique training rows (holdout)', (r) => `${pct(r.privacy.exactCopies.uniqueSynthetic, 2)} <span class="muted">(${pct(r.privacy.exactCopies.uniqueHoldout, 2)})</span>`)}
${row('TSTR / TRTR', (r) => (r.utility ? pct(r.utility.ratio, 0) : '–'))}
${row('Discriminator AUC (ideal 0.5)', (r) => num(r.discriminator?.auc ?? null, 2))}
</tbody></table>`;
}

function reportSection(r: Report, n: number | null): string {
  return `<section class="report">
${n === null ? '' : `<h2>${n}. ${esc(r.label)}</h2>`}
<p class="muted">${r.rows.train.toLocaleString('en-US')} training rows, ${r.rows.holdout.toLocaleString('en-US')} holdout rows, ${r.rows.synthetic.toLocaleString('en-US')} synthetic rows; ${r.columns.length} columns evaluated; ${r.provenance ? '' : `report seed ${r.seed}.`}</p>${r.provenance ? `<p class="muted" data-provenance>${esc(provenanceLine(r.provenance, r.seed))}</p>` : ''}
${scorecard(r)}
${fidelity(r)}
${privacy(r)}
${utility(r)}
${rulesSection(r)}
${textSection(r)}
${diagnostics(r)}
<h2>How these figures were computed</h2>
<ul class="small">${r.notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
</section>`;
}

function scorecard(r: Report): string {
  const card = (name: string, e: ScoreCardEntry) =>
    `<div class="card ${e.level}"><div class="k">${name}</div><div class="v">${esc(e.verdict)}</div>${e.decidedBy ? `<div class="small">Decided by: ${esc(e.decidedBy)}</div>` : ''}<div class="small muted">${esc(e.figure)}</div></div>`;
  const s = r.scorecard;
  return `<div class="cards">${card('Fidelity', s.fidelity)}${card('Privacy', s.privacy)}${card('Utility', s.utility)}</div>`;
}

function fidelity(r: Report): string {
  const f = r.fidelity, acc = f.accuracy;
  const accRow = (k: number) =>
    `<tr><td>${k + 1}-way accuracy</td><td class="n">${num(acc.synthetic[k])}</td><td class="n">${num(acc.ceiling[k])}</td><td>${meter(acc.synthetic[k], acc.ceiling[k])}</td><td class="n">${acc.combinations[k]}</td></tr>`;
  const columns = f.columns.slice(0, MAX_COLUMN_CHARTS).map((c) => {
    const chart = c.distribution.type === 'histogram' ? histogramChart(c.distribution, c.name, c.datetime, c.noGrouping) : categoriesChart(c.distribution, c.name);
    const miss = c.distribution.type === 'histogram' && (c.distribution.missingReal > 0 || c.distribution.missingSynthetic > 0)
      ? `<div class="small muted">missing: real ${pct(c.distribution.missingReal)}, synthetic ${pct(c.distribution.missingSynthetic)}</div>` : '';
    return `<div class="cell"><div><strong>${esc(c.name)}</strong> <span class="muted small">${c.metric} ${num(c.score)}</span></div>${chart}${miss}</div>`;
  });
  const a = f.associations;
  const diff = a.real.map((row, i) => row.map((v, j) => (v === null || a.synthetic[i][j] === null ? null : Math.abs(v - (a.synthetic[i][j] as number)))));
  const pairs = f.pairList.slice(0, MAX_PAIRS_LISTED).map((p) =>
    `<tr><td>${esc(p.a)} × ${esc(p.b)}${p.matters ? ' <span class="badge fair">matters</span>' : ''}</td><td>${p.metric}</td><td class="n">${num(p.score)}</td><td class="n">${num(p.real, 2)}</td><td class="n">${num(p.synthetic, 2)}</td></tr>`);
  return `<h2>Fidelity</h2>
<table><thead><tr><th>Measure</th><th class="n">Synthetic</th><th class="n">Ceiling (holdout)</th><th></th><th class="n">Combinations</th></tr></thead><tbody>
${accRow(0)}${accRow(1)}${accRow(2)}
<tr><td>Column shapes</td><td class="n">${num(f.shapes)}</td><td></td><td>${meter(f.shapes, null)}</td><td></td></tr>
<tr><td>Column pair trends (all pairs)</td><td class="n">${num(f.pairs)}</td><td></td><td>${meter(f.pairs, null)}</td><td></td></tr>
<tr><td>Column pair trends (${f.pairsThatMatterCount} pairs that matter)</td><td class="n">${num(f.pairsThatMatter)}</td><td></td><td>${meter(f.pairsThatMatter, null)}</td><td></td></tr>
<tr><td>Overall quality = mean(shapes, pairs)</td><td class="n">${num(f.quality)}</td><td></td><td>${meter(f.quality, null)}</td><td></td></tr>
</tbody></table>
<p class="small muted">The ceiling is the same measure for the holdout, a fresh sample of the same population: a generator should reach it, not pass it.</p>
<h3>Columns, worst first</h3>
<div class="grid">${columns.join('')}</div>
${f.columns.length > MAX_COLUMN_CHARTS ? `<p class="small muted">${f.columns.length - MAX_COLUMN_CHARTS} more columns not drawn.</p>` : ''}
<h3>Associations: real, synthetic, difference</h3>
<p class="small muted">Pearson r between numeric columns (red negative, blue positive); Cramér's V for pairs with a category. Difference = |real − synthetic|.</p>
<div class="row"><div>${heatmap(a.real, a.columns, 'diverging', 'Associations in the real data')}<div class="small muted">Real</div></div>
<div>${heatmap(a.synthetic, a.columns, 'diverging', 'Associations in the synthetic data')}<div class="small muted">Synthetic</div></div>
<div>${heatmap(diff, a.columns, 'sequential', 'Absolute difference of associations')}<div class="small muted">Difference</div></div></div>
<h3>Column pairs, worst first</h3>
<table><thead><tr><th>Pair</th><th>Metric</th><th class="n">Score</th><th class="n">Real r / V</th><th class="n">Synthetic r / V</th></tr></thead><tbody>${pairs.join('')}</tbody></table>`;
}

function privacy(r: Report): string {
  const c = r.privacy.exactCopies, d = r.privacy.dcr;
  return `<h2>Privacy</h2>
<table><thead><tr><th>Measure</th><th class="n">Synthetic</th><th class="n">Holdout (reference)</th></tr></thead><tbody>
<tr><td>Rows identical to a training row</td><td class="n">${pct(c.synthetic, 2)} (${c.syntheticCount})</td><td class="n">${pct(c.holdout, 2)}</td></tr>
<tr><td>Rows identical to a training row unique in training</td><td class="n">${pct(c.uniqueSynthetic, 2)} (${c.uniqueSyntheticCount})</td><td class="n">${pct(c.uniqueHoldout, 2)}</td></tr>
${r.privacy.quasiIdentifiers ? `<tr><td>Rows matching a training row unique on its quasi-identifiers (${esc(r.privacy.quasiIdentifiers.columns.join(', '))})</td><td class="n">${pct(r.privacy.quasiIdentifiers.synthetic, 2)} (${r.privacy.quasiIdentifiers.syntheticCount})</td><td class="n">${pct(r.privacy.quasiIdentifiers.holdout, 2)}</td></tr>` : ''}
<tr><td>DCR share: rows closer to training than to holdout (ties half; ideal 50%)</td><td class="n">${pct(d.share)}</td><td class="n">50%</td></tr>
<tr><td>Median distance to the closest training row</td><td class="n">${num(d.medianSynthetic)}</td><td class="n">${num(d.medianHoldout)}</td></tr>
<tr><td>Median distance of random rows (baseline)</td><td class="n" colspan="2">${num(d.medianRandom)}</td></tr>
<tr><td>Nearest-neighbour distance ratio (mean)</td><td class="n">${num(d.nndrSynthetic)}</td><td class="n">${num(d.nndrHoldout)}</td></tr>
</tbody></table>
<p class="small muted">Distances on ${d.sampleSize.toLocaleString('en-US')} rows sampled from each table; ${pct(d.ties)} of synthetic rows were equally close to both.</p>
<div class="cell" style="display:inline-block">${dcrChart(d.histogramTrain, d.histogramHoldout)}
<div class="small muted"><span class="key" style="background:#2563eb"></span>synthetic → closest training row <span class="key" style="background:#94a3b8"></span>synthetic → closest holdout row</div></div>${epsilonCurve(r)}`;
}

/** The ε curve, when one was computed on the Report tab: a table of 2-way accuracy per budget. */
function epsilonCurve(r: Report): string {
  const c = r.epsilonCurve;
  if (!c) return '';
  const label = (e: number | null) => (e === null ? '∞ (no differential privacy)' : `ε = ${formatEpsilon(e)}${e === c.modelEpsilon ? ' (this model)' : ''}`);
  const rows = c.points.map((p) => `<tr><td>${label(p.epsilon)}</td><td class="n">${p.refused ? `refused: ${esc(p.refused.message)}` : num(p.twoWay, 3)}</td></tr>`);
  return `<h3>2-way accuracy against ε (Bayesian network)</h3>
<table><thead><tr><th>Budget</th><th class="n">2-way accuracy</th></tr></thead><tbody>${rows.join('')}
<tr><td>Holdout (ceiling)</td><td class="n">${num(c.ceiling, 3)}</td></tr></tbody></table>
<p class="small muted">Each point: the same options${c.publicDomain ? ' (values and ranges declared public)' : ''}, fit seed ${c.fitSeed}, ${c.rows.toLocaleString('en-US')} rows sampled, scored against the ${c.trainRows.toLocaleString('en-US')} training rows.</p>`;
}

function utility(r: Report): string {
  const disc = r.discriminator
    ? `<p>Discriminator AUC <strong>${num(r.discriminator.auc, 3)}</strong> (0.5 = real and synthetic rows cannot be told apart; 1 = always) on ${r.discriminator.rows.toLocaleString('en-US')} pooled rows.</p>`
    : '';
  const u = r.utility;
  const why = r.targetReason ? `<p class="muted">${esc(r.targetReason)}</p>` : '';
  if (!u) return `<h2>Utility</h2>${why || '<p class="muted">No target column was chosen, so train-on-synthetic / test-on-real was not measured.</p>'}${disc}`;
  const rows = u.task === 'classification'
    ? [['Macro-F1', u.tstr.macroF1, u.trtr.macroF1], ['Accuracy', u.tstr.accuracy, u.trtr.accuracy], ['ROC AUC (one-vs-rest)', u.tstr.auc, u.trtr.auc]]
    : [['R²', u.tstr.r2, u.trtr.r2]];
  return `<h2>Utility: predicting “${esc(u.target)}”</h2>${why}
<table><thead><tr><th>Measure (on the holdout)</th><th class="n">Trained on synthetic (TSTR)</th><th class="n">Trained on real (TRTR)</th></tr></thead><tbody>
${rows.map(([name, t, rr]) => `<tr><td>${name}</td><td class="n">${num(t as number | null)}</td><td class="n">${num(rr as number | null)}</td></tr>`).join('')}
<tr><th>TSTR / TRTR</th><td class="n" colspan="2"><strong>${pct(u.ratio, 0)}</strong></td></tr></tbody></table>
${u.noSignal ? `<p><strong>The model trained on the real rows predicts “${esc(u.target)}” no better than chance</strong> on the holdout, so the ratio compares noise with noise and says nothing about the synthetic rows. Choose a target the other columns predict.</p>` : ''}
<p class="small muted">Model: ${esc(u.model)}; ${u.trainRows.toLocaleString('en-US')} training rows at most, ${u.testRows.toLocaleString('en-US')} holdout rows.</p>${disc}`;
}

function diagnostics(r: Report): string {
  const d = r.diagnostics;
  const worst = [...d.boundaries, ...d.categories].filter((c) => c.score < 1).slice(0, 10);
  const dates = new Set(r.fidelity.columns.filter((c) => c.datetime).map((c) => c.name));
  const bound = (name: string, v: number | undefined) => (v !== undefined && dates.has(name) ? dateTick(v) : num(v ?? null, 4));
  return `<h2>Diagnostics</h2>
<table><tbody>
<tr><td>Boundary adherence (numbers inside the real min–max)</td><td class="n">${pct(d.boundaryAdherence)}</td></tr>
<tr><td>Category adherence (categories seen in training)</td><td class="n">${pct(d.categoryAdherence)}</td></tr>
<tr><td>Schema match (columns present with the same type)</td><td class="n">${pct(d.schemaMatch)}</td></tr>
${d.keyUniqueness.map((k) => `<tr><td>Key uniqueness: ${esc(k.name)}</td><td class="n">${pct(k.score)}</td></tr>`).join('')}
</tbody></table>
${d.missingColumns.length ? `<p>Missing from the synthetic table: ${esc(d.missingColumns.join(', '))}.</p>` : ''}
${d.extraColumns.length ? `<p class="muted">Extra columns in the synthetic table: ${esc(d.extraColumns.join(', '))}.</p>` : ''}
${worst.length ? `<table><thead><tr><th>Column</th><th class="n">Share valid</th><th>Detail</th></tr></thead><tbody>${worst.map((c) =>
    `<tr><td>${esc(c.name)}</td><td class="n">${pct(c.score)}</td><td>${c.unseen ? `new labels: ${esc(c.unseen.join(', '))}` : `real range ${bound(c.name, c.min)} – ${bound(c.name, c.max)}`}</td></tr>`).join('')}</tbody></table>` : ''}`;
}
