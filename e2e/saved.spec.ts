import { eq } from 'drizzle-orm';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobAlerts, people } from '../src/server/db/schema/index.ts';
import { createJobs } from '../src/server/features/jobs/jobs.service.ts';
import type { JobSearch } from '../src/server/features/jobs/search.service.ts';
import { sendAlertDigests } from '../src/server/features/saved/alerts.service.ts';
import { buildJob } from '../test/support/builders.ts';
import type { RecordingMail } from '../test/support/recording-mail.ts';
import { savedTestApp } from '../test/support/saved-test-app.ts';
import type { TestApp } from '../test/support/test-app.ts';
import { artifacts, expectAccessible as checkAccessible, launchBrowser, noScriptContext } from './support/journey.ts';

let browser: Browser;
let site: TestApp & { mail: RecordingMail; search: JobSearch; url: string };
let jobId: number;

beforeAll(async () => {
  // Plain http on loopback, as a developer runs it: the cookies go without Secure.
  const [launched, t] = await Promise.all([launchBrowser(), savedTestApp({ publicUrl: 'http://127.0.0.1' })]);
  browser = launched;
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await mkdir(artifacts, { recursive: true });
  site = Object.assign(t, { url });
  const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Cartographer', postedAt: new Date(Date.now() - 2 * 24 * 3600 * 1000) })] });
  jobId = ids[0]!;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const PASSWORD = 'paper lantern mountain river';

/** Saves a job, follows a search by email, gets its digest and stops it by the emailed link; axe on every page when scripts run. */
async function journey(page: Page, email: string, { withScript }: { withScript: boolean }): Promise<void> {
  const expectAccessible = withScript ? checkAccessible : async () => {};
  const screenshot = async (name: string) => {
    if (withScript) await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
  };

  // Signed out, "Save job" says to sign in first.
  await page.goto(`${site.url}/jobs?q=cartographer`);
  await expectAccessible(page);
  await page.getByRole('link', { name: /^Save job\s*: Cartographer$/ }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/saved-jobs/sign-in-needed?job=${jobId}`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to save jobs');
  await expectAccessible(page);

  await page.goto(`${site.url}/account/sign-up`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/email-sent?reason=sign-up`);
  await page.goto(`${site.url}${site.mail.linkPath(email, 'verify_email')}`);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);

  // Save from the job page.
  await page.goto(`${site.url}/jobs/${jobId}/cartographer`);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Save job', exact: true }).click();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Save this job');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save job' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/saved-jobs?notice=saved`);
  expect(await page.getByRole('link', { name: 'Cartographer' }).count()).toBe(1);
  await expectAccessible(page);
  await screenshot('saved-jobs');

  // Follow a search by email.
  await page.goto(`${site.url}/jobs?q=cartographer&team=amazon-web-services`);
  await page.getByRole('link', { name: 'Email me new jobs for this search' }).click();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Email me new jobs');
  expect(await page.getByText('Jobs matching “cartographer”; team: Amazon Web Services').count()).toBe(1);
  await expectAccessible(page);
  await page.getByLabel('Weekly, on Mondays').check();
  await page.getByRole('button', { name: 'Create alert' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/alerts?notice=created`);
  expect(await page.getByText('Weekly, on Mondays').count()).toBe(1);
  await expectAccessible(page);
  await screenshot('job-alerts');

  // A week later the digest arrives; its link stops it without signing in.
  const [person] = await site.database.db.select({ id: people.id }).from(people).where(eq(people.email, email));
  await site.database.db.update(jobAlerts).set({ lastSentAt: new Date(Date.now() - 8 * 24 * 3600 * 1000) }).where(eq(jobAlerts.personId, person!.id));
  await sendAlertDigests({ db: site.database.db, mail: site.mail, search: site.search, publicUrl: site.url, secret: site.config.sessionSecret!, frequency: 'weekly', now: new Date() });
  const digest = site.mail.last(email, 'job_alert_digest');
  expect(digest.text).toContain('Cartographer');
  const unsubscribe = /https?:\/\/\S+\/alerts\/unsubscribe\?\S+/.exec(digest.text)![0];
  await page.context().clearCookies();
  await page.goto(unsubscribe);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Stop this job alert');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Stop these emails' }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You are unsubscribed');
  await expectAccessible(page);
  expect(await site.database.db.select().from(jobAlerts).where(eq(jobAlerts.personId, person!.id))).toHaveLength(0);
  // A changed link is refused.
  await page.goto(unsubscribe.replace(/sig=./, 'sig=x'));
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link does not work');
  await expectAccessible(page);

  // Signed in again, unsave.
  await page.goto(`${site.url}/account/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account`);
  await page.goto(`${site.url}/account/saved-jobs`);
  await page.getByRole('button', { name: 'Unsave Cartographer' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/saved-jobs?notice=removed`);
  expect(await page.getByText('You have no saved jobs.', { exact: false }).count()).toBe(1);
  await expectAccessible(page);
}

describe('saved jobs and job alerts', () => {
  it('saves a job, follows a search by email, and stops the alert from its email', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await journey(page, 'mercator@example.com', { withScript: true });
    await page.close();
  });

  it('works the same with JavaScript switched off', async () => {
    const context = await noScriptContext(browser);
    const page = await context.newPage();
    await journey(page, 'ortelius@example.com', { withScript: false });
    await context.close();
  });
});
