import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible, type Site } from './journey.ts';

/** A member of staff with the password they sign in with. */
export interface StaffLogin {
  email: string;
  password: string;
}

/**
 * A fresh browser context for one member of staff, signed in through the real sign-in form;
 * answers the page, left on the staff home. `check` also runs axe on the sign-in page and the home
 * (axe runs in the page, so not with `javaScript: false`, which browses with scripts switched off).
 */
export async function signInAsStaff(browser: Browser, site: Site, who: StaffLogin, options: { check?: boolean; javaScript?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
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

/**
 * Presses Tab, as a keyboard user does, until `target` has the focus; fails after `limit` presses.
 * Answers how many presses it took.
 */
export async function tabTo(page: Page, target: Locator, limit = 100): Promise<number> {
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`${limit} presses of Tab never reached ${target.toString()} on ${page.url()}`);
}

/**
 * Posts a form the page does not offer — as someone would with a form of their own making — from
 * inside the page, with the page's own CSRF token (any `_csrf` field on it). The browser then shows
 * the answer; answers its HTTP status.
 */
export async function postFromPage(page: Page, action: string, fields: Record<string, string>): Promise<number> {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action);
  await page.evaluate(
    ({ action, fields }) => {
      const token = document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      for (const [name, value] of Object.entries({ ...fields, _csrf: token })) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    },
    { action, fields },
  );
  const status = (await answered).status();
  await page.waitForURL((url) => url.pathname === action);
  await page.waitForLoadState('load');
  return status;
}
