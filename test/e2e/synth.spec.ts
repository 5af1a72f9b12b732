import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './guard';
import { openSynthTab } from './synthesize';
import { installWorkerMessageProbe, takeWorkerCrossing } from './workerMessages';

const PENGUINS_HEADER = ['species', 'island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex', 'year'];
const ROWS = 200;

async function train(page: Page, synthesizer: 'copula' | 'bayesnet' | 'cart', label: string) {
  await page.locator(`[data-synthesizer="${synthesizer}"]`).click();
  await page.getByTestId('train').click();
  await expect(page.getByTestId('model-ready')).toContainText(label, { timeout: 60_000 });
}

async function generate(page: Page) {
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('sample-rows')).toHaveText(ROWS.toLocaleString('en'), { timeout: 30_000 });
}

function preview(page: Page) {
  return page.getByRole('region', { name: /synthetic rows/ });
}

async function previewText(page: Page, n = 5): Promise<string[]> {
  const rows = preview(page).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await rows.nth(i).innerText()).trim());
  return out;
}

async function downloadCsv(page: Page, button = page.getByTestId('download-csv')): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const path = await download.path();
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

test('each synthesizer trains on penguins, generates, previews with the input header, saves and downloads', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  // Only the train part (80% of 344) is shown to the model.
  await expect(page.getByTestId('train-note')).toContainText('275 of 344 rows');

  const runs = [
    { id: 'copula', label: 'Gaussian copula' },
    { id: 'bayesnet', label: 'Bayesian network' },
    { id: 'cart', label: 'CART' },
  ] as const;
  for (const [i, r] of runs.entries()) {
    await train(page, r.id, r.label);
    await page.getByTestId('rows').fill(String(ROWS));
    await generate(page);
    const header = await preview(page).locator('thead th').allInnerTexts();
    expect(header.slice(1)).toEqual(PENGUINS_HEADER);
    await expect(preview(page).locator('tbody tr')).toHaveCount(50);
    await expect(page.getByTestId('stat-redrawn')).toHaveText(/^\d+$/);
    await expect(page.getByTestId('stat-epsilon')).toHaveText('off');

    const lines = await downloadCsv(page);
    expect(lines[0].split(',')).toEqual(PENGUINS_HEADER);
    expect(lines.length).toBe(ROWS + 1);
    // Integers without ".0" and the input's species values.
    expect(lines[1].split(',')[0]).toMatch(/^(Adelie|Chinstrap|Gentoo|)$/);
    expect(lines[1].split(',')[7]).toMatch(/^(2007|2008|2009|)$/);

    await page.getByTestId('save-synthetic').click();
    await expect(page.getByTestId('save-synthetic')).toHaveText('Saved');
    await expect(page.getByTestId('history-item')).toHaveCount(i + 1);
  }
  await expect(page.getByTestId('history-item').first()).toContainText('CART');
  await expect(page.getByTestId('history-item').first()).toContainText('min leaf 5');

  // A saved dataset downloads again from the list, with the input header and all its rows.
  const saved = await downloadCsv(page, page.getByTestId('history-item').last().getByRole('button', { name: /as CSV/ }));
  expect(saved[0].split(',')).toEqual(PENGUINS_HEADER);
  expect(saved.length).toBe(ROWS + 1);

  // A saved dataset can be profiled (read-only, in a worker of its own): its rows, columns and figures.
  await page.getByTestId('history-item').last().getByTestId('profile-synthetic').click();
  const profile = page.getByTestId('synthetic-profile');
  await expect(profile.locator('caption')).toContainText(`${ROWS} rows × 8 columns`, { timeout: 30_000 });
  await expect(profile.locator('tbody tr')).toHaveCount(8);
  await expect(profile.locator('tbody')).toContainText('species');
});

test('the same seed gives the same rows; conditions hold; errors come with a hint', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  await train(page, 'copula', 'Gaussian copula');
  await page.getByTestId('rows').fill(String(ROWS));
  await generate(page);
  const first = await previewText(page);

  await page.getByTestId('generate').click();
  await expect(page.getByTestId('sample-result')).toBeVisible();
  expect(await previewText(page)).toEqual(first);

  // Training again with the same seed gives the same model, hence the same rows.
  await page.getByTestId('train').click();
  await expect(page.getByTestId('sample-result')).toBeHidden();
  await expect(page.getByTestId('generate')).toBeEnabled();
  await generate(page);
  expect(await previewText(page)).toEqual(first);

  // Another sample seed, other rows.
  await page.getByTestId('sample-seed').fill('7');
  await generate(page);
  await expect.poll(() => previewText(page)).not.toEqual(first);

  // A condition: species = Gentoo on every row.
  await page.getByLabel('Column to condition on').selectOption('species');
  await page.getByRole('button', { name: 'Add a condition' }).click();
  await page.getByLabel('species equals').selectOption('Gentoo');
  await page.getByTestId('generate').click();
  await expect.poll(async () => (await preview(page).locator('tbody tr td:nth-child(2)').allInnerTexts()).every((s) => s === 'Gentoo')).toBe(true);

  // A setting the engine refuses: a clear message and what to do.
  await page.locator('[data-synthesizer="bayesnet"]').click();
  await page.getByTestId('opt-epsilon-on').check();
  await page.getByTestId('opt-epsilon').fill('-1');
  await page.getByTestId('train').click();
  const alert = page.getByRole('alert');
  // Checked against the engine's descriptor before anything is sent to the worker.
  await expect(alert).toContainText('must be at least 0.01, got -1');
  await expect(alert).toContainText('smaller is more private');
  // The failed training leaves no "trained" status behind: Generate cannot silently use the old model.
  await expect(page.getByTestId('model-ready')).toBeHidden();
  await expect(page.getByTestId('generate')).toBeHidden();

  // A valid epsilon on a table too small to choose its values privately: refused, with the way out.
  await page.getByTestId('opt-epsilon').fill('1');
  await page.locator('[data-synthesizer="bayesnet"]').click();
  await page.getByTestId('train').click();
  await expect(alert).toContainText('too small to choose its values privately');
  await expect(alert).toContainText('Values and ranges are public');
  // Declared public (a codebook), the fit runs and the stats state ε.
  await page.getByTestId('opt-publicDomain').check();
  await train(page, 'bayesnet', 'ε = 1');
  await generate(page);
  await expect(page.getByTestId('stat-epsilon')).toHaveText('ε = 1');
});

test('cancel stops a long fit within a second, and a new fit still works', async ({ page }) => {
  // A table big enough that a CART fit takes many seconds on any machine (txhousing fits in well under one).
  const dir = mkdtempSync(join(tmpdir(), 'fx-synth-'));
  const file = join(dir, 'long-fit.csv');
  const lines = ['group,x,y,n,flag,day'];
  for (let i = 0; i < 150_000; i++) {
    const g = i % 37;
    const x = ((i * 7919) % 10007) / 10;
    lines.push(`g${g},${x.toFixed(1)},${(x * 0.5 + g + (i % 13)).toFixed(2)},${i % 101},${i % 3 ? 'yes' : 'no'},2020-01-${String((i % 28) + 1).padStart(2, '0')}`);
  }
  writeFileSync(file, lines.join('\n'));
  try {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await page.locator('[data-synthesizer="cart"]').click();
    await page.getByTestId('train').click();
    await expect(page.getByRole('progressbar')).toBeVisible();
    await page.getByTestId('cancel').click();
    await expect(page.getByTestId('run-status')).toHaveText('Cancelled', { timeout: 2_000 });
    await expect(page.getByRole('progressbar')).toBeHidden();
    await expect(page.getByTestId('model-ready')).toBeHidden();

    // A fresh fit right after runs to the end and samples.
    await train(page, 'copula', 'Gaussian copula');
    await page.getByTestId('rows').fill(String(ROWS));
    await generate(page);
    const header = await preview(page).locator('thead th').allInnerTexts();
    expect(header.slice(1)).toEqual(['group', 'x', 'y', 'n', 'flag', 'day']);
    await expect(preview(page).locator('tbody tr').first()).toContainText('2020-01-');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a table too small to learn from is answered with a clear message and a hint', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'fx-synth-'));
  const file = join(dir, 'tiny.csv');
  writeFileSync(file, 'name,size\nx,1\n');
  try {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await page.getByTestId('train').click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('needs at least 2');
    await expect(alert).toContainText('Load a table with more rows');
    await expect(page.getByTestId('model-ready')).toBeHidden();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workers own the data: Generate on CART sends ids, not the model; unsaved samples are replaced, saved ones kept', async ({ page, context }) => {
  await context.addInitScript(installWorkerMessageProbe);
  await openSynthTab(page, 'penguins.csv');
  await page.locator('[data-synthesizer="cart"]').click();
  await takeWorkerCrossing(page);
  await page.getByTestId('train').click();
  await expect(page.getByTestId('model-ready')).toContainText('CART', { timeout: 60_000 });
  const fit = await takeWorkerCrossing(page);
  // The fit request names the dataset: the 275 training rows stay in the worker (they are ~20 KB as arrays).
  expect(fit.toWorker).toBeLessThan(4_000);

  await page.getByTestId('rows').fill(String(ROWS));
  await generate(page);
  const gen = await takeWorkerCrossing(page);
  // CART's model holds every training value as donors; only the model id and settings go over...
  expect(gen.toWorker).toBeLessThan(2_000);
  // ...and the stored dataset's record with a 100-row preview comes back, never the table's arrays.
  expect(gen.largest).toBeLessThan(60_000);

  // An unsaved sample is a draft: generating again replaces it, and the history stays empty.
  await expect(page.getByTestId('history-item')).toHaveCount(0);
  await page.getByTestId('sample-seed').fill('9');
  await generate(page);
  await expect(page.getByTestId('history-item')).toHaveCount(0);
  await page.getByTestId('save-synthetic').click();
  await expect(page.getByTestId('save-synthetic')).toHaveText('Saved');
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await generate(page);
  await expect(page.getByTestId('history-item')).toHaveCount(1);

  // The saved sample survives a reload (the model too: Generate works again after it).
  await page.reload();
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await expect(page.getByTestId('history-item').first()).toContainText('seed 9');
  // A saved sample opens its stored preview without reading the table.
  await page.getByTestId('history-item').first().getByRole('button', { name: /^Preview/ }).click();
  await expect(page.getByRole('region', { name: /First \d+ of 200 synthetic rows/ }).locator('tbody tr').first()).toBeVisible();
});

test('CSV downloads neutralise spreadsheet formulas by default; the setting turns it off', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'fx-synth-'));
  const file = join(dir, 'formulas.csv');
  const lines = ['cmd,n'];
  for (let i = 0; i < 60; i++) lines.push(`${i % 2 ? '=HYPERLINK("x")' : '@SUM(1)'},${(i % 7) - 3}`);
  writeFileSync(file, lines.join('\n'));
  try {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await train(page, 'copula', 'Gaussian copula');
    await page.getByTestId('rows').fill('50');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('sample-rows')).toHaveText('50', { timeout: 30_000 });
    const guarded = (await downloadCsv(page)).slice(1).map((l) => l.split(','));
    expect(guarded.every(([cmd]) => cmd.startsWith("'=") || cmd.startsWith("'@") || cmd.startsWith('"\'=') || cmd === '')).toBe(true);
    // Negative numbers are values, not formulas: untouched.
    expect(guarded.some(([, n]) => n.startsWith('-'))).toBe(true);
    await page.getByTestId('formula-guard').uncheck();
    const raw = (await downloadCsv(page)).slice(1);
    expect(raw.some((l) => l.startsWith('@SUM(1)') || l.startsWith('"=HYPERLINK'))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a numeric range condition holds on every row; an unfinished condition is flagged, not ignored', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  await train(page, 'copula', 'Gaussian copula');
  await page.getByTestId('rows').fill(String(ROWS));
  await page.getByLabel('Column to condition on').selectOption('body_mass_g');
  await page.getByRole('button', { name: 'Add a condition' }).click();
  await page.getByLabel('body_mass_g min').fill('4000');
  await page.getByLabel('body_mass_g max').fill('4500');
  await generate(page);
  const masses = await preview(page).locator('tbody tr td:nth-child(7)').allInnerTexts();
  expect(masses.length).toBeGreaterThan(0);
  for (const m of masses) expect(Number(m)).toBeGreaterThanOrEqual(4000), expect(Number(m)).toBeLessThanOrEqual(4500);

  // A categorical condition left on "(choose a value)" is an error with a hint.
  await page.getByLabel('Column to condition on').selectOption('island');
  await page.getByRole('button', { name: 'Add a condition' }).click();
  await page.getByTestId('generate').click();
  await expect(page.getByRole('alert')).toContainText('The condition on "island" has no value chosen');
});

test('projects and synthetic datasets can be renamed; the project tabs follow the arrow keys', async ({ page }) => {
  await openSynthTab(page, 'penguins.csv');
  // ARIA tabs: the selected tab has the focus; arrows move between tabs.
  await page.getByRole('tab', { name: 'Synthesize' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Report' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Report' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Report' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Synthesize' })).toHaveAttribute('aria-selected', 'true');

  await page.getByTestId('rename-project').click();
  await page.getByTestId('project-name-input').fill('Antarctic birds');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('project-title')).toContainText('Antarctic birds');
  await expect(page.getByRole('navigation', { name: 'Projects' })).toContainText('Antarctic birds');

  await train(page, 'copula', 'Gaussian copula');
  await page.getByTestId('rows').fill(String(ROWS));
  await generate(page);
  await page.getByTestId('save-synthetic').click();
  const item = page.getByTestId('history-item').first();
  await expect(item.getByTestId('history-name')).toHaveText(/^Gaussian copula · seed 42 · 200 rows$/);
  await item.getByRole('button', { name: /^Rename/ }).click();
  await item.getByRole('textbox').fill('for the partner lab');
  await item.getByRole('button', { name: 'Save' }).click();
  await expect(item.getByTestId('history-name')).toHaveText('for the partner lab');
  await page.reload();
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  await expect(page.getByTestId('history-name').first()).toHaveText('for the partner lab');
});

test('direct identifiers default to fake values that are never real ones', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'fx-synth-'));
  const file = join(dir, 'people.csv');
  const first = ['Anna', 'Bram', 'Chloé', 'Daan', 'Eva', 'Finn', 'Greta', 'Hugo'];
  const last = ['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit'];
  const lines = ['full_name,email,age,plan'];
  for (let i = 0; i < 120; i++) {
    const f = first[i % first.length], l = last[(i * 3) % last.length];
    lines.push(`${f} ${l},${f.toLowerCase()}.${l.replace(/ /g, '').toLowerCase()}${i}@example.org,${20 + (i % 50)},${i % 3 ? 'basic' : 'pro'}`);
  }
  writeFileSync(file, lines.join('\n'));
  const real = new Set(lines.slice(1).flatMap((l) => l.split(',').slice(0, 2)));
  try {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Profile & quality' }).click();
    await expect(page.getByTestId('role-full_name')).toHaveValue('fake');
    await expect(page.getByTestId('role-email')).toHaveValue('fake');
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await train(page, 'copula', 'Gaussian copula');
    await page.getByTestId('rows').fill('100');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('sample-rows')).toHaveText('100', { timeout: 30_000 });
    const rows = (await downloadCsv(page)).slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(100);
    for (const [name, email] of rows) {
      expect(real.has(name), `fake name ${name} is a real one`).toBe(false);
      expect(real.has(email)).toBe(false);
      expect(email).toContain('@');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CART trains on a table with a constant, an all-missing and a fully pooled column', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'fx-synth-'));
  const file = join(dir, 'awkward.csv');
  const lines = ['group,x,constant,empty,rare_code'];
  for (let i = 0; i < 150; i++) lines.push(`g${i % 4},${((i * 37) % 101) / 10},same,,r${i}`);
  writeFileSync(file, lines.join('\n'));
  try {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    // Make sure every column is synthesized (the defaults may keep some out), as a user could.
    await page.getByRole('tab', { name: 'Profile & quality' }).click();
    for (const col of ['constant', 'empty', 'rare_code']) {
      const role = page.getByTestId(`role-${col}`);
      if ((await role.inputValue()) !== 'synthesize') {
        await role.selectOption('synthesize');
        await expect(role).toHaveValue('synthesize');
      }
    }
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await train(page, 'cart', 'CART');
    await page.getByTestId('rows').fill('60');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('sample-rows')).toHaveText('60', { timeout: 30_000 });
    const rows = (await downloadCsv(page)).slice(1).map((l) => l.split(','));
    expect(rows.every((r) => r[2] === 'same' && r[3] === '')).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
