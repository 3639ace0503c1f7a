import { asc, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, mailMessages } from '../src/server/db/schema/index.ts';
import { createJobs } from '../src/server/features/jobs/jobs.service.ts';
import { buildJob } from '../test/support/builders.ts';
import { makePdf } from '../test/support/files.ts';
import { addToJobTeam, createStaff } from '../test/support/staff.ts';
import { artifacts, expectAccessible, launchBrowser, startSite, type Site } from './support/journey.ts';
import { fetchJson, pageText, signInAsStaff } from './support/staff.ts';

const PASSWORD = 'correct horse battery staple, loop edition';
const JOB_TITLE = 'Fulfilment Routing Engineer';
const CANDIDATE = { name: 'Mira Solberg', email: 'mira.solberg@example.test' };
// Next year, so every interview is still to come and shows under "Your interviews".
const YEAR = new Date().getUTCFullYear() + 1;

/** One interviewer of the loop: who they are, when the recruiter books them, the word only their evidence holds, their vote. */
interface Member {
  key: string;
  name: string;
  barRaiser?: boolean;
  schedule: { date: string; time: string; timeZone: string; duration: string; room: string; videoUrl: string };
  /** The start in UTC that the typed local time in its zone is (offsets away from any clock change). */
  utcStart: string;
  marker: string;
  vote: RegExp;
  voteValue: string;
  id?: number;
  email?: string;
  page?: Page;
  /** Their feedback form's address. */
  form?: string;
  principles?: string[];
}

const members: Member[] = [
  {
    key: 'ines',
    name: 'Ines Moreau',
    schedule: { date: `${YEAR}-01-13`, time: '09:00', timeZone: 'Europe/Berlin', duration: '60', room: 'Room Fjord, 3rd floor', videoUrl: '' },
    utcStart: `${YEAR}-01-13T08:00:00.000Z`,
    marker: 'quokkaevidence',
    vote: /^Inclined\b/,
    voteValue: 'inclined',
  },
  {
    key: 'jonas',
    name: 'Jonas Berg',
    schedule: { date: `${YEAR}-07-14`, time: '10:30', timeZone: 'America/New_York', duration: '45', room: '', videoUrl: 'https://meet.example.test/jonas-berg' },
    utcStart: `${YEAR}-07-14T14:30:00.000Z`,
    marker: 'narwhalevidence',
    vote: /^Strongly inclined\b/,
    voteValue: 'strongly_inclined',
  },
  {
    key: 'kofi',
    name: 'Kofi Mensah',
    schedule: { date: `${YEAR}-01-15`, time: '14:00', timeZone: 'Asia/Kolkata', duration: '60', room: 'Room Banyan', videoUrl: '' },
    utcStart: `${YEAR}-01-15T08:30:00.000Z`,
    marker: 'axolotlevidence',
    vote: /^Not inclined\b/,
    voteValue: 'not_inclined',
  },
  {
    key: 'lena',
    name: 'Lena Petrova',
    schedule: { date: `${YEAR}-01-16`, time: '11:00', timeZone: 'Asia/Tokyo', duration: '60', room: 'Room Sakura', videoUrl: 'https://meet.example.test/lena' },
    utcStart: `${YEAR}-01-16T02:00:00.000Z`,
    marker: 'pangolinevidence',
    vote: /^Inclined\b/,
    voteValue: 'inclined',
  },
  {
    key: 'bea',
    name: 'Bea Lindqvist',
    barRaiser: true,
    schedule: { date: `${YEAR}-07-17`, time: '16:15', timeZone: 'America/Sao_Paulo', duration: '90', room: '', videoUrl: 'https://meet.example.test/bar-raiser' },
    utcStart: `${YEAR}-07-17T19:15:00.000Z`,
    marker: 'ocelotevidence',
    vote: /^Strongly inclined\b/,
    voteValue: 'strongly_inclined',
  },
];
const [ines, jonas] = members as [Member, Member, ...Member[]];
const interviewers = members.filter((m) => !m.barRaiser);
const barRaiser = members.find((m) => m.barRaiser)!;
/** Jonas's interview moves to another day: same UID, SEQUENCE 1. */
const MOVED = { date: `${YEAR}-07-21`, time: '13:00', utcStart: `${YEAR}-07-21T17:00:00.000Z` };

let browser: Browser;
let site: Site;
let jobId: number;
let applicationId: number;
const cast = {} as Record<'admin' | 'manager' | 'recruiter', { id: number; email: string; name: string }>;
let recruiterPage: Page;

const db = () => site.database.db;
const loopUrl = () => `${site.url}/staff/applications/${applicationId}/loop`;
const feedbackPath = () => `/staff/applications/${applicationId}/feedback`;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  cast.admin = await createStaff(db(), { role: 'admin', name: 'Ada Okonkwo', password: PASSWORD, level: 7 });
  cast.manager = await createStaff(db(), { role: 'hiring_manager', name: 'Hana Ishikawa', password: PASSWORD, level: 7 });
  cast.recruiter = await createStaff(db(), { role: 'recruiter', name: 'Rui Carvalho', password: PASSWORD, level: 5 });
  for (const m of members) {
    // The four interviewers report to the hiring manager; the bar raiser sits in another chain (under the admin).
    const made = await createStaff(db(), {
      role: 'interviewer',
      name: m.name,
      password: PASSWORD,
      level: m.barRaiser ? 6 : 5,
      barRaiser: m.barRaiser ?? false,
      managerId: m.barRaiser ? cast.admin.id : cast.manager.id,
    });
    Object.assign(m, { id: made.id, email: made.email });
  }
  const { ids } = await createJobs({
    db: db(),
    inputs: [buildJob({ title: JOB_TITLE, level: 4, status: 'open', principles: ['customer-obsession', 'ownership', 'dive-deep', 'earn-trust'] })],
  });
  jobId = ids[0]!;
  await addToJobTeam(db(), jobId, cast.manager.id, 'hiring_manager');
  await addToJobTeam(db(), jobId, cast.recruiter.id, 'recruiter');
  for (const m of interviewers) await addToJobTeam(db(), jobId, m.id!, 'interviewer');
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** What ical.js reads of a stored invitation. */
function readInvite(ical: string) {
  const calendar = new ICAL.Component(ICAL.parse(ical));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
    organizer: String(vevent.getFirstPropertyValue('organizer')),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
  };
}

async function invites() {
  const rows = await db().select().from(mailMessages).where(eq(mailMessages.kind, 'interview_invite')).orderBy(asc(mailMessages.id));
  return rows.map((row) => ({ to: row.toAddress.toLowerCase(), subject: row.subject, icalMethod: row.icalMethod, ...readInvite(row.ical!) }));
}

/** Fills one interview's schedule form on the loop page and sends it. */
async function schedule(page: Page, m: Member, values: Member['schedule']) {
  const form = page.getByRole('group', { name: `When and where: interview with ${m.name}` });
  await form.getByLabel('Date').fill(values.date);
  await form.getByLabel('Start time').fill(values.time);
  await form.getByLabel('Time zone').selectOption(values.timeZone);
  await form.getByLabel('Duration in minutes').fill(values.duration);
  await form.getByLabel('Room').fill(values.room);
  await form.getByLabel('Video link').fill(values.videoUrl);
  await page.getByRole('region', { name: new RegExp(`^${m.name} · `) }).getByRole('button', { name: /^(Schedule and send the invitation|Reschedule and send the update)$/ }).click();
  await expect.poll(() => page.url()).toMatch(/notice=scheduled/);
}

/** Evidence and signals for every principle of the form, each part carrying the member's marker word; then the vote. */
async function fillFeedback(page: Page, m: Member) {
  const principles = page.locator('fieldset.feedback-principle');
  const count = await principles.count();
  expect(count).toBe(m.principles!.length);
  for (let i = 0; i < count; i += 1) {
    const p = principles.nth(i);
    await p.getByLabel(/^Situation/).fill(`${m.marker} situation: a warehouse lost orders at peak`);
    await p.getByLabel(/^Task/).fill(`${m.marker} task: find why routes dropped parcels`);
    await p.getByLabel(/^Action/).fill(`${m.marker} action: I traced the queue and rewrote the retry`);
    await p.getByLabel(/^Result/).fill(`${m.marker} result: lost orders fell by nine tenths`);
    await p.getByRole('radio', { name: i % 2 ? 'Good' : 'Strong' }).check();
  }
  await page.getByRole('group', { name: 'Overall vote' }).getByRole('radio', { name: m.vote }).check();
}

/** Checks what a member reads of the loop's feedback on the page and in the JSON API: exactly the markers of `visible`. */
async function expectFeedbackSeen(page: Page, reader: Member, visible: Member[], options: { check?: boolean } = {}) {
  await page.goto(`${site.url}${feedbackPath()}`);
  const text = await pageText(page);
  const api = await fetchJson<{ view: string; members: Array<{ interviewer: { id: number }; submitted: boolean; feedback?: { vote: string; evidence: Array<{ situation: string }> } }> }>(
    page,
    `/staff/api${feedbackPath().slice('/staff'.length)}`,
  );
  expect(api.status).toBe(200);
  const json = JSON.stringify(api.body);
  for (const m of members) {
    const shown = visible.includes(m);
    expect(text.includes(m.marker), `${reader.name} reads ${m.name}'s evidence on the page: ${shown}`).toBe(shown);
    expect(json.includes(m.marker), `${reader.name} reads ${m.name}'s evidence in the API: ${shown}`).toBe(shown);
    const entry = api.body.members.find((x) => x.interviewer.id === m.id)!;
    expect(entry.feedback?.vote ?? null).toBe(shown ? m.voteValue : null);
  }
  if (visible.length === 0) {
    expect(text).not.toMatch(/Vote:/);
    expect(json).not.toMatch(/inclined/);
  }
  if (options.check) await expectAccessible(page);
  return { text, api: api.body };
}

describe('an interview loop, planned, booked and reviewed in the browser', () => {
  it('a candidate applies, the recruiter plans four interviewers and an independent bar raiser, and the hiring manager confirms the pre-brief', async () => {
    const candidate = await browser.newContext();
    const apply = await candidate.newPage();
    await apply.goto(`${site.url}/jobs?q=fulfilment`);
    await apply.getByRole('link', { name: JOB_TITLE, exact: true }).click();
    await apply.getByRole('link', { name: 'Apply for this job' }).click();
    await apply.getByLabel('Full name').fill(CANDIDATE.name);
    await apply.getByLabel('Email address').fill(CANDIDATE.email);
    await apply.getByLabel('Resume file').setInputFiles({ name: 'resume.pdf', mimeType: 'application/pdf', buffer: makePdf('Mira routes parcels across three continents') });
    await apply.getByLabel(/I agree that/).check();
    await apply.getByRole('button', { name: 'Send application' }).click();
    await expect.poll(() => apply.url()).toMatch(/\/apply\/received$/);
    await candidate.close();
    const [row] = await db().select({ id: applications.id }).from(applications).where(eq(applications.jobId, jobId));
    applicationId = row!.id;

    recruiterPage = await signInAsStaff(browser, site, { email: cast.recruiter.email, password: PASSWORD }, { check: true });
    const page = recruiterPage;
    await page.goto(loopUrl());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Interview loop: ${CANDIDATE.name}`);
    await expectAccessible(page);
    for (const m of members) await page.getByRole('checkbox', { name: m.name, exact: true }).check();
    const preferred = page.getByLabel(/Preferred bar raiser/);
    expect(await preferred.locator('option').allInnerTexts()).toEqual(['No preference', expect.stringMatching(new RegExp(`^${barRaiser.name} \\(level 6`))]);
    await preferred.selectOption(String(barRaiser.id));
    await page.getByRole('button', { name: 'Plan the loop' }).click();
    await expect.poll(() => page.url()).toMatch(/notice=planned$/);

    // The plan: each interviewer's principles (read from the ticked boxes of the adjust form, as a
    // name may hold a comma), the bar raiser, every emphasized principle covered, none twice.
    const plan = page.getByRole('table', { name: 'Interviewers, their roles, principles and times' });
    const ticked = async (m: Member, checked?: boolean) =>
      (await page.getByRole('group', { name: `Principles ${m.name} assesses` }).getByRole('checkbox', checked === undefined ? {} : { checked }).evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).labels![0]!.textContent!)));
    const emphasized = (await ticked(ines)).filter((l) => l.endsWith(' (emphasized)')).map((l) => l.replace(' (emphasized)', ''));
    expect(emphasized).toHaveLength(4);
    const held: string[] = [];
    for (const m of members) {
      const row = plan.getByRole('row').filter({ has: page.getByRole('rowheader', { name: m.name, exact: true }) });
      const cells = row.getByRole('cell');
      // The boxes come in the pack's order; the table lists them, one a line, in the order the interview takes them.
      const inOrder = (await cells.nth(1).getByRole('listitem').allInnerTexts()).map((t) => t.trim());
      m.principles = (await ticked(m, true)).map((l) => l.replace(' (emphasized)', '')).sort((x, y) => inOrder.indexOf(x) - inOrder.indexOf(y));
      expect(m.principles.length).toBeGreaterThanOrEqual(2);
      expect(m.principles.length).toBeLessThanOrEqual(3);
      held.push(...m.principles);
      expect(await cells.nth(0).innerText()).toBe(m.barRaiser ? 'Bar raiser' : 'Interviewer');
      expect(inOrder).toEqual(m.principles);
    }
    for (const name of emphasized) expect(held).toContain(name);
    expect(new Set(held).size).toBe(held.length);
    const stated = await page.locator('dt', { hasText: 'Principles the job emphasizes' }).locator('xpath=following-sibling::dd').innerText();
    for (const name of emphasized) expect(stated).toContain(name);
    expect(await page.getByRole('region', { name: 'Rule check' }).innerText()).toContain('The plan meets every rule');
    await expectAccessible(page);

    // The recruiter may not confirm; the hiring manager does.
    expect(await page.getByRole('region', { name: 'Pre-brief' }).innerText()).toContain('Only the job’s hiring manager (or an admin) confirms the pre-brief.');
    const manager = await signInAsStaff(browser, site, { email: cast.manager.email, password: PASSWORD }, { check: true });
    await manager.goto(loopUrl());
    await manager.getByRole('button', { name: 'Confirm the pre-brief' }).click();
    await expect.poll(() => manager.url()).toMatch(/notice=confirmed$/);
    expect(await manager.getByRole('status').first().innerText()).toBe('The pre-brief is confirmed.');
    await expectAccessible(manager);
    await manager.context().close();
  });

  it('the recruiter books every interview; each invitation parses with ical.js, and a rescheduled one keeps its UID with SEQUENCE 1', async () => {
    const page = recruiterPage;
    await page.goto(loopUrl());
    for (const m of members) await schedule(page, m, m.schedule);
    await expectAccessible(page);

    const sent = await invites();
    expect(sent).toHaveLength(members.length * 2);
    const uids = new Set<string>();
    for (const m of members) {
      const mine = sent.filter((s) => s.to === m.email!.toLowerCase());
      expect(mine).toHaveLength(1);
      const invite = mine[0]!;
      const theirs = sent.filter((s) => s.to === CANDIDATE.email && s.uid === invite.uid);
      expect(theirs).toHaveLength(1);
      for (const s of [invite, theirs[0]!]) {
        expect(s.method).toBe('REQUEST');
        expect(s.icalMethod).toBe('REQUEST');
        expect(s.uid).toMatch(/\S+@/);
        expect(s.sequence).toBe(0);
        expect(s.startIsUtc).toBe(true);
        expect(s.start).toBe(m.utcStart);
        expect(s.organizer).toMatch(/^mailto:\S+@\S+$/);
        expect(s.attendees).toEqual(expect.arrayContaining([`mailto:${m.email!.toLowerCase()}`, `mailto:${CANDIDATE.email}`]));
        expect(s.attendees).toHaveLength(2);
      }
      uids.add(invite.uid);
    }
    expect(uids.size).toBe(members.length);

    // Jonas's interview moves: both people get the update under the same UID, one sequence higher.
    const before = sent.find((s) => s.to === jonas.email!.toLowerCase())!;
    await schedule(page, jonas, { ...jonas.schedule, date: MOVED.date, time: MOVED.time });
    const after = await invites();
    const update = after.slice(sent.length);
    expect(update.map((s) => s.to).sort()).toEqual([CANDIDATE.email, jonas.email!.toLowerCase()].sort());
    for (const s of update) {
      expect(s.method).toBe('REQUEST');
      expect(s.uid).toBe(before.uid);
      expect(s.sequence).toBe(1);
      expect(s.start).toBe(MOVED.utcStart);
    }
    jonas.utcStart = MOVED.utcStart;
    expect(await page.getByRole('region', { name: `${jonas.name} · Interviewer` }).innerText()).toContain('Scheduled');
    await page.screenshot({ path: `${artifacts}loop-page.png`, fullPage: true });

    // The outbox lists every invitation for an admin.
    const admin = await signInAsStaff(browser, site, { email: cast.admin.email, password: PASSWORD }, { check: true });
    await admin.goto(`${site.url}/staff/outbox`);
    const rows = admin.getByRole('row').filter({ hasText: 'interview_invite' });
    expect(await rows.count()).toBe(after.length);
    for (const m of members) expect(await rows.filter({ hasText: m.email! }).count()).toBe(m === jonas ? 2 : 1);
    expect(await rows.filter({ hasText: CANDIDATE.email }).count()).toBe(members.length + 1);
    await expectAccessible(admin);
    await admin.context().close();
  });

  it('every interviewer and the bar raiser opens their kit from their staff home: their principles, with questions', async () => {
    for (const m of members) {
      const page = await signInAsStaff(browser, site, { email: m.email!, password: PASSWORD }, { check: true });
      m.page = page;
      const yours = page.getByRole('region', { name: /^Your interviews/ });
      await yours.getByRole('link', { name: `Interview ${CANDIDATE.name} for ${JOB_TITLE}` }).click();
      await expect.poll(() => page.url()).toMatch(/\/staff\/interviews\/\d+\/kit$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Interview kit: ${CANDIDATE.name}`);
      const principles = page.getByRole('region', { name: 'Principles to assess' });
      const headings = await principles.getByRole('heading', { level: 3 }).allInnerTexts();
      expect(headings).toEqual(m.principles);
      for (const name of m.principles!) {
        const questions = principles.getByRole('article', { name }).locator('.kit-question__text');
        expect(await questions.count()).toBeGreaterThan(0);
      }
      expect(await page.getByRole('status').innerText()).toBe('You have not started your feedback.');
      await expectAccessible(page);
      if (m === ines) {
        await page.screenshot({ path: `${artifacts}interview-kit.png`, fullPage: true });
        await page.getByRole('link', { name: 'Printable kit' }).click();
        await expect.poll(() => page.url()).toMatch(/\/kit\/print$/);
        expect(await page.getByRole('heading', { level: 3, name: m.principles![0]! }).count()).toBe(1);
        await expectAccessible(page);
        await page.goBack();
      }
      await page.getByRole('link', { name: 'Write your feedback' }).click();
      await expect.poll(() => page.url()).toMatch(/\/staff\/interviews\/\d+\/feedback$/);
      m.form = page.url();
      await expectAccessible(page);
    }
  });

  it('feedback stays sealed until each member submits their own, then opens to them; drafts save as you type', async () => {
    // Ines's draft saves itself and survives a reload.
    const draft = ines.page!;
    const firstSituation = draft.locator('fieldset.feedback-principle').first().getByLabel(/^Situation/);
    await firstSituation.fill(`${ines.marker} draft: started typing before lunch`);
    await expect.poll(() => draft.locator('#feedback-live').innerText(), { timeout: 10_000 }).toMatch(/^Draft saved at \d\d:\d\d$/);
    await draft.reload();
    expect(await firstSituation.inputValue()).toBe(`${ines.marker} draft: started typing before lunch`);

    // Jonas has not submitted: he sees neither Ines's draft nor, once she submits, her feedback.
    await expectFeedbackSeen(jonas.page!, jonas, [], { check: true });
    await fillFeedback(draft, ines);
    await draft.getByRole('button', { name: 'Submit feedback' }).click();
    await expect.poll(() => draft.url()).toMatch(/notice=submitted$/);
    expect(await draft.locator('#feedback-live').innerText()).toContain('Your feedback is submitted.');
    await expectAccessible(draft);
    const sealed = await expectFeedbackSeen(jonas.page!, jonas, []);
    expect(sealed.api.view).toBe('status');
    expect(sealed.api.members.find((x) => x.interviewer.id === ines.id)!.submitted).toBe(true);
    const inesRow = jonas.page!.getByRole('row').filter({ has: jonas.page!.getByRole('rowheader', { name: ines.name }) });
    expect(await inesRow.getByRole('cell').nth(1).innerText()).toBe('Yes');
    await expectFeedbackSeen(draft, ines, [ines]);

    // Each of the others submits, and then reads everyone who submitted before them, and no one else.
    const submitted = [ines];
    for (const m of members.slice(1)) {
      const page = m.page!;
      // Before they submit, others' submitted feedback stays sealed to them too.
      await expectFeedbackSeen(page, m, [], { check: true });
      await page.goto(m.form!);
      await fillFeedback(page, m);
      await page.getByRole('button', { name: 'Submit feedback' }).click();
      await expect.poll(() => page.url()).toMatch(/notice=submitted$/);
      submitted.push(m);
      const seen = await expectFeedbackSeen(page, m, submitted, { check: true });
      expect(seen.api.view).toBe('full');
    }
    const all = await expectFeedbackSeen(ines.page!, ines, members, { check: true });
    expect(all.text.match(/Vote: /g)).toHaveLength(members.length);
    for (const m of members) await m.page!.context().close();
  });
});
