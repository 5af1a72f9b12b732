import { esc, pct } from './format';
import type { Report } from './types';

/** The report's rules section: per rule, the share of rows obeying it in training, holdout and synthetic rows. */
export function rulesSection(r: Report): string {
  const rules = r.rules ?? [];
  if (rules.length === 0) return '';
  const cell = (x: number | null, strict = false) => `<td class="n"${strict && x !== null && x < 1 ? ' style="color:#b91c1c;font-weight:600"' : ''}>${pct(x)}</td>`;
  return `<h2>Rules</h2>
<p class="small muted">Rules the rows obey: found in the training rows (kept by default when they hold in every row) or declared. Every synthesizer keeps the kept rules in every row it writes.</p>
<table data-rules><thead><tr><th>Rule</th><th>Source</th><th class="n">Training</th><th class="n">Holdout</th><th class="n">Synthetic</th></tr></thead><tbody>
${rules.map((x) => `<tr><td><code>${esc(x.rule)}</code></td><td>${x.source}</td>${cell(x.train)}${cell(x.holdout)}${cell(x.synthetic, true)}</tr>`).join('\n')}
</tbody></table>`;
}
