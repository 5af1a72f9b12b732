import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from './guard';

/**
 * Local text models in the app: a tiny model folder (npm run make-test-models) imported through the Models
 * page, stored in the browser and run in the text worker, with the no-egress guard on (guard.ts: any
 * request off the page's origin fails the test).
 */
const MODELS = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/models');

test('imports tiny model folders, runs them in the worker, and refuses a broken one', async ({ page }) => {
  await page.goto('/#/models');
  await expect(page.getByTestId('models-empty')).toBeVisible();

  await page.getByTestId('model-folder-input').setInputFiles(join(MODELS, 'tiny-ner'));
  await expect(page.getByTestId('model-row')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('model-row').first()).toContainText('tiny-ner');
  await expect(page.getByTestId('model-row').first()).toContainText('Named entities');
  await expect(page.getByTestId('model-row').first()).toContainText('fp32');

  // PII in free text: the patterns and the tiny NER model's entities, masked.
  await page.getByTestId('try-run').click();
  await expect(page.getByTestId('try-output')).toContainText('[PERSON] called [ORGANISATION] from [LOCATION] about the refund.', { timeout: 60_000 });
  await expect(page.getByTestId('try-output')).toContainText('Mail [EMAIL] or call [PHONE].');
  await expect(page.getByTestId('try-device')).toHaveText(/Ran on (WASM|WebGPU)\./);

  // Text generation: seeded, so the same twice.
  await page.getByTestId('model-folder-input').setInputFiles(join(MODELS, 'tiny-gpt2'));
  await expect(page.getByTestId('model-row')).toHaveCount(2, { timeout: 30_000 });
  const gpt = await page.getByTestId('try-model').locator('option', { hasText: 'tiny-gpt2' }).getAttribute('value');
  await page.getByTestId('try-model').selectOption(gpt!);
  await page.getByTestId('try-text').fill('the patient');
  await page.getByTestId('try-run').click();
  const first = await page.getByTestId('try-output').locator('li').first();
  await expect(first).not.toBeEmpty({ timeout: 60_000 });
  const text = await first.textContent();
  await page.getByTestId('try-run').click();
  await expect(page.getByTestId('try-output').locator('li').first()).toHaveText(text!, { timeout: 60_000 });

  // A folder with a file missing: a clear message, and nothing stored.
  const dir = mkdtempSync(join(tmpdir(), 'fx-model-'));
  try {
    cpSync(join(MODELS, 'tiny-embed'), join(dir, 'broken-embed'), { recursive: true });
    rmSync(join(dir, 'broken-embed/tokenizer.json'));
    await page.getByTestId('model-folder-input').setInputFiles(join(dir, 'broken-embed'));
    await expect(page.getByRole('alert')).toContainText('The model folder is missing tokenizer.json.', { timeout: 30_000 });
    await expect(page.getByTestId('model-row')).toHaveCount(2);
    // A renamed non-ONNX file.
    cpSync(join(MODELS, 'tiny-embed'), join(dir, 'fake-onnx'), { recursive: true });
    writeFileSync(join(dir, 'fake-onnx/onnx/model.onnx'), 'PK\u0003\u0004 a zip renamed');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('model-folder-input').setInputFiles(join(dir, 'fake-onnx'));
    await expect(page.getByRole('alert')).toContainText('onnx/model.onnx is not an ONNX model.', { timeout: 30_000 });
    await expect(page.getByTestId('model-row')).toHaveCount(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Deleting removes it from the list, and the list survives a reload.
  await page.reload();
  await expect(page.getByTestId('model-row')).toHaveCount(2);
  await page.getByTestId('model-row').filter({ hasText: 'tiny-ner' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('model-row')).toHaveCount(1);
});

test('PII scan of a text column with a NER model, a cleaned version, then texts from the word-level fallback, the NER leak guard and embedding metrics', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'fx-notes-'));
  try {
    // The first 400 rows of the free-text table (composed from vega-datasets' movies).
    const lines = readFileSync(join(MODELS, '../text/movie-notes.csv'), 'utf8').split('\n');
    const file = join(dir, 'notes.csv');
    writeFileSync(file, lines.slice(0, 401).join('\n') + '\n');
    // A NER model first, imported through the Models page, so the scan runs patterns and the model; and a
    // sentence-embedding model for the report's embedding metrics.
    await page.goto('/#/models');
    await page.getByTestId('model-folder-input').setInputFiles(join(MODELS, 'tiny-ner'));
    await expect(page.getByTestId('model-row')).toHaveCount(1, { timeout: 30_000 });
    await page.getByTestId('model-folder-input').setInputFiles(join(MODELS, 'tiny-embed'));
    await expect(page.getByTestId('model-row')).toHaveCount(2, { timeout: 30_000 });
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Profile & quality' }).click();
    await expect(page.getByTestId('findings')).toBeVisible({ timeout: 30_000 });
    // PII in the free text (patterns: no model here), then a cleaned version with placeholders.
    await page.getByTestId('text-pii-model').selectOption({ label: 'Patterns and tiny-ner' });
    await page.getByTestId('text-pii-scan').click();
    // The tiny model tags "alice" as a person (Alice in Wonderland is among the films); patterns find the rest.
    await expect(page.getByTestId('text-pii-results')).toContainText(/notes: \d+ of \d+ texts \(PERSON 1, PHONE \d+, EMAIL \d+\)/, { timeout: 30_000 });
    await expect(page.getByTestId('text-pii-results')).toContainText('[PERSON] in Wonderland');
    await expect(page.getByTestId('text-pii')).toContainText(/The model ran on (WASM|WebGPU)\./);
    await expect(page.getByTestId('text-pii-results')).not.toContainText('@example.com');
    await page.getByTestId('text-pii-clean').click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved a cleaned version with placeholders' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/notes\.csv — PII in text replaced · 400 rows/)).toBeVisible();
    await page.getByTestId('role-notes').selectOption('synthesize-text');
    await expect(page.getByRole('status').filter({ hasText: 'role synthesize-text' })).toBeVisible();
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await page.locator('[data-synthesizer="copula"]').click();
    await page.getByTestId('train').click();
    await expect(page.getByTestId('model-ready')).toContainText('Gaussian copula', { timeout: 60_000 });
    // Only text-generation models can write texts: the NER model is not offered.
    await expect(page.getByTestId('text-writer').locator('option')).toHaveText(['Built-in word model (does not read the row)']);
    await expect(page.getByTestId('no-text-models')).toBeVisible();
    // The NER model feeds the leak guard: offered with "none", the first stored one chosen.
    const ner = page.getByTestId('ner-model');
    await expect(ner.locator('option')).toHaveText(['None (8-word sequences only)', 'tiny-ner (bert, fp32)']);
    await expect(ner.locator('option:checked')).toHaveText('tiny-ner (bert, fp32)');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('stat-text-writer')).toHaveText(/word-level fallback/, { timeout: 60_000 });
    // The train texts were scanned with it; the fallback learns no word of one row, so it rewrites none.
    await expect(page.getByTestId('stat-entity-leaks')).toHaveText(/^\d+ \(names found by tiny-ner \((WASM|WebGPU)\)\)$/);
    const rows = page.getByRole('region', { name: /synthetic rows/ }).locator('tbody tr');
    await expect(rows.first()).toBeVisible({ timeout: 60_000 });
    const text = (await rows.allInnerTexts()).join('\n');
    // Sentences in the column's words, not "(rare)", and no real e-mail.
    expect(text).toMatch(/\b(dollars|minutes|rated|film)\b/i);
    expect(text).not.toMatch(/\t\(rare\)$/m); // the notes cell (last) is never the pooled label
    expect(text).not.toMatch(/@example\.com/);

    // Saved, then evaluated: the report's text section has the embedding metrics of the tiny model, with the
    // holdout as the ceiling.
    await page.getByTestId('save-synthetic').click();
    await expect(page.getByTestId('save-synthetic')).toHaveText('Saved');
    await page.getByRole('tab', { name: 'Report' }).click();
    await expect(page.getByTestId('embed-model').locator('option:checked')).toHaveText('tiny-embed (bert, fp32)');
    await page.getByTestId('evaluate').click();
    const embedding = page.getByTestId('report-text').locator('[data-testid="report-text-embedding"][data-column="notes"]');
    await expect(embedding).toBeVisible({ timeout: 90_000 });
    await expect(embedding.getByTestId('report-text-embedding-model')).toHaveText('tiny-embed');
    await expect(embedding.locator('caption')).toContainText('16 dimensions');
    for (const figure of ['centroid-cosine', 'discriminator-auc', 'nearest-train-share']) {
      await expect(embedding.locator(`tr[data-figure="${figure}"] td`)).toHaveText([/^-?\d\.\d{3}$/, /^-?\d\.\d{3}$/]);
    }
    await expect(page.getByTestId('report-text-no-embedding')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('texts written by an imported text-generation model, seeded; the report shows the text section', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'fx-notes-'));
  try {
    const lines = readFileSync(join(MODELS, '../text/movie-notes.csv'), 'utf8').split('\n');
    const file = join(dir, 'notes.csv');
    writeFileSync(file, lines.slice(0, 401).join('\n') + '\n');
    await page.goto('/#/models');
    await page.getByTestId('model-folder-input').setInputFiles(join(MODELS, 'tiny-gpt2'));
    await expect(page.getByTestId('model-row')).toHaveCount(1, { timeout: 30_000 });
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Profile & quality' }).click();
    await page.getByTestId('role-notes').selectOption('synthesize-text');
    await expect(page.getByRole('status').filter({ hasText: 'role synthesize-text' })).toBeVisible();
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await page.locator('[data-synthesizer="copula"]').click();
    await page.getByTestId('train').click();
    await expect(page.getByTestId('model-ready')).toContainText('Gaussian copula', { timeout: 60_000 });

    // The picker lists the stored generator next to the built-in word model, which is the default.
    const writer = page.getByTestId('text-writer');
    await expect(writer.locator('option')).toHaveText(['Built-in word model (does not read the row)', /^tiny-gpt2 \(gpt2, fp32\)$/]);
    await expect(writer).toHaveValue('');
    await page.getByTestId('rows').fill('40');
    await page.getByTestId('sample-seed').fill('7');
    const notes = page.getByRole('region', { name: /synthetic rows/ }).locator('tbody tr td:last-child');

    // The fallback first: saved, for the report.
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('stat-text-writer')).toHaveText(/word-level fallback/, { timeout: 60_000 });
    await expect(notes).toHaveCount(40);
    const fallback = await notes.allInnerTexts();
    await page.getByTestId('save-synthetic').click();
    await expect(page.getByTestId('save-synthetic')).toHaveText('Saved');

    // The same seed with tiny-gpt2: its texts, labelled with the model and the device.
    await writer.selectOption({ label: 'tiny-gpt2 (gpt2, fp32)' });
    await expect(page.getByTestId('few-shot')).toHaveValue('0');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('stat-text-writer')).toHaveText(/^tiny-gpt2 \((WASM|WebGPU)\)$/, { timeout: 90_000 });
    await expect(page.getByTestId('save-synthetic')).toHaveText('Save to project');
    await expect(notes).toHaveCount(40);
    const written = await notes.allInnerTexts();
    expect(written).not.toEqual(fallback);
    expect(written.filter((t) => t.trim() !== '').length).toBeGreaterThan(10);

    // Another seed gives other texts; the first seed again gives the same texts.
    await page.getByTestId('sample-seed').fill('8');
    await page.getByTestId('generate').click();
    await expect.poll(() => notes.allInnerTexts(), { timeout: 90_000 }).not.toEqual(written);
    await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 90_000 });
    await page.getByTestId('sample-seed').fill('7');
    await page.getByTestId('generate').click();
    await expect(notes).toHaveText(written, { timeout: 90_000 });
    await expect(page.getByTestId('stat-text-writer')).toHaveText(/^tiny-gpt2 \((WASM|WebGPU)\)$/);

    // Few-shot examples (cleaned training texts in the prompts): drawn from the train part in the worker. The
    // tiny model is a bigram table (its next word depends on the last word only), so only the run is checked.
    await page.getByTestId('few-shot').fill('2');
    await page.getByTestId('sample-seed').fill('9');
    await page.getByTestId('generate').click();
    await expect.poll(() => notes.allInnerTexts(), { timeout: 90_000 }).not.toEqual(written);
    await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 90_000 });
    await expect(page.getByTestId('stat-text-writer')).toHaveText(/^tiny-gpt2 /);
    await expect(page.getByRole('alert')).toHaveCount(0);

    // The report of the saved (fallback) sample: the text section, with the holdout as the ceiling. No
    // sentence-embedding model is stored: the panel and the section say how to get the embedding metrics.
    await page.getByRole('tab', { name: 'Report' }).click();
    await expect(page.getByTestId('no-embed-models')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('evaluate').click();
    const section = page.getByTestId('report-text');
    await expect(section).toBeVisible({ timeout: 90_000 });
    const table = section.locator('[data-testid="report-text-column"][data-column="notes"]');
    await expect(table.locator('thead')).toContainText('Holdout (ceiling)');
    await expect(table.locator('tr[data-figure="present"] td')).toHaveText([/^\d+\.\d%$/, /^\d+\.\d%$/, /^\d+\.\d%$/]);
    await expect(table.locator('tr[data-figure="distinct"] td').nth(1)).toHaveText(/^\d+\.\d%$/);
    await expect(table.locator('tr[data-figure="length-ratio"] td').nth(1)).toHaveText(/^\d+\.\d\d$/);
    await expect(table.locator('tr[data-figure="vocabulary-tv"] td').nth(2)).toHaveText(/^0\.\d{3}$/);
    // The fallback never learns a word of fewer than 5 texts, so it copies no 8-word sequence of one row.
    await expect(section.getByTestId('report-text-leaks')).toHaveText('0');
    await expect(section.getByTestId('report-text-no-embedding')).toContainText('import a sentence-embedding model');
    // The exported HTML report has the same section.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-html').click()]);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toContain('<h2>Free text</h2>');
    expect(html).toContain('data-text-column="notes"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
