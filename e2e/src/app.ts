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

/** The value cell of a record page's field row labelled exactly `name`. */
export function fieldValue(page: Page, name: string) {
  return page.locator('.field-row').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
}

export interface ApiClient {
  token: string;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** Signs a new firm up through the API (for journeys that set up data faster than the UI would). */
export async function apiSignUp(baseUrl: string, account: Account): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/v1/auth/sign-up`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password, name: account.name, firm_name: account.firm }),
  });
  if (!res.ok) throw new Error(`sign-up: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return {
    token,
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const r = await fetch(`${baseUrl}/api/v1${path}`, {
        method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return (r.status === 204 ? undefined : await r.json()) as T;
    },
  };
}

/** Runs `fn(0..n-1)` with at most `width` calls in flight. */
export async function inParallel(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await fn(next++);
  }));
}
