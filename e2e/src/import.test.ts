import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount, newPage, signUp } from './app.js';
import { launchBrowser, screenshot } from './browser.js';

const url = inject('serverUrl');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  await signUp(page, url, newAccount('Importer'));
});
afterAll(async () => {
  await browser?.close();
});

function csv(rows: number): string {
  const lines = ['First Name,Last Name,Email,Job Title'];
  for (let i = 0; i < rows; i++) lines.push(`Person${i},Imported${i},person${i}@import.example,Analyst`);
  lines.push('Broken,Row,not-an-email,Analyst');
  return lines.join('\n');
}

describe('CSV import', () => {
  it('uploads, maps with suggestions, shows dry-run errors, runs with progress, and can be undone', async () => {
    await page.goto(`${url}/contacts`);
    await page.getByRole('link', { name: 'Import' }).click();
    await page.locator('#imp-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(300)) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('heading', { name: /Map the columns of people.csv/ }).waitFor();
    expect(await page.getByLabel('Field for column Email').inputValue()).toBe('email');
    await screenshot(page, 'import-mapping');
    await page.getByRole('button', { name: 'Check for errors' }).click();
    await page.getByText(/301 rows: 300 to create/).waitFor();
    await page.getByRole('cell', { name: /email/i }).first().waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const status = page.getByTestId('import-status');
    await status.waitFor();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^completed · 100% · 301 rows · 300 created/);
    await screenshot(page, 'import-done');
    await page.getByRole('link', { name: 'Open contacts' }).click();
    // The list loads 200 per page, so 300 contacts show as the first page with more to scroll.
    await page.getByText(/^(300 records|200 loaded, scroll for more)$/).waitFor();
    await page.goBack();
    await page.getByRole('button', { name: 'Undo import' }).click();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^undone/);
    await page.goto(`${url}/contacts`);
    await page.getByText('No contacts yet').waitFor();
  });
});
