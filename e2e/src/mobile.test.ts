/** The main screens on a 320 px wide phone: no sideways page scroll, navigation through the menu, screenshots for review. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiSignUp, newAccount, newPage, type ApiClient } from './app.js';
import { launchBrowser, screenshot } from './browser.js';

const url = inject('serverUrl');
let browser: Browser;
let page: Page;
let api: ApiClient;
const account = newAccount('Pocket');
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await apiSignUp(url, account);
  const company = await api.call<{ id: string }>('POST', '/companies', { name: 'Very Long Company Name Incorporated International', domain: 'long-company-name.example' });
  const contact = await api.call<{ id: string }>('POST', '/contacts', { first_name: 'Maximilian', last_name: 'Featherstonehaugh-Worthington', email: 'maximilian.featherstonehaugh@long-company-name.example', company_id: company.id });
  await api.call('POST', '/contacts', { first_name: 'Max', last_name: 'Featherstonehaugh-Worthington', email: 'max@long-company-name.example', company_id: company.id });
  const deal = await api.call<{ id: string }>('POST', '/deals', { name: 'Enterprise rollout for the whole group', value: '125000', company_id: company.id, contact_id: contact.id });
  const lead = await api.call<{ id: string }>('POST', '/leads', { title: 'Inbound enquiry about the premium plan', email: 'someone@long-company-name.example', source: 'website' });
  await api.call('POST', '/lead-scoring-rules', { name: 'Website', points: 10, condition: { field: 'source', op: 'eq', value: 'website' } });
  await api.call('DELETE', `/contacts/${(await api.call<{ id: string }>('POST', '/contacts', { first_name: 'Deleted', last_name: 'Person' })).id}`);
  Object.assign(ids, { company: company.id, contact: contact.id, deal: deal.id, lead: lead.id });
  browser = await launchBrowser();
  page = await newPage(browser, 320, 640);
  // Signed in through the form; at this width the navigation waits behind the menu button.
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Menu' }).waitFor();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** How far the page itself scrolls sideways (boards and tables scroll inside their own boxes). */
function pageOverflow(p: Page) {
  return p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('at 320 px wide', () => {
  it('navigates with the menu', async () => {
    const nav = page.getByRole('navigation', { name: 'Primary' });
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    // The menu closes on navigation so it does not cover the screen.
    await expect.poll(() => nav.isVisible()).toBe(false);
  });

  it('has no sideways page scroll on the main screens', async () => {
    const screens: [string, string][] = [
      ['board', '/deals'], ['deals-list', '/deals?view=list'], ['contacts', '/contacts'], ['companies', '/companies'], ['leads', '/leads'],
      ['activities', '/activities'], ['dashboard', '/dashboard'], ['trash', '/trash'], ['contact', `/contacts/${ids.contact}`],
      ['company', `/companies/${ids.company}`], ['deal', `/deals/${ids.deal}`], ['lead', `/leads/${ids.lead}`],
      ['settings', '/settings/general'], ['settings-pipelines', '/settings/pipelines'], ['settings-scoring', '/settings/lead-scoring'],
      ['settings-assignment', '/settings/lead-assignment'], ['settings-members', '/settings/members'], ['settings-imports', '/settings/imports'],
    ];
    const overflow: Record<string, number> = {};
    for (const [name, path] of screens) {
      await page.goto(`${url}${path}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(700);
      overflow[name] = await pageOverflow(page);
      await screenshot(page, `320-${name}`);
    }
    expect(overflow).toEqual(Object.fromEntries(screens.map(([n]) => [n, 0])));
  }, 180_000);

  it('fits the merge dialog and the palette', async () => {
    await page.goto(`${url}/contacts/${ids.contact}`);
    await page.getByRole('button', { name: /^Compare and merge/ }).click();
    await page.getByRole('dialog', { name: /^Merge/ }).getByRole('button', { name: 'Merge records' }).waitFor();
    expect(await pageOverflow(page)).toBe(0);
    await screenshot(page, '320-merge-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Search/ }).click();
    await page.keyboard.type('Feather');
    await page.getByRole('option', { name: /Featherstonehaugh/ }).first().waitFor();
    expect(await pageOverflow(page)).toBe(0);
    await screenshot(page, '320-palette');
  });
});
