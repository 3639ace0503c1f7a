import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, type Site } from './journey.ts';

/** A member of staff with the password they sign in with. */
export interface StaffLogin {
  email: string;
  password: string;
}

/**
 * A fresh browser context for one member of staff, signed in through the real sign-in form;
 * answers the page, left on the staff home. `check` also runs axe on the sign-in page and the home.
 */
export async function signInAsStaff(browser: Browser, site: Site, who: StaffLogin, options: { check?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site.url}/staff/sign-in`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to the hiring workspace');
  if (options.check) await expectAccessible(page);
  await page.getByLabel('Work email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe('/staff');
  if (options.check) await expectAccessible(page);
  return page;
}

/** What the page says, as a reader sees it. */
export function pageText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** A JSON answer fetched by the page itself, with its session cookie, as a script of the site would. */
export function fetchJson<T = unknown>(page: Page, path: string): Promise<{ status: number; body: T }> {
  return page.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    return { status: response.status, body: (await response.json()) as T };
  }, path);
}
