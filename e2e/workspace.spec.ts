import { and, desc, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, jobs, mailMessages } from '../src/server/db/schema/index.ts';
import { makePdf } from '../test/support/files.ts';
import { createStaff } from '../test/support/staff.ts';
import { artifacts, expectAccessible, launchBrowser, noScriptContext, startSite, type Site } from './support/journey.ts';
import { pageText, signInAsStaff, tabTo } from './support/staff.ts';

const PASSWORD = 'a recruiter keeps this passphrase to herself';
/** A word no other job holds, so that public search finds this job and only it. */
const WORD = 'Kestrelgrid';
const TITLE = `${WORD} Routing Engineer`;
const QUESTION = 'Can you work from our Lisbon office three days a week?';
const CANDIDATE = { name: 'Tomás Oyelaran', email: 'tomas.oyelaran@example.test', password: 'seven quiet herons by the river' };

let browser: Browser;
let site: Site;
let recruiter: { id: number; email: string; name: string };
let manager: { id: number; email: string; name: string };
let recruiterPage: Page;
let candidatePage: Page;
let jobId: number;
let publicPath: string;
let applicationId: number;

const db = () => site.database.db;
const boardUrl = () => `${site.url}/staff/jobs/${jobId}/board`;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  recruiter = await createStaff(db(), { role: 'recruiter', name: 'Rosa Achterberg', password: PASSWORD });
  manager = await createStaff(db(), { role: 'hiring_manager', name: 'Idris Kamara', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The link of the newest email of this kind to this address, on the test site. */
async function emailedLink(email: string, kind: string): Promise<string> {
  const [mail] = await db()
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.toAddress, email), eq(mailMessages.kind, kind)))
    .orderBy(desc(mailMessages.id))
    .limit(1);
  expect(mail, `an email "${kind}" to ${email}`).toBeDefined();
  const link = new URL(/https?:\/\/\S+/.exec(mail!.textBody)![0]);
  return `${site.url}${link.pathname}${link.search}`;
}

/** The names of a job's history rows, oldest first, as its staff page lists them. */
async function history(page: Page): Promise<string[]> {
  const table = page.getByRole('region', { name: 'History' }).getByRole('table');
  return (await table.getByRole('rowheader').allInnerTexts()).map((t) => t.trim());
}

/** The count a board shows for a stage, in its column heading. */
const columnCount = (page: Page, stage: string) => page.locator(`.board__title [data-count-for="${stage}"]`).innerText();
const column = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(`^${name} \\d+ applications$`) });

describe('the hiring workspace, from a new job to a candidate under review', () => {
  it('a recruiter writes a job in the browser and submits it; its hiring manager approves it from their home', async () => {
    recruiterPage = await signInAsStaff(browser, site, { ...recruiter, password: PASSWORD }, { check: true });
    const page = recruiterPage;
    // A step that waits longer than this has failed: say so well before the test's own time runs out.
    page.context().setDefaultTimeout(10_000);
    await page.getByRole('navigation').getByRole('link', { name: 'Jobs', exact: true }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/staff/jobs');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'New job' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/staff/jobs/new');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('New job');
    await expectAccessible(page);

    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Amazon Web Services' });
    await page.getByLabel('Category', { exact: true }).fill('Software Development');
    await page.getByLabel('Level', { exact: true }).selectOption('4');
    await page.getByLabel('Employment type').selectOption({ label: 'Full time' });
    await page.getByLabel('Headcount').fill('2');
    await page.getByRole('group', { name: 'Workplace' }).getByRole('radio', { name: 'Hybrid' }).check();
    const where = page.getByRole('group', { name: 'Location 1' });
    await where.getByLabel('City').fill('Lisbon');
    await where.getByLabel('Country code').fill('PT');
    await page.getByLabel('Description', { exact: true }).fill(
      ['## What you will do', '', 'You will route **parcels** across Europe, fast and right.', '', '- Design the routing service', '- Measure it in production'].join('\n'),
    );
    await page.getByLabel('Basic qualifications').fill('Five years of building distributed systems\nOne typed language, well');
    await page.getByLabel('Preferred qualifications').fill('Logistics experience');
    const pay = page.getByRole('group', { name: 'Pay range' });
    await pay.getByLabel(/^Currency/).fill('EUR');
    await pay.getByLabel(/^From/).fill('70,000');
    await pay.getByLabel(/^To/).fill('95,000');
    await pay.getByLabel('Per', { exact: true }).selectOption('YEAR');
    const principles = page.getByRole('group', { name: 'Principles this job emphasizes' });
    for (const name of ['Customer obsession', 'Ownership', 'Dive deep']) await principles.getByLabel(name, { exact: true }).check();
    const question = page.getByRole('group', { name: 'Question 1' });
    await question.getByLabel(/^Question( \(optional\))?$/).fill(QUESTION);
    await question.getByLabel('Kind of answer').selectOption('yes_no');
    await question.getByLabel('An answer is required').check();
    await page.getByLabel('Hiring manager', { exact: true }).selectOption(String(manager.id));

    // Preview: the Markdown as candidates will read it, and the form as it was typed.
    await page.getByRole('button', { name: 'Preview the description' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.count()).toBe(1);
    expect(await preview.getByRole('heading', { name: 'What you will do' }).count()).toBe(1);
    expect(await preview.locator('strong').innerText()).toBe('parcels');
    expect(await preview.getByRole('listitem').allInnerTexts()).toEqual(['Design the routing service', 'Measure it in production']);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(TITLE);
    expect(await page.getByRole('group', { name: 'Question 1' }).getByLabel(/^Question/).inputValue()).toBe(QUESTION);
    expect(await page.getByLabel('Hiring manager', { exact: true }).inputValue()).toBe(String(manager.id));
    await expectAccessible(page);
    await page.screenshot({ path: `${artifacts}workspace-job-form.png`, fullPage: true });

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.url()).toMatch(/\/staff\/jobs\/\d+\?notice=created$/);
    jobId = Number(/\/staff\/jobs\/(\d+)/.exec(page.url())![1]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await page.getByRole('status').first().innerText()).toBe('The draft is saved. Submit it for approval when it is ready.');
    const team = await page.getByRole('region', { name: 'Hiring team' }).innerText();
    expect(team).toContain(`${manager.name} · Hiring manager`);
    expect(team).toContain(`${recruiter.name} · Recruiter`);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => page.url()).toMatch(/\?notice=submit$/);
    expect(await page.getByRole('region', { name: 'Status' }).innerText()).toContain('This job is Pending approval.');
    expect(await history(page)).toEqual(['Created', 'Submitted for approval']);
    await expectAccessible(page);

    const hm = await signInAsStaff(browser, site, { ...manager, password: PASSWORD }, { check: true });
    const waiting = hm.getByRole('region', { name: 'Waiting for you' }).getByRole('region', { name: /^Jobs to approve/ });
    await waiting.getByRole('link', { name: TITLE, exact: true }).click();
    await expect.poll(() => new URL(hm.url()).pathname).toBe(`/staff/jobs/${jobId}`);
    await expectAccessible(hm);
    await hm.getByRole('button', { name: 'Approve and publish' }).click();
    await expect.poll(() => hm.url()).toMatch(/\?notice=approve$/);
    expect(await hm.getByRole('status').first().innerText()).toBe('Approved: the job is open and published.');
    expect(await history(hm)).toEqual(['Created', 'Submitted for approval', 'Approved and published']);
    const rows = hm.getByRole('region', { name: 'History' }).getByRole('row');
    expect(await rows.filter({ hasText: 'Created' }).innerText()).toContain(recruiter.name);
    expect(await rows.filter({ hasText: 'Approved and published' }).innerText()).toContain(manager.name);
    await expectAccessible(hm);
    await hm.context().close();
  });

  it('the job is found by public search, with scripts and without, and its page carries a JobPosting', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}/jobs`);
    await page.getByLabel('Keywords').fill(WORD.toLowerCase());
    await page.getByLabel('Keywords').press('Enter');
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=${WORD.toLowerCase()}`);
    await expect.poll(() => page.locator('.result').count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole('link', { name: TITLE, exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(new RegExp(`^/jobs/${jobId}/`));
    publicPath = new URL(page.url()).pathname;
    const postings = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(postings).toHaveLength(1);
    expect(JSON.parse(postings[0]!)).toMatchObject({
      '@type': 'JobPosting',
      title: TITLE,
      employmentType: 'FULL_TIME',
      baseSalary: { currency: 'EUR', value: { minValue: 70000, maxValue: 95000, unitText: 'YEAR' } },
    });
    const text = await pageText(page);
    for (const words of ['What you will do', 'Five years of building distributed systems', 'Customer obsession', 'Lisbon']) expect(text).toContain(words);
    await expectAccessible(page);
    await page.close();

    const plain = await noScriptContext(browser);
    const noScript = await plain.newPage();
    await noScript.goto(`${site.url}/jobs?q=${WORD.toLowerCase()}`);
    expect(await noScript.locator('.result').count()).toBe(1);
    await noScript.getByRole('link', { name: TITLE, exact: true }).click();
    await expect.poll(() => new URL(noScript.url()).pathname).toBe(publicPath);
    await plain.close();
  });

  it('a candidate makes an account, confirms it from the email, and applies while signed in', async () => {
    candidatePage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const page = candidatePage;
    await page.goto(`${site.url}/account/sign-up`);
    await expectAccessible(page);
    await page.getByLabel('Email address').fill(CANDIDATE.email);
    await page.getByLabel('Password').fill(CANDIDATE.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account/email-sent?reason=sign-up`);
    await page.goto(await emailedLink(CANDIDATE.email, 'verify_email'));
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);
    await expectAccessible(page);

    await page.goto(`${site.url}${publicPath}`);
    await page.getByRole('link', { name: 'Apply for this job' }).click();
    await expect.poll(() => page.url()).toMatch(/\/apply$/);
    expect(await page.getByLabel('Email address').inputValue()).toBe(CANDIDATE.email);
    await page.getByLabel('Full name').fill(CANDIDATE.name);
    await page.getByLabel('Resume file').setInputFiles({ name: 'tomas.pdf', mimeType: 'application/pdf', buffer: makePdf('Tomas routes parcels for a living') });
    await page.getByRole('group', { name: QUESTION }).getByLabel('Yes').check();
    await page.getByLabel(/I agree that/).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send application' }).click();
    await expect.poll(() => page.url()).toMatch(/\/apply\/received$/);

    await page.goto(`${site.url}/account`);
    const mine = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: TITLE }) });
    expect(await mine.getByText('Status: Received').count()).toBe(1);
    await expectAccessible(page);
    const [row] = await db().select({ id: applications.id }).from(applications).where(eq(applications.jobId, jobId));
    applicationId = row!.id;
  });

  it('the recruiter moves the application to phone interview on the board with the keyboard alone; it persists', async () => {
    const page = recruiterPage;
    await page.goto(`${site.url}/staff/jobs/${jobId}`);
    await page.getByRole('link', { name: 'Pipeline board' }).click();
    await expect.poll(() => page.url()).toBe(boardUrl());
    await expectAccessible(page);
    expect(await page.locator('#board-keys').isVisible()).toBe(true);

    const card = page.locator(`#card-${applicationId}`);
    expect(await column(page, 'Applied').locator('.board-card').count()).toBe(1);
    expect(await card.getByRole('link').innerText()).toBe(CANDIDATE.name);
    expect(await columnCount(page, 'applied')).toBe('1');
    // The columns scroll sideways inside the board; the page itself does not.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.screenshot({ path: `${artifacts}workspace-board.png`, fullPage: true });

    // Tab, as a keyboard user does, to the card, then "]" twice: applied → screen → phone interview.
    await tabTo(page, card);
    // A mark on this document: it is still there after the moves, so they happened in place, with no page load.
    await page.evaluate(() => ((window as unknown as { sameBoard: boolean }).sameBoard = true));
    const live = page.locator('#board-live');
    await page.keyboard.press(']');
    await expect.poll(() => live.innerText()).toBe(`Moved ${CANDIDATE.name} to Screen. Screen now has 1.`);
    expect(await column(page, 'Screen').locator(`#card-${applicationId}`).count()).toBe(1);
    expect(await card.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press(']');
    await expect.poll(() => live.innerText()).toBe(`Moved ${CANDIDATE.name} to Phone interview. Phone interview now has 1.`);
    expect(await column(page, 'Phone interview').locator(`#card-${applicationId}`).count()).toBe(1);
    expect(await card.evaluate((el) => el === document.activeElement)).toBe(true);
    expect([await columnCount(page, 'applied'), await columnCount(page, 'screen'), await columnCount(page, 'phone_interview')]).toEqual(['0', '0', '1']);
    expect(await page.locator('.board-counts [data-count-for="phone_interview"]').innerText()).toBe('1');
    expect(await page.locator('#board-error').isHidden()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { sameBoard?: boolean }).sameBoard)).toBe(true);
    await expectAccessible(page);

    await page.reload();
    expect(await column(page, 'Phone interview').locator(`#card-${applicationId}`).count()).toBe(1);
    expect(await columnCount(page, 'applied')).toBe('0');
    const [stored] = await db().select({ stage: applications.stage }).from(applications).where(eq(applications.id, applicationId));
    expect(stored!.stage).toBe('phone_interview');

    // The card's name opens the application page.
    await card.getByRole('link', { name: CANDIDATE.name }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/staff/applications/${applicationId}`);
    const answers = page.getByRole('region', { name: 'Screening answers' });
    expect(await answers.textContent()).toContain(QUESTION);
    expect(await page.getByRole('region', { name: 'What the candidate sees' }).innerText()).toContain('Status: Under review');
    await expectAccessible(page);
  });

  it('with scripts off, the card’s own Move form moves it back and forth', async () => {
    const page = await signInAsStaff(browser, site, { ...recruiter, password: PASSWORD }, { javaScript: false });
    await page.goto(boardUrl());
    expect(await page.locator('#board-keys').isHidden()).toBe(true);
    const move = async (to: string) => {
      const card = page.locator(`#card-${applicationId}`);
      await card.getByLabel(`Move ${CANDIDATE.name} to`).selectOption({ label: to });
      await card.getByRole('button', { name: 'Move' }).click();
      await expect.poll(() => page.url()).toMatch(/notice=moved/);
      expect(await page.getByRole('status').first().innerText()).toBe(`Moved to ${to}.`);
      expect(await column(page, to).locator(`#card-${applicationId}`).count()).toBe(1);
    };
    await move('Screen');
    expect(await columnCount(page, 'screen')).toBe('1');
    await move('Phone interview');
    expect(await columnCount(page, 'screen')).toBe('0');
    expect(await columnCount(page, 'phone_interview')).toBe('1');
    await page.context().close();
    const [job] = await db().select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
    expect(job!.status).toBe('open');
  });

  it('the candidate’s account shows the application as under review', async () => {
    const page = candidatePage;
    await page.reload();
    const mine = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: TITLE }) });
    expect(await mine.locator('.result__meta').innerText()).toContain('Status: Under review');
    // The timeline says it once, though the application went through screen and phone interview (and back and forth).
    const timeline = (await mine.getByRole('list').getByRole('listitem').allInnerTexts()).map((t) => t.replace(/^[^:]*: /, ''));
    expect(timeline).toEqual(['We received your application', 'Status: Under review']);
    expect(await pageText(page)).not.toMatch(/Phone interview/i);
    await expectAccessible(page);
    await page.close();
  });
});
