import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount, newPage, signIn, signUp } from './app.js';
import { launchBrowser, screenshot } from './browser.js';

const url = inject('serverUrl');
let browser: Browser;
let alice: Page;
let aliceAgain: Page;
const firmA = newAccount('Globex');
const firmB = newAccount('Initech');

beforeAll(async () => {
  browser = await launchBrowser();
  alice = await newPage(browser);
  aliceAgain = await newPage(browser);
  await signUp(alice, url, firmA);
  await signIn(aliceAgain, url, firmA.email, firmA.password);
});
afterAll(async () => {
  await browser?.close();
});

async function createDeal(page: Page, name: string) {
  await page.goto(`${url}/deals`);
  await page.getByTestId('board').waitFor();
  await page.getByRole('button', { name: 'New deal' }).click();
  await page.getByLabel('Deal name').fill(name);
  await page.getByLabel('Value').fill('5000');
  await page.getByRole('button', { name: 'Create deal' }).click();
  await page.getByTestId('deal-card').filter({ hasText: name }).waitFor();
}

describe('live updates and tenant isolation', () => {
  it('shows a deal created in one browser on the board of another, without a reload', async () => {
    await aliceAgain.goto(`${url}/deals`);
    await aliceAgain.getByTestId('board').waitFor();
    await aliceAgain.waitForTimeout(1500); // the live stream connects
    await createDeal(alice, 'Globex renewal');
    const started = Date.now();
    await aliceAgain.getByTestId('deal-card').filter({ hasText: 'Globex renewal' }).waitFor({ timeout: 10_000 });
    console.log(`live update arrived ${Date.now() - started} ms after the card appeared in the first browser`);
    await screenshot(aliceAgain, 'live-board');
  });

  it('shows a contact renamed in one browser in the list of the other', async () => {
    await alice.goto(`${url}/contacts`);
    await alice.getByRole('button', { name: 'New contact' }).click();
    await alice.getByLabel('First name').fill('Hank');
    await alice.getByLabel('Last name').fill('Scorpio');
    await alice.getByRole('button', { name: 'Create contact' }).click();
    await alice.getByRole('heading', { name: 'Hank Scorpio' }).waitFor();
    await aliceAgain.goto(`${url}/contacts`);
    await aliceAgain.getByRole('link', { name: 'Hank Scorpio' }).waitFor();
    await aliceAgain.waitForTimeout(1000);
    await alice.getByRole('button', { name: /Edit Title/ }).click();
    await alice.getByRole('textbox', { name: 'Title' }).fill('Supervillain');
    await alice.keyboard.press('Enter');
    await alice.getByRole('button', { name: /Edit Title: Supervillain/ }).waitFor();
    await aliceAgain.getByText('Supervillain').waitFor({ timeout: 10_000 });
  });

  it('a second firm sees none of the first firm\'s data', async () => {
    const bob = await newPage(browser);
    await signUp(bob, url, firmB);
    await bob.goto(`${url}/contacts`);
    await bob.getByText('No contacts yet').waitFor();
    await bob.goto(`${url}/deals`);
    await bob.getByTestId('board').waitFor();
    expect(await bob.getByTestId('deal-card').count()).toBe(0);
    await bob.keyboard.press('Control+k');
    await bob.getByRole('combobox', { name: 'Search records and sections' }).fill('Globex');
    await bob.getByText('0 records found.').waitFor();
    await bob.keyboard.press('Escape');
    // A direct link to the first firm's deal is simply not found.
    await alice.goto(`${url}/deals`);
    const href = await alice.getByRole('link', { name: 'Globex renewal' }).getAttribute('href');
    await bob.goto(`${url}${href}`);
    await bob.getByText('Not found').waitFor();
    await screenshot(bob, 'other-tenant-not-found');
  });
});
