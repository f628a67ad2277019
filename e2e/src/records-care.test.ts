/** Keeping records clean: merging duplicates side by side, and getting a deleted record back from the trash. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiSignUp, fieldValue, newAccount, newPage, signIn, type ApiClient } from './app.js';
import { seriousViolations } from './axe.js';
import { launchBrowser, screenshot } from './browser.js';

const url = inject('serverUrl');
let browser: Browser;
let page: Page;
let api: ApiClient;
const account = newAccount('Tidy');

beforeAll(async () => {
  api = await apiSignUp(url, account);
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, url, account.email, account.password);
});
afterAll(async () => {
  await browser?.close();
});

const field = (name: string) => fieldValue(page, name);

describe('duplicates and the trash', () => {
  it('merges two duplicate contacts, taking the picked values, and lands on the kept record', async () => {
    const kept = await api.call<{ id: string }>('POST', '/contacts', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@analytical.test', phone: '+1 415 555 0100', title: 'Countess' });
    const dup = await api.call<{ id: string }>('POST', '/contacts', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada.king@engine.test', phone: '(415) 555-0100', title: 'Mathematician', department: 'Research' });
    await page.goto(`${url}/contacts/${kept.id}`);
    const card = page.getByRole('region', { name: 'Possible duplicates' });
    await card.getByText('same phone').waitFor();
    await card.getByRole('button', { name: 'Compare and merge with Ada Lovelace' }).click();
    const dialog = page.getByRole('dialog', { name: /^Merge/ });
    await dialog.getByRole('radio', { name: 'Use Title: Mathematician' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('radio', { name: 'Use Title: Mathematician' }).check();
    await dialog.getByRole('radio', { name: 'Use Primary email: ada.king@engine.test' }).check();
    await screenshot(page, 'merge-dialog');
    await dialog.getByRole('button', { name: 'Merge records' }).click();
    await page.getByText('Merged into “Ada Lovelace”').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/contacts/${kept.id}`);
    await field('Title').getByText('Mathematician').waitFor();
    await field('Email').getByText('ada.king@engine.test').waitFor();
    // Blanks were filled from the other record without asking.
    await field('Department').getByText('Research').waitFor();
    const trash = await api.call<{ data: { id: string }[] }>('GET', '/trash?entity=contacts');
    expect(trash.data.map((t) => t.id)).toContain(dup.id);
  });

  it('deletes a contact, then restores it from the trash', async () => {
    const grace = await api.call<{ id: string }>('POST', '/contacts', { first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.test' });
    await page.goto(`${url}/contacts/${grace.id}`);
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete Grace Hopper' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Grace Hopper moved to the trash').waitFor();
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Trash' }).click();
    await page.getByRole('heading', { name: 'Trash', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Grace Hopper' });
    await row.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'trash');
    await row.getByRole('button', { name: 'Restore Grace Hopper' }).click();
    await page.getByText('Restored “Grace Hopper”').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    const contact = await api.call<{ deleted_at: string | null }>('GET', `/contacts/${grace.id}`);
    expect(contact.deleted_at).toBeNull();
  });

  it('the contact page with its duplicates card has no serious accessibility violations', async () => {
    const a = await api.call<{ id: string }>('POST', '/contacts', { first_name: 'Alan', last_name: 'Turing', phone: '+44 20 7946 0100' });
    await api.call('POST', '/contacts', { first_name: 'A.', last_name: 'Turing', phone: '+442079460100' });
    await page.goto(`${url}/contacts/${a.id}`);
    await page.getByRole('region', { name: 'Possible duplicates' }).getByRole('link').first().waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
