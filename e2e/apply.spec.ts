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

async function confirmationLink(email: string): Promise<string> {
  const [mail] = await site.database.db.select().from(mailMessages).where(eq(mailMessages.toAddress, email)).orderBy(desc(mailMessages.id));
  const link = /https?:\/\/\S+\/applications\/confirm\?token=[\w-]+/.exec(mail!.textBody)![0];
  return `${site.url}${new URL(link).pathname}${new URL(link).search}`;
}

describe('applying for a job', () => {
  it('goes from search to a sent application with a PDF, then confirms it from the emailed link', async () => {
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
