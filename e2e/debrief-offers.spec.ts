import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_LABELS, VOTE_LABELS, type Signal, type Vote } from '../src/domain/feedback.ts';
import { applicationEvents, applications, feedback, feedbackRevisions, interviews, jobs, loops, mailMessages, offers, people, principles } from '../src/server/db/schema/index.ts';
import { createJobs } from '../src/server/features/jobs/jobs.service.ts';
import { pdfText } from '../src/server/features/offers/offers.test-support.ts';
import { buildJob } from '../test/support/builders.ts';
import { makePdf } from '../test/support/files.ts';
import { addToJobTeam, createStaff } from '../test/support/staff.ts';
import { artifacts, expectAccessible, launchBrowser, startSite, type Site } from './support/journey.ts';
import { pageText, postFromPage, signInAsStaff } from './support/staff.ts';

// Issue 7 in the browser: a debrief where the bar raiser's no hire stands, and a hire that ends
// with an accepted offer and the job closed as filled. The loops and their submitted feedback are
// written straight to the database (planning and feedback have their own journey, loops.spec.ts).

const PASSWORD = 'correct horse battery staple, debrief edition';
const CANDIDATE_PASSWORD = 'amber lighthouse over a quiet harbour';
const VIEWPORT = { width: 1280, height: 900 };

type Staff = { id: number; email: string; name: string };
type Role = 'admin' | 'recruiter' | 'manager' | 'approver' | 'ivo' | 'isa' | 'ian' | 'ines' | 'bea';

let browser: Browser;
let site: Site;
const cast = {} as Record<Role, Staff>;
const pages = new Map<Role, Page>();
const db = () => site.database.db;

/** The page of a member of staff, signed in through the real form the first time it is asked for. */
async function as(role: Role): Promise<Page> {
  let page = pages.get(role);
  if (!page) {
    page = await signInAsStaff(browser, site, { email: cast[role].email, password: PASSWORD }, { check: true });
    pages.set(role, page);
  }
  return page;
}

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  const make = (role: 'admin' | 'recruiter' | 'hiring_manager' | 'interviewer', name: string, extra: { barRaiser?: boolean; level?: number; managerId?: number } = {}) =>
    createStaff(db(), { role, name, password: PASSWORD, level: extra.level ?? 5, ...extra });
  cast.admin = await make('admin', 'Ada Okonkwo', { level: 7 });
  cast.manager = await make('hiring_manager', 'Hana Ishikawa', { level: 7 });
  cast.approver = await make('hiring_manager', 'Olu Adeyemi', { level: 7 });
  cast.recruiter = await make('recruiter', 'Rui Carvalho');
  cast.ivo = await make('interviewer', 'Ivo Marsh', { managerId: cast.manager.id });
  cast.isa = await make('interviewer', 'Isa Lindgren', { managerId: cast.manager.id });
  cast.ian = await make('interviewer', 'Ian Oduya', { managerId: cast.manager.id });
  cast.ines = await make('interviewer', 'Ines Moreau', { managerId: cast.manager.id });
  // The bar raiser sits outside the hiring manager's chain and off the job's team.
  cast.bea = await make('interviewer', 'Bea Lindqvist', { barRaiser: true, level: 6, managerId: cast.admin.id });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A job of the default pack, open, with the hiring manager, recruiter and interviewers on its team. */
async function openJob(title: string, headcount: number): Promise<number> {
  const { ids } = await createJobs({ db: db(), inputs: [buildJob({ title, level: 5, status: 'open', headcount })] });
  const jobId = ids[0]!;
  await addToJobTeam(db(), jobId, cast.manager.id, 'hiring_manager');
  await addToJobTeam(db(), jobId, cast.recruiter.id, 'recruiter');
  for (const r of ['ivo', 'isa', 'ian', 'ines'] as const) await addToJobTeam(db(), jobId, cast[r].id, 'interviewer');
  return jobId;
}

/** The path and query of the link in the newest email of a kind to an address, read from the outbox. */
async function emailedLink(address: string, kind: string): Promise<string> {
  const [row] = await db()
    .select({ text: mailMessages.textBody })
    .from(mailMessages)
    .where(and(eq(mailMessages.toAddress, address), eq(mailMessages.kind, kind)))
    .orderBy(desc(mailMessages.id))
    .limit(1);
  const url = row && /https?:\/\/\S+/.exec(row.text)?.[0];
  if (!url) throw new Error(`No ${kind} email with a link was sent to ${address}`);
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/** A candidate signs up in their own browser and confirms the address from the emailed link; answers the page, signed in. */
async function candidateSignsUp(email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await page.goto(`${site.url}/account/sign-up`);
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(CANDIDATE_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account/email-sent?reason=sign-up`);
  await expectAccessible(page);
  await page.goto(`${site.url}${await emailedLink(email, 'verify_email')}`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect.poll(() => page.url()).toBe(`${site.url}/account?notice=verified`);
  await expectAccessible(page);
  return page;
}

/** One interview of a loop and the feedback its interviewer submitted. */
interface Seat {
  who: Role;
  role: 'interviewer' | 'bar_raiser';
  principles: string[];
  vote: Vote;
  signal: Signal;
  /** A word only this feedback holds, to find it on the page. */
  marker: string;
}

/**
 * A confirmed loop for the application whose interviews took place back to back and ended an hour
 * ago, each with its feedback submitted (revision 1, kept in feedback_revisions), as the feedback
 * form leaves it; the application waits at the onsite loop stage.
 */
async function loopWithFeedback(applicationId: number, seats: Seat[]): Promise<void> {
  const first = new Date(Math.floor(Date.now() / 60_000) * 60_000 - (seats.length + 1) * 3600_000);
  await db().update(applications).set({ stage: 'onsite_loop', stageEnteredAt: first }).where(eq(applications.id, applicationId));
  const [loop] = await db()
    .insert(loops)
    .values({ applicationId, hiringManagerId: cast.manager.id, status: 'confirmed', confirmedAt: first, confirmedBy: cast.manager.id })
    .returning({ id: loops.id });
  for (const [position, seat] of seats.entries()) {
    const startsAt = new Date(first.getTime() + position * 3600_000);
    const [interview] = await db()
      .insert(interviews)
      .values({
        loopId: loop!.id,
        interviewerId: cast[seat.who].id,
        role: seat.role,
        principles: seat.principles,
        position,
        status: 'scheduled',
        startsAt,
        durationMinutes: 60,
        timeZone: 'Europe/Lisbon',
        room: `Room ${position + 1}`,
        icalUid: `debrief-offers-e2e-${randomUUID()}@example.test`,
      })
      .returning({ id: interviews.id });
    const evidence = seat.principles.map((principle) => ({
      principle,
      situation: `${seat.marker} situation: a ledger drifted at quarter end`,
      task: `${seat.marker} task: find the drift`,
      action: `${seat.marker} action: reconciled the journals`,
      result: `${seat.marker} result: the books closed on time`,
      signal: seat.signal,
    }));
    const submittedAt = new Date(startsAt.getTime() + 70 * 60_000);
    const [written] = await db()
      .insert(feedback)
      .values({ interviewId: interview!.id, authorId: cast[seat.who].id, evidence, vote: seat.vote, status: 'submitted', revision: 1, submittedAt })
      .returning({ id: feedback.id });
    await db().insert(feedbackRevisions).values({ feedbackId: written!.id, revision: 1, evidence, vote: seat.vote, submittedAt });
  }
}

const stageOf = async (applicationId: number) => (await db().select({ stage: applications.stage }).from(applications).where(eq(applications.id, applicationId)))[0]!.stage;

/** The principles' names, by slug, as the content pack has them. */
async function principleNames(slugs: string[]): Promise<Map<string, string>> {
  const rows = await db().select({ slug: principles.slug, name: principles.name }).from(principles).where(inArray(principles.slug, slugs));
  return new Map(rows.map((r) => [r.slug, r.name]));
}

/** A date `days` from today (UTC), as a date field takes it. */
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the debrief room in the browser', () => {
  const TITLE = 'Reconciliation Ledger Engineer';
  const CANDIDATE = { name: 'Tomás Rivera', email: 'tomas.rivera@example.test' };
  const seats: Seat[] = [
    { who: 'ivo', role: 'interviewer', principles: ['customer-obsession', 'ownership'], vote: 'inclined', signal: 'good', marker: 'heronfeedback' },
    { who: 'isa', role: 'interviewer', principles: ['dive-deep', 'bias-for-action'], vote: 'inclined', signal: 'strong', marker: 'otterfeedback' },
    { who: 'ian', role: 'interviewer', principles: ['deliver-results', 'earn-trust'], vote: 'inclined', signal: 'good', marker: 'lynxfeedback' },
    { who: 'ines', role: 'interviewer', principles: ['invent-and-simplify', 'think-big'], vote: 'inclined', signal: 'mixed', marker: 'ibexfeedback' },
    { who: 'bea', role: 'bar_raiser', principles: ['insist-on-the-highest-standards', 'learn-and-be-curious'], vote: 'strongly_not_inclined', signal: 'concerning', marker: 'falconfeedback' },
  ];

  it('five members vote, the hiring manager may not decide, the bar raiser’s no hire rejects the application and nothing moves it back', async () => {
    const jobId = await openJob(TITLE, 1);
    // The candidate has an account; their application is written straight to the database.
    const candidate = await candidateSignsUp(CANDIDATE.email);
    const [person] = await db().update(people).set({ name: CANDIDATE.name }).where(eq(people.email, CANDIDATE.email)).returning({ id: people.id });
    const [row] = await db()
      .insert(applications)
      .values({ personId: person!.id, jobId, stage: 'applied', idempotencyKey: randomUUID(), consentProcessing: true, confirmedAt: new Date(), resumeId: null })
      .returning({ id: applications.id });
    const applicationId = row!.id;
    await db().insert(applicationEvents).values({ applicationId, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: person!.id });
    await loopWithFeedback(applicationId, seats);
    const debrief = `${site.url}/staff/applications/${applicationId}/debrief`;

    // Sealed: who has submitted, never what.
    const ivo = await as('ivo');
    await ivo.goto(debrief);
    expect(await ivo.getByRole('heading', { level: 1 }).textContent()).toBe(`Debrief: ${CANDIDATE.name}`);
    let text = await pageText(ivo);
    expect(text).toContain('(5 of 5)');
    for (const s of seats) expect(text).not.toContain(s.marker);
    await expectAccessible(ivo);

    await ivo.getByRole('button', { name: 'Open the debrief' }).click();
    await expect.poll(() => ivo.url()).toMatch(/notice=opened$/);
    expect(await ivo.getByRole('status').first().innerText()).toContain('The debrief is open.');
    await expectAccessible(ivo);

    // All feedback side by side, each with its evidence.
    const cards = ivo.locator('.debrief-columns article');
    expect(await cards.count()).toBe(seats.length);
    for (const s of seats) {
      const card = cards.filter({ has: ivo.getByRole('heading', { name: new RegExp(`^${cast[s.who].name}`) }) });
      expect(await card.innerText()).toContain(`${s.marker} action: reconciled the journals`);
    }
    // The principle × interviewer grid: a row per principle, a column per interviewer, the signal in words.
    const grid = ivo.getByRole('table', { name: /^Signals by principle and interviewer/ });
    const columns = (await grid.getByRole('columnheader').allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
    expect(columns).toEqual(['Principle', ...seats.map((s) => cast[s.who].name)]);
    const names = await principleNames(seats.flatMap((s) => s.principles));
    for (const [column, s] of seats.entries()) {
      for (const slug of s.principles) {
        const gridRow = grid.getByRole('row').filter({ has: ivo.getByRole('rowheader', { name: names.get(slug)!, exact: true }) });
        const cells = await gridRow.getByRole('cell').allInnerTexts();
        expect(cells).toHaveLength(seats.length);
        // Their own column names the signal in words; every other interviewer's cell says the principle was not theirs.
        cells.forEach((cell, i) => expect(cell.replace(/\s+/g, ' ').trim()).toBe(i === column ? SIGNAL_LABELS[s.signal] : '— Not assigned'));
      }
    }
    const votesRow = await grid.getByRole('row').filter({ has: ivo.getByRole('rowheader', { name: 'Vote', exact: true }) }).getByRole('cell').allInnerTexts();
    expect(votesRow).toEqual(['Inclined', 'Inclined', 'Inclined', 'Inclined', 'Strongly not inclined']);

    // Five final votes, each member in their own browser; Ines changes hers, which needs a reason.
    for (const s of seats) {
      const page = await as(s.who);
      await page.goto(debrief);
      const form = page.getByRole('group', { name: 'Final vote' });
      if (s.who === 'ines') {
        await form.getByRole('radio', { name: 'Not inclined', exact: true }).check();
        await page.getByRole('button', { name: 'Record my final vote' }).click();
        await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
        expect(await page.locator('.error-summary').innerText()).toContain('Your final vote differs from your feedback (inclined): say why it changed.');
        expect(await page.getByRole('radio', { name: 'Not inclined', exact: true }).isChecked()).toBe(true);
        await expectAccessible(page);
        await page.getByLabel(/^Why your vote changed/).fill('The bar raiser’s evidence on standards convinced me.');
      } else {
        // The form starts from the vote of their feedback.
        expect(await form.getByRole('radio', { name: VOTE_LABELS[s.vote], exact: true }).isChecked()).toBe(true);
      }
      await page.getByRole('button', { name: 'Record my final vote' }).click();
      await expect.poll(() => page.url()).toMatch(/notice=voted$/);
      expect(await page.getByRole('status').first().innerText()).toBe('Your final vote is recorded.');
      await expectAccessible(page);
    }
    await ivo.goto(debrief);
    const votesText = await ivo.getByRole('region', { name: 'Votes' }).getByRole('table').innerText();
    expect(votesText).toContain('Changed');
    expect(votesText).toContain('Why: The bar raiser’s evidence on standards convinced me.');
    expect(votesText.match(/Not yet/g) ?? []).toHaveLength(1); // only the hiring manager, who does not interview, has no final vote
    await expectAccessible(ivo);

    // The hiring manager is in the loop but has no decision form; a decision they post anyway is refused.
    const manager = await as('manager');
    await manager.goto(debrief);
    expect(await manager.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
    expect(await pageText(manager)).toContain('The bar raiser records the decision. A no hire from the bar raiser cannot be overridden.');
    const refused = await postFromPage(manager, `/staff/applications/${applicationId}/debrief/decide`, { decision: 'hire', level: '5', memo: 'I would like to hire.' });
    expect(refused).toBe(409);
    expect(await manager.locator('.error-summary').innerText()).toContain('Only the bar raiser records the decision.');
    await expectAccessible(manager);

    // The bar raiser decides no hire, with a memo.
    const bea = await as('bea');
    await bea.goto(debrief);
    await bea.getByRole('radio', { name: 'No hire', exact: true }).check();
    await bea.getByLabel('Decision memo').fill('Insist on the highest standards: the evidence fell short in both examples.');
    await bea.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => bea.url()).toMatch(/notice=decided$/);
    expect(await bea.getByRole('heading', { level: 2, name: 'Decision: No hire' }).count()).toBe(1);
    text = await pageText(bea);
    expect(text).toContain('The bar raiser’s no hire stands: nobody can override it.');
    expect(text).toContain('Insist on the highest standards: the evidence fell short in both examples.');
    expect(await bea.getByRole('button', { name: 'Record the decision' }).count()).toBe(0);
    await expectAccessible(bea);
    await bea.screenshot({ path: `${artifacts}debrief-room.png`, fullPage: true });
    // Not even the bar raiser changes it.
    expect(await postFromPage(bea, `/staff/applications/${applicationId}/debrief/decide`, { decision: 'hire', level: '5', memo: 'On second thought.' })).toBe(409);
    expect(await bea.locator('.error-summary').innerText()).toContain('The bar raiser decided no hire. That decision stands and cannot be overridden.');
    await expectAccessible(bea);
    expect(await stageOf(applicationId)).toBe('rejected');

    // The recruiter's application page: rejected, with the reason, and no way to move it.
    const recruiter = await as('recruiter');
    await recruiter.goto(`${site.url}/staff/applications/${applicationId}`);
    text = await pageText(recruiter);
    expect(text).toContain('Rejected because: No hire after the debrief');
    expect(await recruiter.getByLabel('Move to').count()).toBe(0);
    await expectAccessible(recruiter);

    // A move out of rejected posted on the board is refused.
    await recruiter.goto(`${site.url}/staff/jobs/${jobId}/board`);
    await expectAccessible(recruiter);
    expect(await postFromPage(recruiter, `/staff/jobs/${jobId}/board/move`, { applicationId: String(applicationId), to: 'onsite_loop' })).toBe(409);
    expect(await recruiter.locator('.error-summary').innerText()).toContain('This application was rejected, and a rejection is final.');
    await expectAccessible(recruiter);
    expect(await stageOf(applicationId)).toBe('rejected');

    // The candidate reads the outcome in their account, never the reason.
    await candidate.goto(`${site.url}/account`);
    const application = candidate.getByRole('listitem').filter({ has: candidate.getByRole('heading', { name: TITLE }) });
    expect(await application.innerText()).toContain('Status: No longer under consideration');
    expect(await pageText(candidate)).not.toContain('No hire');
    await expectAccessible(candidate);
    await candidate.context().close();
  }, 90_000);
});

describe('a hire, its offer and the candidate’s acceptance in the browser', () => {
  const TITLE = 'Quillwort Payments Engineer';
  const WORD = 'quillwort';
  const CANDIDATE = { name: 'Zoë Ødegård', email: 'zoe.odegard@example.test' };
  const OFFER = { title: 'Senior Quillwort Payments Engineer', basePay: '185000', currency: 'EUR', signOnBonus: '20000', equity: '1,500 restricted stock units over four years', notes: 'Relocation to Lisbon is paid.' };
  const seats: Seat[] = [
    { who: 'ivo', role: 'interviewer', principles: ['customer-obsession', 'ownership'], vote: 'inclined', signal: 'good', marker: 'wrenfeedback' },
    { who: 'isa', role: 'interviewer', principles: ['dive-deep', 'bias-for-action'], vote: 'inclined', signal: 'strong', marker: 'mothfeedback' },
    { who: 'bea', role: 'bar_raiser', principles: ['insist-on-the-highest-standards', 'earn-trust'], vote: 'inclined', signal: 'good', marker: 'harefeedback' },
  ];

  it('the bar raiser decides hire, an approved offer is extended, the candidate accepts it in the account and the job closes as filled', async () => {
    const jobId = await openJob(TITLE, 1);

    // The candidate signs up, confirms, finds the job by its word and applies, signed in.
    const candidate = await candidateSignsUp(CANDIDATE.email);
    await candidate.goto(`${site.url}/jobs?q=${WORD}`);
    await expectAccessible(candidate);
    await candidate.getByRole('link', { name: TITLE, exact: true }).click();
    await expect.poll(() => new URL(candidate.url()).pathname).toMatch(new RegExp(`^/jobs/${jobId}/`));
    const publicJob = candidate.url();
    await expectAccessible(candidate);
    await candidate.getByRole('link', { name: 'Apply for this job' }).click();
    expect(await candidate.getByLabel('Email address').inputValue()).toBe(CANDIDATE.email);
    await expectAccessible(candidate);
    await candidate.getByLabel('Full name').fill(CANDIDATE.name);
    await candidate.getByLabel('Resume file').setInputFiles({ name: 'zoe.pdf', mimeType: 'application/pdf', buffer: makePdf('Zoë settles card payments across Europe') });
    await candidate.getByLabel(/I agree that/).check();
    await candidate.getByRole('button', { name: 'Send application' }).click();
    await expect.poll(() => candidate.url()).toMatch(/\/apply\/received$/);
    await expectAccessible(candidate);
    await candidate.context().close();
    const [row] = await db().select({ id: applications.id }).from(applications).where(eq(applications.jobId, jobId));
    const applicationId = row!.id;
    await loopWithFeedback(applicationId, seats);

    // The bar raiser opens the debrief (every feedback is in) and decides hire at level 5.
    const bea = await as('bea');
    const debrief = `${site.url}/staff/applications/${applicationId}/debrief`;
    await bea.goto(debrief);
    await expectAccessible(bea);
    await bea.getByRole('button', { name: 'Open the debrief' }).click();
    await expect.poll(() => bea.url()).toMatch(/notice=opened$/);
    expect(await bea.locator('.debrief-columns article').count()).toBe(seats.length);
    await expectAccessible(bea);
    await bea.getByRole('radio', { name: 'Hire', exact: true }).check();
    await bea.getByLabel('Level to hire at').selectOption('5');
    await bea.getByLabel('Decision memo').fill('Strong on ownership and diving deep; raises the bar for level 5.');
    await bea.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => bea.url()).toMatch(/notice=decided$/);
    expect(await bea.getByRole('heading', { level: 2, name: 'Decision: Hire at level 5 (Senior)' }).count()).toBe(1);
    expect(await pageText(bea)).toContain('The decision stands and cannot be changed.');
    await expectAccessible(bea);
    expect(await stageOf(applicationId)).toBe('offer');

    // The admin gives the job its own approval chain of one approver.
    const admin = await as('admin');
    await admin.goto(`${site.url}/staff/offers/approval-chains`);
    await expectAccessible(admin);
    const adding = admin.locator('details').filter({ has: admin.getByText('Give a job its own chain', { exact: true }) });
    await adding.locator('summary').click();
    await adding.getByLabel('Job id').fill(String(jobId));
    await adding.getByLabel('Approver 1', { exact: true }).selectOption({ label: cast.approver.name });
    await adding.getByRole('button', { name: 'Save the job’s chain' }).click();
    await expect.poll(() => admin.url()).toMatch(/notice=chain-saved$/);
    const perJob = admin.getByRole('region', { name: 'Per job' });
    expect(await perJob.locator('summary').first().innerText()).toContain(cast.approver.name);
    await expectAccessible(admin);

    // The recruiter drafts the offer: it starts from the job's title and the level decided.
    const recruiter = await as('recruiter');
    const offerPage = `${site.url}/staff/applications/${applicationId}/offer`;
    await recruiter.goto(offerPage);
    const draft = recruiter.getByRole('region', { name: 'Draft an offer' });
    expect(await draft.getByLabel('Job title').inputValue()).toBe(TITLE);
    expect(await draft.getByLabel('Level', { exact: true }).inputValue()).toBe('5');
    expect(await pageText(recruiter)).toContain(`Submitting sends it to this job’s approval chain, in order: ${cast.approver.name}.`);
    await expectAccessible(recruiter);
    await draft.getByLabel('Job title').fill(OFFER.title);
    await draft.getByLabel('Amount').fill(OFFER.basePay);
    await draft.getByLabel('Currency').fill(OFFER.currency);
    await draft.getByLabel('Paid').selectOption('YEAR');
    await draft.getByLabel('Start date').fill(dayFromNow(60));
    await draft.getByLabel(/^Sign-on bonus/).fill(OFFER.signOnBonus);
    await draft.getByLabel(/^Equity/).fill(OFFER.equity);
    await draft.getByLabel(/^Notes/).fill(OFFER.notes);
    await draft.getByRole('button', { name: 'Save the draft' }).click();
    await expect.poll(() => recruiter.url()).toMatch(/notice=created$/);
    const current = recruiter.getByRole('region', { name: /^Current offer/ });
    expect(await current.getByRole('heading', { level: 2 }).innerText()).toMatch(/Draft$/);
    await expectAccessible(recruiter);
    await recruiter.getByRole('button', { name: 'Submit the offer' }).click();
    await expect.poll(() => recruiter.url()).toMatch(/notice=submitted$/);
    expect(await current.getByRole('row').filter({ hasText: cast.approver.name }).innerText()).toContain('Waiting');
    await expectAccessible(recruiter);

    // The approver approves it from their list.
    const approver = await as('approver');
    await approver.goto(`${site.url}/staff/offers`);
    const item = approver.getByRole('region', { name: `${CANDIDATE.name}: ${OFFER.title}` });
    expect(await item.innerText()).toContain('185,000');
    await expectAccessible(approver);
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => approver.url()).toMatch(/notice=decided$/);
    expect(await pageText(approver)).toContain('No offer is waiting for your approval.');
    await expectAccessible(approver);

    // The recruiter extends it with the last day to answer.
    await recruiter.goto(offerPage);
    expect(await current.getByRole('row').filter({ hasText: cast.approver.name }).innerText()).toContain('Approved');
    await expectAccessible(recruiter);
    await recruiter.getByLabel('Open until').fill(dayFromNow(14));
    await recruiter.getByRole('button', { name: 'Extend the offer' }).click();
    await expect.poll(() => recruiter.url()).toMatch(/notice=extended$/);
    await expectAccessible(recruiter);
    const [offer] = await db().select({ id: offers.id, status: offers.status }).from(offers).where(eq(offers.applicationId, applicationId));
    expect(offer!.status).toBe('extended');

    // The candidate signs in and finds the offer in their account.
    const account = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await account.goto(`${site.url}/account/sign-in`);
    await expectAccessible(account);
    await account.getByLabel('Email address').fill(CANDIDATE.email);
    await account.getByLabel('Password').fill(CANDIDATE_PASSWORD);
    await account.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => account.url()).toBe(`${site.url}/account`);
    const offersList = account.getByRole('region', { name: 'Your offers' });
    expect(await offersList.innerText()).toContain(`${OFFER.title} — Waiting for your answer`);
    await expectAccessible(account);
    await offersList.getByRole('link', { name: OFFER.title }).click();
    await expect.poll(() => account.url()).toBe(`${site.url}/account/offers/${offer!.id}`);
    expect(await account.getByRole('heading', { level: 1 }).textContent()).toBe(`Your offer: ${OFFER.title}`);
    await expectAccessible(account);
    await account.screenshot({ path: `${artifacts}candidate-offer.png`, fullPage: true });

    // The letter, fetched by the signed-in page as its link would.
    const letterLink = account.getByRole('link', { name: 'Download the offer letter (PDF)' });
    const letterPath = await letterLink.getAttribute('href');
    expect(letterPath).toBe(`/account/offers/${offer!.id}/letter.pdf`);
    const letter = await account.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type'), bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
    }, letterPath!);
    expect(letter.status).toBe(200);
    expect(letter.type).toBe('application/pdf');
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    const printed = squeeze((await pdfText(Buffer.from(letter.bytes))).text);
    for (const words of [CANDIDATE.name, `Position: ${OFFER.title}`, 'Base pay: 185,000 EUR per year', OFFER.equity, OFFER.notes]) expect(printed, words).toContain(squeeze(words));

    // Accepting needs the box ticked.
    await account.getByRole('button', { name: 'Accept the offer' }).click();
    await expect.poll(() => account.locator('.error-summary').count()).toBe(1);
    expect(await account.locator('.error-summary').innerText()).toContain('Tick the box to confirm that you accept the offer');
    await expectAccessible(account);
    await account.getByLabel('I have read the terms above and accept this offer').check();
    await account.getByRole('button', { name: 'Accept the offer' }).click();
    await expect.poll(() => account.url()).toBe(`${site.url}/account/offers/${offer!.id}?notice=accepted`);
    expect(await account.getByRole('status').innerText()).toContain('you accepted the offer');
    expect(await account.getByRole('button', { name: 'Accept the offer' }).count()).toBe(0);
    await expectAccessible(account);

    await account.goto(`${site.url}/account`);
    const application = account.getByRole('listitem').filter({ has: account.getByRole('heading', { name: TITLE }) });
    expect(await application.innerText()).toContain('Status: Hired');
    expect(await offersList.innerText()).toContain(`${OFFER.title} — You accepted this offer`);
    await expectAccessible(account);

    // Staff see the offer accepted and the job closed as filled.
    await recruiter.goto(offerPage);
    expect(await current.getByRole('heading', { level: 2 }).innerText()).toMatch(/Accepted$/);
    await expectAccessible(recruiter);
    await recruiter.goto(`${site.url}/staff/jobs/${jobId}`);
    expect(await recruiter.getByRole('region', { name: 'Status' }).innerText()).toContain('This job is Closed (filled).');
    await expectAccessible(recruiter);
    const [job] = await db().select({ status: jobs.status, headcount: jobs.headcount }).from(jobs).where(eq(jobs.id, jobId));
    expect(job).toEqual({ status: 'closed_filled', headcount: 0 });

    // The public job page is gone, and search no longer lists it.
    const gone = await account.goto(publicJob);
    expect(gone?.status()).toBe(410);
    await expectAccessible(account);
    await account.goto(`${site.url}/jobs?q=${WORD}`);
    expect(await account.getByRole('link', { name: TITLE, exact: true }).count()).toBe(0);
    await expectAccessible(account);
    await account.context().close();
  }, 90_000);
});
