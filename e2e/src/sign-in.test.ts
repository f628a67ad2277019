import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.js';
import { startServer, type RunningServer } from './server.js';

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('first start', () => {
  it('prints the demo login, and a newcomer signs in with it in the browser', async () => {
    const login = /Demo login: (\S+) \/ (\S+)/.exec(server.output());
    expect(login).not.toBeNull();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByLabel('Email').fill(login![1]!);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('incorrect');
    await page.getByLabel('Password').fill(login![2]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Welcome/ }).waitFor();
    await screenshot(page, 'signed-in');
  });
});
