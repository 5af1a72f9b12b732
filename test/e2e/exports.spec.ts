import type { Download, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { test, expect } from './guard';
import { synthesizeAndSave } from './synthesize';

const PENGUINS_HEADER = 'species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year';

async function download(page: Page, button: ReturnType<Page['getByRole']>): Promise<{ name: string; bytes: Buffer }> {
  const [d]: [Download, void] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

/** Train a copula, generate, save: one saved synthetic table in the history. */
const synthesize = (page: Page) => synthesizeAndSave(page, 'copula');

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('import → synthesize → report → export zip (data, provenance, report); the export re-imported says it is generation 1', async ({ page }) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'fx-e2e-exports-'));
  try {
    await page.goto('/');
    await page.locator('[data-sample="penguins.csv"]').click();
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    // Real data: no generation warning.
    await expect(page.getByTestId('generation-warning')).toHaveCount(0);
    await synthesize(page);

    await page.getByRole('tab', { name: 'Report' }).click();
    await page.getByTestId('evaluate').click();
    await expect(page.getByTestId('report-view')).toBeVisible({ timeout: 90_000 });

    // Export the saved table as a zip with its provenance and report.
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    await expect(page.getByTestId('export-format')).toHaveValue('csv');
    await page.getByTestId('export-bundle').check();
    const item = page.getByTestId('history-item').first();
    const zip = await download(page, item.getByRole('button', { name: /as zip$/ }));
    expect(zip.name).toMatch(/\.zip$/);
    const files = unzipSync(new Uint8Array(zip.bytes));
    const names = Object.keys(files).sort();
    const dataName = names.find((n) => n.endsWith('.csv'))!;
    expect(names).toEqual([dataName, 'provenance.json', 'report.html'].sort());
    const prov = JSON.parse(strFromU8(files['provenance.json']));
    expect(prov).toMatchObject({ generator: 'Facsimile', synthesizer: 'copula', generation: 1, dataFile: { name: dataName, format: 'csv', sha256: sha(files[dataName]) } });
    expect(prov.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(prov.sourceFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof prov.fitSeed).toBe('number');
    expect(typeof prov.sampleSeed).toBe('number');
    expect(Number.isNaN(Date.parse(prov.createdAt))).toBe(false);
    const lines = strFromU8(files[dataName]).split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe(PENGUINS_HEADER);
    expect(lines.length - 1).toBe(prov.rows);
    expect(prov.rows).toBeGreaterThan(200);
    // A hash and settings, never a value of the real data.
    expect(JSON.stringify(prov)).not.toMatch(/Adelie|Torgersen|Biscoe/);
    const report = strFromU8(files['report.html']);
    expect(report).toMatch(/^<!doctype html>/i);
    expect(report).toContain('Facsimile report');

    // The CSV alone, dropped back in: recognised by the fingerprint the export stored.
    const csvPath = join(dir, dataName);
    writeFileSync(csvPath, files[dataName]);
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(csvPath);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/This file is a Facsimile synthetic export \(generation 1\)\. Training on synthetic output compounds its errors/).first()).toBeVisible();
    await page.getByRole('tab', { name: 'Synthesize' }).click();
    const warning = page.getByTestId('generation-warning');
    await expect(warning).toContainText('generation 1');
    await expect(warning).toContainText('synthesize from the real source');

    // Synthesized again from that export: generation 2, in the history and in the Parquet file's metadata.
    await synthesize(page);
    const again = page.getByTestId('history-item').first();
    await expect(again).toContainText('generation 2');
    await page.getByTestId('export-format').selectOption('parquet');
    await page.getByTestId('export-bundle').check();
    const pq = await download(page, again.getByRole('button', { name: /as zip$/ }));
    const pqFiles = unzipSync(new Uint8Array(pq.bytes));
    expect(JSON.parse(strFromU8(pqFiles['provenance.json'])).generation).toBe(2);
    expect(Object.keys(pqFiles).some((n) => n.endsWith('.parquet'))).toBe(true);
    expect(pqFiles['report.html']).toBeUndefined(); // no report on this table yet

    // The zip dropped in as a whole: its provenance.json says generation 2.
    const zipPath = join(dir, pq.name);
    writeFileSync(zipPath, pq.bytes);
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(zipPath);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/Facsimile synthetic export \(generation 2\)/).first()).toBeVisible();

    // An edited export (its fingerprint unknown) picked together with its provenance file: the sidecar says what it is.
    const edited = strFromU8(files[dataName]).split('\n').filter((l) => l !== '').slice(0, -1).join('\n') + '\n';
    writeFileSync(join(dir, 'edited.csv'), edited);
    writeFileSync(join(dir, 'edited.provenance.json'), files['provenance.json']);
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([join(dir, 'edited.provenance.json'), join(dir, 'edited.csv')]);
    await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('project-title')).toContainText(/edited/i);
    await expect(page.getByText(/Facsimile synthetic export \(generation 1\)/).first()).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
