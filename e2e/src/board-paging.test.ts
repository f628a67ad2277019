/** A stage with more deals than a column's first page: the rest load by cursor as the column scrolls, and stay after a live refresh. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiSignUp, inParallel, newAccount, newPage, signIn, type ApiClient } from './app.js';
import { seriousViolations } from './axe.js';
import { launchBrowser, screenshot } from './browser.js';

const url = inject('serverUrl');
const DEALS = 260;
let browser: Browser;
let page: Page;
let api: ApiClient;
let stage: { id: string; name: string };
const account = newAccount('Busy');

beforeAll(async () => {
  api = await apiSignUp(url, account);
  const pipelines = await api.call<{ data: { stages: { id: string; name: string; kind: string }[] }[] }>('GET', '/pipelines');
  stage = pipelines.data[0]!.stages.find((s) => s.kind === 'open')!;
  await inParallel(DEALS, 4, (i) => api.call('POST', '/deals', { name: `Bulk deal ${String(i).padStart(3, '0')}`, value: '100', stage_id: stage.id }));
  browser = await launchBrowser();
  page = await newPage(browser);
  await signIn(page, url, account.email, account.password);
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

const column = () => page.locator(`[data-testid="board-column"][data-stage-name="${stage.name}"]`);
const cards = () => column().getByTestId('deal-card');

describe('board paging', () => {
  it(`shows all ${DEALS} deals of a stage once the column is scrolled to its end`, async () => {
    await page.goto(`${url}/deals`);
    await cards().first().waitFor();
    expect(await cards().count()).toBe(100);
    await column().getByRole('button', { name: `Show ${DEALS - 100} more in ${stage.name}` }).waitFor();
    // Scrolling the column to its end loads the next page by cursor, and again until none is left.
    await expect.poll(async () => {
      await column().locator('.board-cards').evaluate((el) => { el.scrollTop = el.scrollHeight; });
      return cards().count();
    }, { timeout: 30_000, interval: 300 }).toBe(DEALS);
    expect(await column().getByRole('button', { name: /^Show \d+ more/ }).count()).toBe(0);
    const names = await cards().locator('.card-title').allTextContents();
    // Every deal exactly once: pages joined by cursor neither skip nor repeat a card.
    expect([...names].sort()).toEqual(Array.from({ length: DEALS }, (_, i) => `Bulk deal ${String(i).padStart(3, '0')}`));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'board-paged');
  });

  it('keeps every loaded card when the board refreshes after a change elsewhere', async () => {
    await api.call('POST', '/deals', { name: 'Arrived live', value: '5', stage_id: stage.id });
    await column().getByText('Arrived live').waitFor({ timeout: 20_000 });
    expect(await cards().count()).toBe(DEALS + 1);
  });

  it('loads more with the button, without scrolling', async () => {
    await page.reload();
    await cards().first().waitFor();
    await column().getByRole('button', { name: /^Show \d+ more/ }).click();
    await expect.poll(() => cards().count()).toBeGreaterThan(100);
  });
});
