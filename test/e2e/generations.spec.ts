import type { Page } from '@playwright/test';
import { test, expect } from './guard';

async function importSample(page: Page, file = 'penguins.csv') {
  await page.goto('/');
  await page.locator(`[data-sample="${file}"]`).click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
}

test('generations view: 3 generations of a fast synthesizer, plotted against the holdout ceiling', async ({ page }) => {
  await importSample(page);
  await page.getByRole('tab', { name: 'Report' }).click();
  const view = page.getByTestId('generations');
  await expect(view).toBeVisible();
  await expect(view).toContainText('Model collapse');
  await expect(page.getByTestId('generations-count')).toHaveValue('5');

  await page.getByTestId('generations-synthesizer').selectOption('copula');
  await page.getByTestId('generations-count').fill('3');
  await page.getByTestId('generations-run').click();

  const table = page.getByTestId('generations-table');
  await expect(table.locator('tbody tr:not(.ceiling)')).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByTestId('generations-run')).toBeVisible();
  for (const row of await table.locator('tbody tr:not(.ceiling)').all()) await expect(row).toContainText(/0\.\d{3}/);
  await expect(page.getByTestId('generations-ceiling')).toContainText(/0\.\d{3}/);

  // The plot: one dot per generation and the ceiling as a rule.
  const plot = view.locator('.plot svg');
  await expect(plot).toHaveAttribute('aria-label', /2-way accuracy per generation/);
  await expect(plot.locator('g[aria-label="dot"] circle')).toHaveCount(3);
  await expect(plot.locator('g[aria-label="rule"] line')).toHaveCount(1);
});
