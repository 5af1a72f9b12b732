import type { Page } from '@playwright/test';
import { test, expect } from './guard';
import { synthesizeAndSave } from './synthesize';

async function importSample(page: Page, file = 'penguins.csv') {
  await page.goto('/');
  await page.locator(`[data-sample="${file}"]`).click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
}

/** Train the Bayesian network with ε (values and ranges public), generate and save one synthetic table. */
const synthesizeWithEpsilon = (page: Page, epsilon: number) => synthesizeAndSave(page, 'bayesnet', { epsilon });

test('the ε curve of a Bayesian network report: computed in a worker, drawn, saved with the report', async ({ page }) => {
  await importSample(page);
  await synthesizeWithEpsilon(page, 1);
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByTestId('evaluate').click();
  await expect(page.getByTestId('scorecard')).toContainText(/2-way accuracy/, { timeout: 90_000 });

  const section = page.getByTestId('epsilon-curve');
  await expect(section).toBeVisible();
  await expect(page.getByTestId('epsilon-curve-table')).toHaveCount(0);
  await page.getByTestId('epsilon-curve-compute').click();

  const rows = page.getByTestId('epsilon-curve-row');
  await expect(rows).toHaveCount(6, { timeout: 60_000 });
  await expect(rows.locator('th')).toHaveText(['0.25', '0.5', '1', '2', '5', '∞']);
  for (let i = 0; i < 6; i++) await expect(rows.nth(i).locator('td').first()).toHaveText(/^\d\.\d{3}$/);
  await expect(rows.nth(2)).toContainText('this model’s ε');
  await expect(page.getByTestId('epsilon-curve-ceiling')).toContainText(/\d\.\d{3}/);
  await expect(page.getByTestId('epsilon-curve-refused')).toHaveCount(0);
  // The figure: an SVG with the ∞ tick and this model's ε marked.
  const figure = page.getByTestId('epsilon-curve-figure');
  await expect(figure.locator('svg[role="img"]')).toHaveCount(1);
  await expect(figure).toContainText('∞');
  await expect(figure).toContainText('this model (ε = 1)');
  await expect(figure).toContainText('holdout ceiling');
  expect(await figure.locator('circle').count()).toBeGreaterThanOrEqual(6);
  const numbers = await rows.locator('td:first-of-type').allInnerTexts();
  const ceiling = (await page.getByTestId('epsilon-curve-ceiling').locator('td').first().innerText()).trim();
  console.log(`e2e ε curve (penguins, ε = 1 model, public domain): ${numbers.join(', ')}; ceiling ${ceiling}`);

  // Saved with the report: there after a reload, the same numbers, nothing recomputed.
  await page.reload();
  await expect(page.getByTestId('scorecard')).toContainText(/2-way accuracy/, { timeout: 30_000 });
  await expect(page.getByTestId('epsilon-curve-row')).toHaveCount(6);
  expect(await page.getByTestId('epsilon-curve-row').locator('td:first-of-type').allInnerTexts()).toEqual(numbers);
  await expect(page.getByTestId('epsilon-curve-figure').locator('svg[role="img"]')).toHaveCount(1);
  await expect(page.getByTestId('epsilon-curve-compute')).toHaveText('Compute ε curve again');
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])).toEqual([]);
});
