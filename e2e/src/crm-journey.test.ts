import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount, newPage, signUp } from './app.js';
import { seriousViolations } from './axe.js';
import { launchBrowser, screenshot } from './browser.js';

const server = { url: inject('serverUrl') };
let browser: Browser;
let page: Page;
const account = newAccount('Acme');

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
  await signUp(page, server.url, account);
});
afterAll(async () => {
  await browser?.close();
});

function column(name: string) {
  return page.locator(`[data-testid="board-column"][data-stage-name="${name}"]`);
}

async function stageNames(): Promise<string[]> {
  return page.locator('[data-testid="board-column"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage-name') ?? ''));
}

/** Drags with real pointer events in small steps, as a person would. */
async function dragTo(source: ReturnType<Page['locator']>, target: ReturnType<Page['locator']>) {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 3, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 3 + 10, from.y + from.height / 2, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 15 });
  await page.waitForTimeout(150);
  await page.mouse.up();
}

describe('a new firm runs its pipeline in the browser', () => {
  it('creates a company and a contact', async () => {
    await page.getByRole('link', { name: 'Companies' }).click();
    await page.getByRole('heading', { name: 'Companies' }).waitFor();
    await page.getByText('No companies yet').waitFor();
    await page.getByRole('button', { name: 'New company' }).click();
    await page.getByLabel('Company name').fill('Acme Robotics');
    await page.getByLabel('Domain').fill('acme-robotics.example');
    await page.getByRole('button', { name: 'Create company' }).click();
    await page.getByRole('heading', { name: 'Acme Robotics' }).waitFor();

    await page.getByRole('button', { name: 'New contact' }).click();
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Email').fill('ada@acme-robotics.example');
    await page.getByRole('button', { name: 'Create contact' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await screenshot(page, 'company-page');
  });

  it('creates a deal, drags it to the next stage, and finds it there after a reload', async () => {
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Deals' }).click();
    await page.getByTestId('board').waitFor();
    const stages = await stageNames();
    expect(stages.length).toBeGreaterThan(2);
    await page.getByRole('button', { name: 'New deal' }).click();
    await page.getByLabel('Deal name').fill('Acme pilot');
    await page.getByLabel('Value').fill('12000');
    await page.getByRole('button', { name: 'Create deal' }).click();
    const card = column(stages[0]!).getByTestId('deal-card').filter({ hasText: 'Acme pilot' });
    await card.waitFor();

    await dragTo(card, column(stages[1]!));
    await column(stages[1]!).getByText('Acme pilot').waitFor();
    await page.getByText(`Moved “Acme pilot” to ${stages[1]}`).waitFor();
    await page.reload();
    await column(stages[1]!).getByText('Acme pilot').waitFor();
    expect(await column(stages[0]!).getByText('Acme pilot').count()).toBe(0);
    await screenshot(page, 'board');
  });

  it('moves a card with the keyboard alone', async () => {
    const stages = await stageNames();
    await page.getByRole('button', { name: 'Move Acme pilot' }).focus();
    await page.keyboard.press('Space');
    await page.waitForTimeout(200);
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(300);
    await page.keyboard.press('Space');
    await page.getByText(`Moved “Acme pilot” to ${stages[2]}`).waitFor();
    await page.reload();
    await column(stages[2]!).getByText('Acme pilot').waitFor();
  });

  it('searches with the keyboard and jumps to the record', async () => {
    await page.locator('body').click({ position: { x: 5, y: 200 } });
    await page.keyboard.press('/');
    const box = page.getByRole('combobox', { name: 'Search records and sections' });
    await box.waitFor();
    await page.keyboard.type('Acm');
    await page.getByRole('option', { name: /^Acme Robotics/ }).waitFor();
    await screenshot(page, 'search-palette');
    while (!(await page.locator('[role=option][aria-selected=true]').textContent())?.includes('Acme Robotics')) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Acme Robotics' }).waitFor();
    expect(page.url()).toContain('/companies/');
  });

  it('has no serious or critical accessibility violations on the main screens', async () => {
    const report: Record<string, string[]> = {};
    for (const [name, path] of [['board', '/deals'], ['contacts', '/contacts'], ['companies', '/companies'], ['settings', '/settings/members'], ['deals-list', '/deals?view=list']] as const) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(500);
      report[name] = await seriousViolations(page);
      await screenshot(page, `screen-${name}`);
    }
    await page.goto(`${server.url}/contacts`);
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    report.contact = await seriousViolations(page);
    await screenshot(page, 'contact-page');
    expect(report).toEqual({ board: [], contacts: [], companies: [], settings: [], 'deals-list': [], contact: [] });
  }, 240_000);
});
