import type { Page } from '@playwright/test';
import { test, expect } from './guard';
import { openSynthTab } from './synthesize';

async function chooseTransformer(page: Page, epochs: number) {
  await page.locator('[data-synthesizer="transformer"]').click();
  await page.getByTestId('opt-epochs').fill(String(epochs));
  await page.getByTestId('opt-size').selectOption('small');
}

test('the transformer trains in the worker on WASM, plots its losses live, and generates rows', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  await chooseTransformer(page, 3);
  await page.getByTestId('train').click();
  // The backend the worker runs on is shown while it trains: WASM (with threads where the probe, on 4
  // cores or more, found them faster).
  await expect(page.getByTestId('training-backend')).toContainText(/wasm/i, { timeout: 90_000 });
  await expect(page.getByTestId('model-ready')).toContainText('Tabular transformer', { timeout: 90_000 });
  await expect(page.getByTestId('training-curve')).toContainText('epoch 3');
  await expect(page.getByTestId('training-note')).toHaveText(/^It trained 3 epochs on wasm( with \d+ threads)? \(best [1-3]\), ran its epochs( with the validation loss still falling \(more epochs should fit closer\))?\.$/);
  await expect(page.getByTestId('training-curve').locator('figure, svg').first()).toBeVisible();
  await page.getByTestId('rows').fill('200');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('sample-rows')).toHaveText('200', { timeout: 60_000 });
});

test('WASM with threads starts in the built app (cross-origin isolated, no blob: scripts) and trains exactly as without', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  await chooseTransformer(page, 3);
  await page.locator('details', { hasText: 'Advanced options' }).locator('summary').click();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const curves: string[] = [];
  for (const backend of ['wasm-threads', 'wasm']) {
    await page.getByTestId('opt-backend').selectOption(backend);
    await page.getByTestId('train').click();
    const label = backend === 'wasm' || cores < 2 ? /^It trained 3 epochs on wasm \(best/ : new RegExp(`^It trained 3 epochs on wasm with ${Math.min(4, cores)} threads \\(best`);
    await expect(page.getByTestId('training-note')).toHaveText(label, { timeout: 90_000 });
    curves.push((await page.getByTestId('training-curve').innerText()).replace(/Backend: [^·]*· /, ''));
  }
  // The same seed gives the same losses with threads as without (XNNPACK splits work, not sums).
  expect(curves[0]).toMatch(/epoch 3: training loss [\d.]+, validation loss [\d.]+/);
  expect(curves[0]).toBe(curves[1]);
});

test('a training interrupted by a closed tab resumes from its last checkpoint', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  await chooseTransformer(page, 500);
  await page.getByTestId('train').click();
  // Wait for a stored checkpoint (after epoch 2), then close the tab the hard way: reload.
  await expect(page.getByTestId('training-curve')).toContainText(/epoch [2-9]/, { timeout: 90_000 });
  await page.reload();
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  const banner = page.getByTestId('interrupted-training');
  await expect(banner).toContainText(/stopped after epoch \d+/, { timeout: 30_000 });
  const epoch = Number((await banner.innerText()).match(/after epoch (\d+)/)![1]);
  expect(epoch).toBeGreaterThanOrEqual(1);
  await page.getByTestId('resume-training').click();
  // The curve goes on from the checkpoint: its first epoch is the one after the saved one.
  await expect(page.getByTestId('training-curve')).toHaveAttribute('data-first-epoch', String(epoch + 1), { timeout: 90_000 });
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-status')).toHaveText('Cancelled');
  // The checkpoint is still offered, and Discard removes it.
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('discard-training').click();
  await expect(banner).toHaveCount(0);
});
