/** Journeys' shared steps through the real UI. */
import type { Browser, Page } from 'playwright-core';

let seq = 0;
export function uniqueEmail(prefix = 'user'): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}@example.com`;
}

export interface Account {
  email: string;
  password: string;
  name: string;
  firm: string;
}

export function newAccount(firm: string): Account {
  return { email: uniqueEmail(firm.toLowerCase().replace(/\W+/g, '-')), password: 'correct horse battery', name: `${firm} Owner`, firm };
}

/** Signs up through the form and waits for the signed-in shell. */
export async function signUp(page: Page, baseUrl: string, account: Account): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Your name').fill(account.name);
  await page.getByLabel('Firm name').fill(account.firm);
  await page.getByLabel('Work email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByRole('navigation', { name: 'Primary' }).waitFor();
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Primary' }).waitFor();
}

export async function newPage(browser: Browser, width = 1280, height = 860): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}
