import { mkdir, readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingMail } from '../test/support/recording-mail.ts';
import { testApp, type TestApp } from '../test/support/test-app.ts';
import { artifacts, expectAccessible, launchBrowser } from './support/journey.ts';

let browser: Browser;
let site: TestApp & { url: string };
const mail = new RecordingMail();

beforeAll(async () => {
  const [launched, t] = await Promise.all([
    launchBrowser(),
    // Plain http on loopback, as a developer runs it: the cookies go without Secure.
    testApp({
      env: { PUBLIC_URL: 'http://127.0.0.1' },
      deps: { mail },
    }),
  ]);
  browser = launched;
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await mkdir(artifacts, { recursive: true });
  site = Object.assign(t, { url });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const PASSWORD = 'quiet harbour copper lantern';

/** The names of the entries of a zip file. */
function entryNames(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('privacy rights', () => {
  it('a candidate downloads their data, then deletes their account and cannot sign in again', async () => {
    const email = 'marie.curie@example.com';
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });

    await page.goto(`${site.url}/account/sign-up`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account/email-sent?reason=sign-up`);
    await page.goto(`${site.url}${mail.linkPath(email, 'verify_email')}`);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);

    await page.goto(`${site.url}/account/data`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your data');
    await expectAccessible(page);
    await page.screenshot({ path: `${artifacts}privacy-data.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = await readFile((await download.path())!);
    expect(await entryNames(bytes)).toEqual(['data.json']);
    expect(page.url()).toBe(`${site.url}/account/data`);

    await page.getByRole('link', { name: 'Delete my account and data' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account/data/delete`);
    await expectAccessible(page);

    // A refusal first: the confirmation word is missing.
    await page.getByRole('button', { name: 'Delete my account and data' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    expect(await page.title()).toMatch(/^Error: Delete your account and data/);
    await expectAccessible(page);
    await page.screenshot({ path: `${artifacts}privacy-delete-error.png`, fullPage: true });

    await page.getByLabel('To confirm, type DELETE').fill('DELETE');
    await page.getByRole('button', { name: 'Delete my account and data' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account/deleted`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account and data are deleted');
    await expectAccessible(page);

    await page.goto(`${site.url}/account`);
    expect(page.url()).toBe(`${site.url}/account/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    expect(page.url()).toBe(`${site.url}/account/sign-in`);
    await page.close();
  });
});
