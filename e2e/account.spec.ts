import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsTestApp } from '../test/support/account-client.ts';
import type { RecordingMail } from '../test/support/recording-mail.ts';
import type { TestApp } from '../test/support/test-app.ts';
import { artifacts, expectAccessible as checkAccessible, launchBrowser, noScriptContext } from './support/journey.ts';

let browser: Browser;
let site: TestApp & { mail: RecordingMail; url: string };

beforeAll(async () => {
  // Plain http on loopback, as a developer runs it: the cookies go without Secure.
  const [launched, t] = await Promise.all([launchBrowser(), accountsTestApp({ publicUrl: 'http://127.0.0.1' })]);
  browser = launched;
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await mkdir(artifacts, { recursive: true });
  site = Object.assign(t, { url });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const PASSWORD = 'paper lantern mountain river';

/** Signs up, follows the emailed link, signs out and back in, checking every page with axe when scripts run. */
async function journey(page: Page, email: string, { withScript }: { withScript: boolean }): Promise<void> {
  // axe runs inside the page, so it needs JavaScript; the pages are the same bytes either way.
  const expectAccessible = withScript ? checkAccessible : async () => {};
  const screenshots = withScript;
  await page.goto(`${site.url}/account/sign-up`);
  await expectAccessible(page);
  // A refused form first: too short a password.
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
  expect(await page.title()).toMatch(/^Error: Create an account/);
  expect(await page.getByLabel('Email address').inputValue()).toBe(email);
  expect(await page.getByLabel('Password').inputValue()).toBe('');
  await expectAccessible(page);
  if (screenshots) await page.screenshot({ path: `${artifacts}account-sign-up-error.png`, fullPage: true });

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/email-sent?reason=sign-up`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');
  await expectAccessible(page);

  await page.goto(`${site.url}${site.mail.linkPath(email, 'verify_email')}`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);
  expect(await page.getByText(email).count()).toBe(1);
  expect(await page.getByText('(confirmed)').count()).toBe(1);
  await expectAccessible(page);
  if (screenshots) await page.screenshot({ path: `${artifacts}account.png`, fullPage: true });

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/sign-in?signed-out`);
  expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
  await expectAccessible(page);

  await page.getByLabel('Email address').fill(email.toUpperCase());
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/sign-in?signed-out=everywhere`);
  await page.goto(`${site.url}/account`);
  expect(page.url()).toBe(`${site.url}/account/sign-in`);
}

describe('a candidate account', () => {
  it('signs up, confirms the address from the email, signs out and back in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await journey(page, 'ada.lovelace@example.com', { withScript: true });
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'dayone_csrf')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.close();
  });

  it('works the same with JavaScript switched off', async () => {
    const context = await noScriptContext(browser);
    const page = await context.newPage();
    await journey(page, 'grace.hopper@example.com', { withScript: false });
    await context.close();
  });
});
