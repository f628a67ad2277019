/** Lead rules in settings, and a lead's own page: scoring a new lead, assigning in order, converting it to a deal. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiSignUp, fieldValue, newAccount, newPage, signIn, type ApiClient } from './app.js';
import { seriousViolations } from './axe.js';
import { launchBrowser, screenshot } from './browser.js';

const url = inject('serverUrl');
let browser: Browser;
let page: Page;
let api: ApiClient;
const account = newAccount('Scoring');

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

describe('lead rules and the lead page', () => {
  it('creates a scoring rule, and a new lead matching it gets the points', async () => {
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Lead scoring' }).click();
    await page.getByText('No scoring rules yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Add scoring rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New scoring rule' });
    await dialog.getByLabel('Rule name').fill('Referrals');
    await dialog.getByLabel('Points').fill('25');
    await dialog.getByLabel('Field of the condition').selectOption({ label: 'Source' });
    await dialog.getByLabel('Operator of the condition').selectOption({ label: 'is' });
    await dialog.getByLabel('Value of the condition').fill('referral');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Referrals' });
    await row.getByText('Source is referral').waitFor();
    await row.getByText('+25').waitFor();
    await screenshot(page, 'settings-lead-scoring');

    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Leads' }).click();
    await page.getByRole('button', { name: 'New lead' }).click();
    const form = page.getByRole('dialog', { name: 'New lead' });
    await form.getByLabel('Title').fill('Referred by Ada');
    await form.getByLabel('Source').fill('referral');
    await form.getByLabel('Value').fill('8000');
    await form.getByRole('button', { name: 'Create lead' }).click();
    await page.getByRole('link', { name: 'Referred by Ada' }).click();
    await page.getByRole('heading', { name: 'Referred by Ada', level: 1 }).waitFor();
    await field('Score').getByText('25').waitFor();
  });

  it('edits the lead in place, logs a call, and converts it to a deal', async () => {
    await field('Territory').getByRole('button').click();
    await page.getByRole('textbox', { name: 'Territory' }).fill('EMEA');
    await page.keyboard.press('Enter');
    await field('Territory').getByText('EMEA').waitFor();
    // Enter saved once: no second save with a stale version, so no conflict message.
    await page.waitForTimeout(500);
    expect(await page.getByTestId('toast').filter({ hasText: 'changed by someone else' }).count()).toBe(0);
    await page.getByRole('radio', { name: 'Call' }).click();
    await page.getByLabel('Subject').fill('Intro call');
    await page.getByRole('button', { name: 'Log call' }).click();
    await page.locator('.timeline-list').getByText(/Intro call/).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lead-page');
    await page.getByRole('button', { name: 'Convert to deal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert “Referred by Ada”' });
    await dialog.getByLabel('Deal value').waitFor();
    expect(await dialog.getByLabel('Deal name').inputValue()).toBe('Referred by Ada');
    await dialog.getByRole('button', { name: 'Convert lead' }).click();
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Referred by Ada', level: 1 }).waitFor();
    // The lead's call moved to the deal's timeline.
    await page.getByText('Intro call').first().waitFor();
  });

  it('adds assignment rules and changes the order they are tried in', async () => {
    await page.goto(`${url}/settings/lead-assignment`);
    await page.getByText('No assignment rules yet').waitFor();
    for (const name of ['Website leads', 'Partner leads']) {
      await page.getByRole('button', { name: 'Add assignment rule' }).click();
      const dialog = page.getByRole('dialog', { name: 'New assignment rule' });
      await dialog.getByLabel('Rule name').fill(name);
      await dialog.getByLabel('Sources').fill(name.split(' ')[0]!.toLowerCase());
      await dialog.getByRole('checkbox', { name: new RegExp(account.name) }).check();
      await dialog.getByRole('button', { name: 'Save rule' }).click();
      await page.getByRole('heading', { name, level: 3 }).waitFor();
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Move Partner leads up' }).click();
    await expect.poll(async () => (await api.call<{ data: { name: string }[] }>('GET', '/lead-assignment-rules')).data.map((r) => r.name)).toEqual(['Partner leads', 'Website leads']);
    expect(await page.locator('.rule-item h3').allTextContents()).toEqual(['Partner leads', 'Website leads']);
    await screenshot(page, 'settings-lead-assignment');
    const lead = await api.call<{ owner_id: string | null }>('POST', '/leads', { title: 'From a partner', source: 'partner' });
    expect(lead.owner_id).not.toBeNull();
  });
});
