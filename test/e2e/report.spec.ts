import type { Download, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect } from './guard';
import { synthesizeAndSave } from './synthesize';

async function importSample(page: Page, file = 'penguins.csv') {
  await page.goto('/');
  await page.locator(`[data-sample="${file}"]`).click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
}

/** Train, generate and save one synthetic table through the Synthesize tab. */
const synthesize = synthesizeAndSave;

async function downloaded(page: Page, button: ReturnType<Page['getByTestId']>): Promise<{ name: string; text: string }> {
  const [d]: [Download, void] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

test('evaluate synthetic tables: scorecard, charts, comparison, saved reports, exports and print', async ({ page }) => {
  await importSample(page);
  await page.getByRole('tab', { name: 'Report' }).click();
  await expect(page.getByTestId('no-synthetic')).toBeVisible();

  await synthesize(page, 'copula');
  await synthesize(page, 'bayesnet', { epsilon: 1 });

  // Both tables are listed (newest first, and chosen by default); choose the older one too.
  await page.getByRole('tab', { name: 'Report' }).click();
  const list = page.getByTestId('synthetic-list');
  await expect(list.locator('li')).toHaveCount(2);
  await expect(list.locator('li').first()).toContainText('Bayesian network, ε = 1');
  await expect(list.locator('li').nth(1)).toContainText('Gaussian copula');
  await expect(page.getByTestId('target')).toHaveValue('auto');
  await list.locator('li').nth(1).getByRole('checkbox').check();
  await page.getByTestId('evaluate').click();

  // Side by side, with a suggestion and its rule.
  const compare = page.getByTestId('compare');
  await expect(compare.locator('tbody tr')).toHaveCount(2, { timeout: 90_000 });
  await expect(compare.getByTestId('suggested')).toHaveCount(1);
  await expect(page.getByText(/Rule: among the reports without a poor privacy verdict/)).toBeVisible();
  // Every symbol of the table is explained in a key under it.
  const key = page.getByTestId('compare-key');
  for (const sym of ['● good', '◐ fair', '○ poor', 'F · P · U', 'suggested', 'ceiling']) await expect(key).toContainText(sym);

  // The report of the newest table (Bayesian network, ε = 1).
  const view = page.getByTestId('report-view');
  await expect(view.locator('h3')).toContainText('Bayesian network (seed');
  await expect(view.locator('h3')).toContainText('ε = 1');
  // The header states the data version, the model with its options, and the seeds it was made with.
  const provenance = page.getByTestId('report-provenance');
  await expect(provenance).toContainText('data: penguins.csv');
  await expect(provenance).toContainText('model: Bayesian network');
  await expect(provenance).toContainText('ε = 1');
  await expect(provenance).toContainText('fit seed 42');
  await expect(provenance).toContainText('sample seed 42');
  const fidelity = page.getByTestId('score-fidelity');
  await expect(fidelity).toContainText(/2-way accuracy \d\.\d{3} \(ceiling \d\.\d{3}\)/);
  await expect(page.getByTestId('score-privacy')).toContainText(/DCR share \d+\.\d% \(ideal 50%\)/);
  await expect(page.getByTestId('score-utility')).toContainText(/TSTR macro-F1 \d\.\d{3} vs TRTR \d\.\d{3}/);
  await expect(page.getByTestId('score-fidelity')).toContainText(/discriminator AUC \d\.\d\d/);
  // Each verdict names the figure that decided it.
  await expect(page.getByTestId('decided-privacy')).toContainText(/DCR share|copies of unique training rows/);
  await expect(page.getByTestId('epsilon')).toContainText('ε = 1');
  await expect(page.getByTestId('privacy-figures')).toContainText('Copies of a unique training row');
  // Numbers are right-aligned in tabular figures.
  const numCell = page.getByTestId('privacy-figures').locator('tbody td.num').first();
  expect(await numCell.evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
  expect(await numCell.evaluate((el) => getComputedStyle(el).fontVariantNumeric)).toBe('tabular-nums');
  // Heatmaps: a colour legend each; values printed in cells this size, and in every cell's hover title.
  for (const name of ['Real (training)', 'Synthetic', 'Difference (synthetic − real)']) {
    const heat = view.getByRole('img', { name: `Association heatmap: ${name}` });
    await expect(heat.locator('svg[class$="-ramp"]')).toHaveCount(1);
    await expect(heat.locator('title').first()).toContainText(' × ');
    expect(await heat.locator('text').filter({ hasText: /^−?\d\.\d\d$/ }).count()).toBeGreaterThan(0);
  }
  await expect(view).toContainText(/Distances computed on \d+ rows sampled/);
  await expect(page.getByTestId('utility-figures')).toContainText('Ratio TSTR / TRTR');
  // The target was chosen automatically (a balanced category, never an id), and the report says which and why.
  await expect(page.getByTestId('target-reason')).toContainText(/"(species|island|sex)" was chosen as the utility target/);
  // Charts: 8 column distributions (with legends), 3 heatmaps, 1 DCR histogram, all drawn as SVG.
  await expect.poll(() => view.locator('.plot svg[role="img"], .plot figure[role="img"]').count()).toBeGreaterThanOrEqual(12);
  await expect(view.locator('.plot').first().locator('rect').first()).toBeAttached();
  const fidelityFigure = (await fidelity.locator('.figure').innerText()).trim();

  // The HTML export: one file, nothing fetched from anywhere, the same figures.
  const html = await downloaded(page, page.getByTestId('download-html'));
  expect(html.name).toMatch(/\.html$/);
  expect(html.text).toMatch(/^<!doctype html>/i);
  expect(html.text).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html.text).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
  expect(html.text).not.toMatch(/<script|<link|@import/i);
  expect(html.text).toContain('<svg');
  expect(html.text).toContain(fidelityFigure);
  expect(html.text).toContain('ε = 1');

  // The JSON export parses and holds the same scorecard.
  const json = await downloaded(page, page.getByTestId('download-json'));
  expect(json.name).toMatch(/\.json$/);
  const parsed = JSON.parse(json.text) as { version: number; scorecard: { fidelity: { figure: string } }; privacy: { dcr: { sampleSize: number } } };
  expect(parsed.version).toBe(1);
  expect(parsed.scorecard.fidelity.figure).toBe(fidelityFigure);
  expect(parsed.privacy.dcr.sampleSize).toBeGreaterThan(0);

  // The comparison exports as one HTML file too, with the suggestion.
  const both = await downloaded(page, page.getByRole('button', { name: 'Download comparison (HTML)' }));
  expect(both.text).toContain('Comparison');
  expect(both.text).toContain('Suggested');
  expect(both.text).toContain('Gaussian copula');
  expect(both.text).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);

  // Another report opens from the comparison.
  await compare.locator('tbody tr').filter({ hasText: 'Gaussian copula' }).getByRole('button', { name: 'View' }).click();
  await expect(view.locator('h3')).toContainText('Gaussian copula');
  await expect(page.getByTestId('epsilon')).toHaveCount(0);

  // Printing shows the report alone.
  await page.emulateMedia({ media: 'print' });
  await expect(view).toBeVisible();
  await expect(page.getByTestId('scorecard')).toBeVisible();
  await expect(page.getByTestId('evaluate')).toBeHidden();
  await expect(page.getByTestId('compare')).toBeHidden();
  await expect(page.getByRole('tablist')).toBeHidden();
  await expect(page.getByTestId('download-html')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  // Saved reports reopen after a reload without recomputing.
  await page.reload();
  await expect(page.getByTestId('compare').locator('tbody tr')).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('scorecard')).toContainText(/2-way accuracy/);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  expect(await cspViolations(page)).toEqual([]);
});

test('cancel stops an evaluation at once and saves nothing; a new one runs to the end', async ({ page }) => {
  await importSample(page, 'txhousing.csv');
  await synthesize(page, 'copula');
  await page.getByRole('tab', { name: 'Report' }).click();
  // Many rows for the distance metrics: long enough to cancel midway.
  await page.getByLabel('Rows sampled for distances').fill('8000');
  await page.getByTestId('evaluate').click();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Evaluation cancelled.')).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId('evaluate')).toBeEnabled();
  await expect(page.getByTestId('report-view')).toHaveCount(0);

  await page.getByLabel('Rows sampled for distances').fill('1000');
  await page.getByTestId('evaluate').click();
  await expect(page.getByTestId('scorecard')).toContainText(/2-way accuracy/, { timeout: 90_000 });
  await expect(page.getByTestId('report-view')).toContainText('Distances computed on 1,000 rows');
});
