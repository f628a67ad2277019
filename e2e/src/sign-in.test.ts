import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newPage } from './app.js';
import { launchBrowser, screenshot } from './browser.js';

const server = { url: inject('serverUrl'), output: () => inject('serverOutput') };
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('first start', () => {
  it('prints the demo login, and a newcomer signs in with it in the browser, stays signed in on reload, and signs out', async () => {
    const login = /Demo login: (\S+) \/ (\S+)/.exec(server.output());
    expect(login).not.toBeNull();
    const page = await newPage(browser);
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Pillar' }).waitFor();
    await page.getByLabel('Email').fill(login![1]!);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/incorrect/i);
    await page.getByLabel('Password').fill(login![2]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Primary' }).waitFor();
    await screenshot(page, 'signed-in');

    // The access token lives in memory only: a reload signs in again through the httpOnly refresh cookie.
    await page.reload();
    await page.getByRole('navigation', { name: 'Primary' }).waitFor();
    expect(await page.evaluate(() => JSON.stringify(localStorage) + document.cookie)).not.toMatch(/eyJ/);

    await page.locator('.user-menu summary').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Pillar' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Pillar' }).waitFor();
  });
});
