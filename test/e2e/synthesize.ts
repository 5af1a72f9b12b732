import type { Page } from '@playwright/test';
import { expect } from './guard';

/** Opens a bundled sample as a new project and shows its Synthesize tab. */
export async function openSynthTab(page: Page, file: string) {
  await page.goto('/');
  await page.locator(`[data-sample="${file}"]`).click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  await expect(page.getByTestId('train')).toBeVisible();
}

/**
 * On an open project: train a synthesizer with its defaults (or with ε, the codebook declared public:
 * penguins is too small to choose its values privately at ε = 1), generate, and save the sample.
 */
export async function synthesizeAndSave(page: Page, synthesizer: 'copula' | 'bayesnet' | 'cart', opts: { epsilon?: number } = {}) {
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  await page.locator(`[data-synthesizer="${synthesizer}"]`).click();
  if (opts.epsilon !== undefined) {
    await page.getByTestId('opt-epsilon-on').check();
    await page.getByTestId('opt-epsilon').fill(String(opts.epsilon));
    await page.getByTestId('opt-publicDomain').check();
  }
  await page.getByTestId('train').click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('sample-result')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('save-synthetic').click();
  await expect(page.getByTestId('save-synthetic')).toHaveText('Saved');
}
