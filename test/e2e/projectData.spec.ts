/**
 * Real data under the user's control, end to end in Chromium (issue 16): encrypt a project with a
 * passphrase, reload and find it locked, a wrong passphrase refused with a clear message, the right one
 * opening it; a backup downloaded (encrypted) and restored in a fresh browser profile (another
 * machine); the real data deleted, then after a reload only synthetic data remains, in IndexedDB as on
 * screen, and the downloaded files say the same. A full disk (simulated) fails a write cleanly. The
 * no-egress guard is on throughout.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { guardEgress, test, expect } from './guard';
import { synthesizeAndSave } from './synthesize';

const PASSPHRASE = 'four penguins walk on ice';
const PENGUINS_HEADER = ['species', 'island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex', 'year'];

/** Every record of the app's IndexedDB as text (typed arrays as latin1 bytes): what the disk holds. */
function rawDatabaseText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('facsimile');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const out: string[] = [];
    const text = (v: unknown): string => {
      if (v === null || v === undefined) return '';
      if (ArrayBuffer.isView(v)) return Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), (b) => String.fromCharCode(b)).join('');
      if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}:${text(x)}`).join(' ');
      return String(v);
    };
    for (const name of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((res, rej) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      out.push(...all.map(text));
    }
    db.close();
    return out.join('\n');
  });
}

/** What IndexedDB holds for one project: datasets by origin with their column records, models with or without arrays. */
function storedProject(page: Page, projectId: string) {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('facsimile');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result as T[]);
        r.onerror = () => rej(r.error);
      });
    const datasets = (await all<{ id: string; projectId: string; origin: string; dataDeletedAt?: number; preview?: unknown; sealedPreview?: unknown }>('datasets')).filter((d) => d.projectId === id);
    const columns = await all<{ datasetId: string }>('columnData');
    const splits = await all<{ datasetId: string }>('splits');
    const models = (await all<{ id: string; projectId: string; dataDeletedAt?: number }>('models')).filter((m) => m.projectId === id);
    const modelData = await all<{ modelId: string }>('modelData');
    const reports = (await all<{ projectId: string; sealed?: unknown; report?: unknown }>('reports')).filter((r) => r.projectId === id);
    db.close();
    return {
      datasets: datasets.map((d) => ({
        origin: d.origin,
        deleted: !!d.dataDeletedAt,
        columns: columns.filter((c) => c.datasetId === d.id).length,
        split: splits.some((s) => s.datasetId === d.id),
        preview: !!(d.preview || d.sealedPreview),
      })),
      models: models.map((m) => ({ deleted: !!m.dataDeletedAt, arrays: modelData.some((x) => x.modelId === m.id) })),
      reports: reports.map((r) => ({ sealed: !!r.sealed, body: r.report !== undefined })),
    };
  }, projectId);
}

const projectIdOf = (page: Page) => new URL(page.url()).hash.split('/')[2];

async function unlock(page: Page, passphrase: string) {
  await page.getByTestId('unlock-passphrase').fill(passphrase);
  await page.getByTestId('unlock-button').click();
}

test('encrypt, lock, unlock, back up and restore, delete the real data', async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  page.on('dialog', (d) => void d.accept());

  // Import the sample, synthesize with the copula, keep the sample, evaluate it.
  await page.goto('/');
  await page.locator('[data-sample="penguins.csv"]').click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  const projectId = projectIdOf(page);

  // A full disk (simulated: every IndexedDB write of the page fails with QuotaExceededError): a rename
  // fails with a clear message and leaves the project as it was.
  await page.evaluate(() => {
    const w = window as unknown as { __restoreWrites: () => void };
    const saved = { put: IDBObjectStore.prototype.put, add: IDBObjectStore.prototype.add, update: IDBCursor.prototype.update };
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    IDBObjectStore.prototype.put = full;
    IDBObjectStore.prototype.add = full;
    IDBCursor.prototype.update = full;
    w.__restoreWrites = () => {
      IDBObjectStore.prototype.put = saved.put;
      IDBObjectStore.prototype.add = saved.add;
      IDBCursor.prototype.update = saved.update;
    };
  });
  await page.getByTestId('rename-project').click();
  await page.getByTestId('project-name-input').fill('Renamed on a full disk');
  await page.getByTestId('project-name-input').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Not enough browser storage to rename the project. Nothing was saved.' })).toBeVisible();
  await page.evaluate(() => (window as unknown as { __restoreWrites: () => void }).__restoreWrites());
  await page.reload();
  await expect(page.getByTestId('project-title')).toHaveText('Penguins', { timeout: 30_000 });

  await synthesizeAndSave(page, 'copula');
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByTestId('evaluate').click();
  await expect(page.getByTestId('report-view')).toBeVisible({ timeout: 90_000 });
  expect(await rawDatabaseText(page)).toContain('Adelie');

  // For the record: one PBKDF2-SHA-256 derivation at 600,000 iterations in this Chromium.
  const deriveMs = await page.evaluate(async () => {
    const t0 = performance.now();
    const material = await crypto.subtle.importKey('raw', new TextEncoder().encode('x'), 'PBKDF2', false, ['deriveKey']);
    await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 600_000 }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    return performance.now() - t0;
  });
  console.log(`PBKDF2-SHA-256, 600,000 iterations, in Chromium: ${deriveMs.toFixed(0)} ms`);

  // Encrypt with a passphrase: nothing of the data is left readable in IndexedDB.
  await page.getByTestId('project-data').locator(':scope > summary').click();
  await page.getByTestId('encrypt-passphrase').fill(PASSPHRASE);
  await page.getByTestId('encrypt-passphrase-again').fill(PASSPHRASE);
  await page.getByTestId('encrypt-project').click();
  await expect(page.getByTestId('encrypted-badge')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('encryption-state')).toContainText('600,000 iterations');
  const raw = await rawDatabaseText(page);
  for (const value of ['Adelie', 'Gentoo', 'Torgersen', 'Biscoe']) expect(raw).not.toContain(value);
  expect(raw).toContain('bill_length_mm'); // column names stay in clear, as the UI says
  const stored = await storedProject(page, projectId);
  expect(stored.reports).toEqual([{ sealed: true, body: false }]);

  // Reload: the workers (and the key) are gone, the project is locked.
  await page.reload();
  await expect(page.getByTestId('unlock-form')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: /rows/ })).toHaveCount(0);
  await unlock(page, 'four penguins walk on sand');
  await expect(page.getByTestId('unlock-error')).toContainText('Wrong passphrase', { timeout: 30_000 });
  await expect(page.getByTestId('unlock-passphrase')).toHaveValue('');
  await unlock(page, PASSPHRASE);
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  // The preview (sealed in storage) is opened by a worker and shows real rows again.
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('region', { name: /First .* rows/ })).toContainText(/Adelie|Gentoo|Chinstrap/, { timeout: 30_000 });
  // The report (sealed) opens too.
  await page.getByRole('tab', { name: 'Report' }).click();
  await expect(page.getByTestId('report-view')).toBeVisible({ timeout: 30_000 });
  // Lock: the unlock form is back.
  await page.getByTestId('project-data').locator(':scope > summary').click();
  await page.getByTestId('lock-project').click();
  await expect(page.getByTestId('unlock-form')).toBeVisible();
  await unlock(page, PASSPHRASE);
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });

  // Back up: one encrypted file.
  await page.getByTestId('project-data').locator(':scope > summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-project').click()]);
  expect(download.suggestedFilename()).toMatch(/\.facsimile\.zip$/);
  const backup = readFileSync(await download.path());
  expect(backup.toString('latin1')).not.toContain('Adelie');
  const manifest = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(backup))['manifest.json']));
  expect(manifest).toMatchObject({ format: 'facsimile-project-backup', formatVersion: 1, encrypted: true });

  // Restore on "another machine": a fresh browser profile, with the egress guard on too.
  const other = await browser.newContext();
  const otherOffOrigin = await guardEgress(other, new URL(baseURL!).origin);
  const page2 = await other.newPage();
  await page2.goto('/');
  await page2.getByTestId('restore-backup').setInputFiles(await download.path());
  await expect(page2.getByTestId('unlock-form')).toBeVisible({ timeout: 30_000 });
  expect(projectIdOf(page2)).toBe(projectId); // the same project, same ids
  await unlock(page2, PASSPHRASE);
  await expect(page2.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  await expect(page2.getByRole('region', { name: /First .* rows/ })).toContainText(/Adelie|Gentoo|Chinstrap/, { timeout: 30_000 });
  expect(await storedProject(page2, projectId)).toEqual(await storedProject(page, projectId));
  // A file that is not a backup: a clear message.
  await page2.getByTestId('restore-backup').setInputFiles({ name: 'data.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') });
  await expect(page2.getByTestId('restore-error')).toContainText('not a Facsimile project backup');
  await other.close();
  expect(otherOffOrigin).toEqual([]);

  // A new passphrase: everything re-sealed; after a lock only the new one opens the project.
  const NEW_PASSPHRASE = 'five penguins swim at dawn';
  await page.getByText('Change the passphrase').click();
  const rekey = page.getByTestId('rekey-form');
  await rekey.getByLabel('Current').fill(PASSPHRASE);
  await rekey.getByLabel('New').fill(NEW_PASSPHRASE);
  await rekey.getByLabel('Again').fill(NEW_PASSPHRASE);
  await rekey.getByRole('button', { name: 'Change' }).click();
  await expect(page.getByTestId('project-data-notice')).toContainText('The passphrase was changed', { timeout: 30_000 });
  await page.getByTestId('lock-project').click();
  await unlock(page, PASSPHRASE);
  await expect(page.getByTestId('unlock-error')).toContainText('Wrong passphrase', { timeout: 30_000 });
  await unlock(page, NEW_PASSPHRASE);
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('project-data').locator(':scope > summary').click();

  // Delete the real data: the confirmation lists what goes and what remains.
  await page.getByTestId('delete-real-data').click();
  await expect(page.getByTestId('delete-goes')).toContainText('Original "penguins.csv"');
  await expect(page.getByTestId('delete-goes')).toContainText('CART its donors');
  await expect(page.getByTestId('delete-remains')).toContainText('1 synthetic dataset');
  await page.getByTestId('delete-real-confirm-button').click();
  await expect(page.getByTestId('delete-real-result')).toContainText('Deleted 1 real dataset and the arrays of 1 model', { timeout: 30_000 });

  // Reload: locked again; unlocked, only synthetic data remains, on screen and in IndexedDB.
  await page.reload();
  await unlock(page, NEW_PASSPHRASE);
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByTestId('data-deleted-notice')).toContainText('Only synthetic data remains', { timeout: 30_000 });
  const after = await storedProject(page, projectId);
  expect(after.datasets.filter((d) => d.origin === 'import')).toEqual([{ origin: 'import', deleted: true, columns: 0, split: false, preview: false }]);
  expect(after.datasets.filter((d) => d.origin === 'synthetic' && d.columns === PENGUINS_HEADER.length && d.preview)).toHaveLength(1);
  expect(after.models).toEqual([{ deleted: true, arrays: false }]);
  expect(after.reports).toHaveLength(1);
  // The report still opens.
  await page.getByRole('tab', { name: 'Report' }).click();
  await expect(page.getByTestId('report-view')).toBeVisible({ timeout: 30_000 });

  // The downloaded files: the synthetic CSV still downloads whole; a new backup holds no real rows.
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download .* as/ }).first().click()]);
  const lines = readFileSync(await csv.path(), 'utf8').split('\n').filter((l) => l !== '');
  expect(lines[0].split(',')).toEqual(PENGUINS_HEADER);
  expect(lines.length).toBeGreaterThan(1);
  await page.getByTestId('project-data').locator(':scope > summary').click();
  const [backup2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-project').click()]);
  const m2 = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(await backup2.path())))['manifest.json']));
  const importRec = m2.records.datasets.find((d: { origin: string }) => d.origin === 'import');
  expect(importRec.dataDeletedAt).toBeGreaterThan(0);
  expect(m2.records.columns.filter((c: { datasetId: string }) => c.datasetId === importRec.id)).toEqual([]);
  expect(m2.records.modelData).toEqual([]);
});
