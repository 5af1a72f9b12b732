/**
 * The transformer on WebGPU, in its own file: headless Chromium exposes WebGPU only with a launch flag, and
 * a launch option applies to a whole file. Without a GPU here, the adapter is SwiftShader's (software).
 */
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { test, expect } from './guard';
import { openSynthTab } from './synthesize';

test.use({ launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs, '--enable-unsafe-webgpu'] } });

test('the transformer trains and generates on WebGPU where the browser has an adapter', async ({ page }) => {
  // SwiftShader compiles each shader in software: 3 epochs of penguins take about a minute here.
  test.setTimeout(300_000);
  await openSynthTab(page, 'penguins.csv');
  const adapter = await page.evaluate(async () => !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
  test.skip(!adapter, 'this Chromium offers no WebGPU adapter');
  await page.locator('[data-synthesizer="transformer"]').click();
  await page.getByTestId('opt-epochs').fill('3');
  await page.getByTestId('opt-size').selectOption('small');
  await page.locator('details', { hasText: 'Advanced options' }).locator('summary').click();
  await page.getByTestId('opt-backend').selectOption('webgpu');
  await page.getByTestId('train').click();
  await expect(page.getByTestId('training-note')).toHaveText(/^It trained 3 epochs on webgpu \(best [1-3]\)/, { timeout: 180_000 });
  // Losses read back from the GPU (tfjs's synchronous WebGPU read gave zeros here).
  const losses = (await page.getByTestId('training-curve').innerText()).match(/epoch 3: training loss ([\d.]+), validation loss ([\d.]+)/);
  expect(losses).not.toBeNull();
  expect(Number(losses![1])).toBeGreaterThan(1);
  expect(Number(losses![2])).toBeGreaterThan(1);
  await page.getByTestId('rows').fill('200');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('sample-rows')).toHaveText('200', { timeout: 120_000 });
});
