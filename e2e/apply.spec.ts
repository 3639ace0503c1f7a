import { desc, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailMessages } from '../src/server/db/schema/index.ts';
import { createJobs } from '../src/server/features/jobs/jobs.service.ts';
import { buildJob } from '../test/support/builders.ts';
import { makePdf } from '../test/support/files.ts';
import { artifacts, expectAccessible, launchBrowser, noScriptContext, startSite, type Site } from './support/journey.ts';

let browser: Browser;
let site: Site;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  await createJobs({
    db: site.database.db,
    inputs: [
      buildJob({
        title: 'Payments Data Engineer',
        questions: [
          { label: 'Are you allowed to work in the US?', kind: 'yes_no', required: true },
          { label: 'Which tools do you use?', kind: 'multiple_choice', required: false, options: ['SQL', 'Spark'] },
        ],
      }),
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function fillAndSend(page: Page, email: string, options: { checkA11y: boolean }) {
  await page.getByLabel('Full name').fill('Zoë Ødegård');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Phone number (optional)').fill('+47 555 01 234');
  await page.getByLabel('Resume file').setInputFiles({ name: 'resume.pdf', mimeType: 'application/pdf', buffer: makePdf('Zoe builds payment data pipelines') });
  await page.getByRole('group', { name: 'Are you allowed to work in the US?' }).getByLabel('Yes').check();
  await page.getByLabel('SQL').check();
  await page.getByLabel(/I agree that/).check();
  if (options.checkA11y) await expectAccessible(page);
  await page.getByRole('button', { name: 'Send application' }).click();
}

/** The first link of the newest email of this kind to this address, in the outbox, on the test site. */
async function emailedLink(email: string, kind: string): Promise<string> {
  const mails = await site.database.db.select().from(mailMessages).where(eq(mailMessages.toAddress, email)).orderBy(desc(mailMessages.id));
  const mail = mails.find((m) => m.kind === kind)!;
  const link = new URL(/https?:\/\/\S+/.exec(mail.textBody)![0]);
  return `${site.url}${link.pathname}${link.search}`;
}

const confirmationLink = (email: string) => emailedLink(email, 'application_received');

describe('applying for a job', () => {
  it('goes from search to an application with a PDF, confirms it from the emailed link, follows it in an account and withdraws it', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/jobs?q=payments`);
    await page.getByRole('link', { name: 'Payments Data Engineer', exact: true }).click();
    await page.getByRole('link', { name: 'Apply for this job' }).click();
    await expect.poll(() => page.url()).toMatch(/\/apply$/);

    // A first try with nothing filled in: every problem listed, the page still accessible.
    await page.getByRole('button', { name: 'Send application' }).click();
    expect(await page.getByRole('alert').getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Enter your email address' }).count()).toBe(1);
    await expectAccessible(page);
    await page.screenshot({ path: `${artifacts}apply-errors.png`, fullPage: true });

    await fillAndSend(page, 'zoe@example.test', { checkA11y: true });
    await expect.poll(() => page.url()).toMatch(/\/apply\/received$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you, we have your application');
    await expectAccessible(page);

    await page.goto(await confirmationLink('zoe@example.test'));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Confirm my application' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your application is confirmed');
    await expectAccessible(page);

    // An account with the same address shows the application as received, and can withdraw it.
    await page.getByRole('link', { name: 'Create an account or sign in' }).click();
    await page.goto(`${site.url}/account/sign-up`);
    await page.getByLabel('Email address').fill('zoe@example.test');
    await page.getByLabel('Password').fill('a long and private passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.goto(await emailedLink('zoe@example.test', 'verify_email'));
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);
    const application = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Payments Data Engineer' }) });
    expect(await application.getByText('Status: Received').count()).toBe(1);
    await expectAccessible(page);
    await application.getByRole('link', { name: /Withdraw/ }).click();
    await page.getByRole('button', { name: 'Withdraw my application' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=withdrawn`);
    expect(await application.getByText('Status: Withdrawn').count()).toBe(1);
    await expectAccessible(page);
    await page.close();
  });

  it('works the same with JavaScript switched off', async () => {
    const context = await noScriptContext(browser);
    const page = await context.newPage();
    await page.goto(`${site.url}/jobs?q=payments`);
    await page.getByRole('link', { name: 'Payments Data Engineer', exact: true }).click();
    await page.getByRole('link', { name: 'Apply for this job' }).click();
    await fillAndSend(page, 'nojs@example.test', { checkA11y: false });
    await expect.poll(() => page.url()).toMatch(/\/apply\/received$/);
    await page.goto(await confirmationLink('nojs@example.test'));
    await page.getByRole('button', { name: 'Confirm my application' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your application is confirmed');
    await context.close();
  });
});
