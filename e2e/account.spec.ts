import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../src/server/features/jobs/jobs.service.ts';
import { accountsTestApp } from '../test/support/account-client.ts';
import { buildJob } from '../test/support/builders.ts';
import { makePdf } from '../test/support/files.ts';
import type { RecordingMail } from '../test/support/recording-mail.ts';
import type { TestApp } from '../test/support/test-app.ts';
import { artifacts, expectAccessible as checkAccessible, launchBrowser, noScriptContext } from './support/journey.ts';

let browser: Browser;
let site: TestApp & { mail: RecordingMail; url: string };
let applyUrl: string;

beforeAll(async () => {
  // Plain http on loopback, as a developer runs it: the cookies go without Secure.
  const [launched, t] = await Promise.all([launchBrowser(), accountsTestApp({ publicUrl: 'http://127.0.0.1' })]);
  browser = launched;
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await mkdir(artifacts, { recursive: true });
  site = Object.assign(t, { url });
  const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Accessibility Engineer' })] });
  applyUrl = `${url}/jobs/${ids[0]}/accessibility-engineer/apply`;
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

describe('applications in the account', () => {
  it('applies while signed in, follows the application in the account, and withdraws it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const email = 'mary.somerville@example.com';
    await page.goto(`${site.url}/account/sign-up`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account/email-sent?reason=sign-up`);
    await page.goto(`${site.url}${site.mail.linkPath(email, 'verify_email')}`);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);
    expect(await page.getByText('You have not applied to any job with this email address yet.').count()).toBe(1);
    await checkAccessible(page);

    // Signed in, the form already holds the account's address.
    await page.goto(applyUrl);
    expect(await page.getByLabel('Email address').inputValue()).toBe(email);
    await page.getByLabel('Full name').fill('Mary Somerville');
    await page.getByLabel('Resume file').setInputFiles({ name: 'mary.pdf', mimeType: 'application/pdf', buffer: makePdf('Mary writes accessible interfaces') });
    await page.getByLabel(/I agree that/).check();
    await checkAccessible(page);
    await page.getByRole('button', { name: 'Send application' }).click();
    await expect.poll(() => page.url()).toMatch(/\/apply\/received$/);

    await page.goto(`${site.url}/account`);
    const application = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Accessibility Engineer' }) });
    expect(await application.getByText('Status: Received').count()).toBe(1);
    expect(await application.getByText('We received your application').count()).toBe(1);
    await checkAccessible(page);
    await page.screenshot({ path: `${artifacts}account-applications.png`, fullPage: true });

    await application.getByRole('link', { name: /Withdraw/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Withdraw your application');
    await checkAccessible(page);
    await page.getByRole('button', { name: 'Withdraw my application' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=withdrawn`);
    expect(await application.getByText('Status: Withdrawn').count()).toBe(1);
    expect(await application.getByText('You withdrew your application').count()).toBe(1);
    expect(await application.getByRole('link', { name: /Withdraw/ }).count()).toBe(0);
    await checkAccessible(page);

    // The profile page, with the resume the application sent.
    await page.getByRole('link', { name: /Edit your name/ }).click();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Mary Somerville');
    expect(await page.getByRole('link', { name: 'mary.pdf' }).count()).toBe(1);
    await checkAccessible(page);
    await page.close();
  });
});
