import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsTestApp, FormClient } from '../../../../test/support/account-client.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { makePdf } from '../../../../test/support/files.ts';
import type { RecordingMail } from '../../../../test/support/recording-mail.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applicationEvents, applications, auditEvents, people, resumes } from '../../db/schema/index.ts';
import { folderFileStore } from '../../files/file-store.ts';
import { createJobs } from '../jobs/jobs.service.ts';

let t: TestApp & { mail: RecordingMail };
let jobs: Array<{ id: number; title: string; apply: string }>;
let n = 0;
const address = (name = 'cand') => `${name}.${++n}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  t = await accountsTestApp();
  const titles = ['Platform Engineer', 'Product Designer', 'Support Lead'];
  const { ids } = await createJobs({ db: t.database.db, inputs: titles.map((title) => buildJob({ title })) });
  jobs = ids.map((id, i) => ({ id, title: titles[i]!, apply: `/jobs/${id}/${titles[i]!.toLowerCase().replaceAll(' ', '-')}/apply` }));
});
afterAll(() => t.close());

const db = () => t.database.db;
const pdf = (text = 'Ada designs resilient systems', filename = 'ada-resume.pdf') => ({ field: 'resume', filename, contentType: 'application/pdf', bytes: makePdf(text) });
const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;

/** Signs up and confirms the address: a verified, signed-in browser. */
async function verifiedAccount(email = address()): Promise<{ browser: FormClient; email: string }> {
  const browser = new FormClient(t.app);
  expect((await browser.submit('/account/sign-up', { email, password: PASSWORD })).statusCode).toBe(303);
  const link = t.mail.linkPath(email, 'verify_email');
  await browser.get(link);
  expect((await browser.post('/account/verify', { token: tokenOf(link) })).headers.location).toBe('/account?notice=verified');
  return { browser, email };
}

/** Applies to a job through the public form, signed out, with a PDF resume, and confirms it from the emailed link. */
async function applyAnonymously(email: string, job = jobs[0]!, name = 'Ada Lovelace'): Promise<number> {
  const browser = new FormClient(t.app);
  const res = await browser.postMultipart(job.apply, { idempotencyKey: randomUUID(), name, email, consentProcessing: 'yes' }, pdf());
  expect(res.statusCode).toBe(303);
  const token = new URL(t.mail.linkPath(email, 'application_received'), 'http://x').searchParams.get('token')!;
  expect((await browser.postMultipart('/applications/confirm', { token })).statusCode).toBe(200);
  const [row] = await db()
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(people, eq(people.id, applications.personId))
    .where(and(sql`lower(${people.email}) = lower(${email})`, eq(applications.jobId, job.id)))
    .orderBy(desc(applications.id));
  return row!.id;
}

const stageOf = async (id: number) => (await db().select({ stage: applications.stage }).from(applications).where(eq(applications.id, id)))[0]!.stage;
const personOf = async (email: string) => (await db().select().from(people).where(sql`lower(${people.email}) = lower(${email})`))[0]!;
const auditActions = async (subjectType: string, subjectId: number) =>
  (await db().select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, String(subjectId))))).map(
    (r) => r.action,
  );

describe(`applications in /account on ${testEngine}`, () => {
  it('shows nothing linked to the address until it is verified, and offers the confirmation link again', async () => {
    const email = address('victim');
    const applicationId = await applyAnonymously(email);
    // Someone else opens an account with this address and signs in with their password.
    const intruder = new FormClient(t.app);
    await intruder.submit('/account/sign-up', { email, password: PASSWORD });
    await intruder.submit('/account/sign-in', { email, password: PASSWORD });
    const page = await intruder.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Once you confirm your email address, your applications and their status appear here.');
    expect(page.body).toContain('Send the confirmation link again');
    expect(page.body).not.toContain(jobs[0]!.title);
    expect((await intruder.get(`/account/applications/${applicationId}/withdraw`)).statusCode).toBe(404);
    expect((await intruder.post(`/account/applications/${applicationId}/withdraw`)).statusCode).toBe(404);
    expect(await stageOf(applicationId)).toBe('applied');
    expect((await intruder.get('/account/profile')).headers.location).toBe('/account');
    const [resume] = await db().select({ id: resumes.id }).from(resumes).where(eq(resumes.personId, (await personOf(email)).id));
    expect((await intruder.get(`/account/resumes/${resume!.id}/file`)).statusCode).toBe(404);
    // Nor does the apply form give away the profile that applications filled in.
    const form = await intruder.get(jobs[1]!.apply);
    expect(form.body).not.toContain('Ada Lovelace');
    expect(form.body).not.toContain('Use my latest resume');
  });

  it('lists every application newest first with its job, plain status and a timeline in plain words', async () => {
    const email = address('ada');
    const first = await applyAnonymously(email, jobs[0]!);
    const second = await applyAnonymously(email, jobs[1]!);
    // A recruiter moves the second one through two internal steps that are one status for the candidate.
    await db().update(applications).set({ stage: 'phone_interview' }).where(eq(applications.id, second));
    await db()
      .insert(applicationEvents)
      .values([
        { applicationId: second, kind: 'moved', fromStage: 'applied', toStage: 'screen', actorType: 'staff', actorId: 1 },
        { applicationId: second, kind: 'moved', fromStage: 'screen', toStage: 'phone_interview', actorType: 'staff', actorId: 1 },
      ]);
    const { browser } = await verifiedAccount(email);
    const page = await browser.get('/account');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body.indexOf(jobs[1]!.title)).toBeGreaterThan(-1);
    expect(body.indexOf(jobs[1]!.title)).toBeLessThan(body.indexOf(jobs[0]!.title));
    expect(body).toContain(`href="/jobs/${jobs[0]!.id}/platform-engineer"`);
    expect(body).toContain('Status: <strong>Received</strong>');
    expect(body).toContain('Status: <strong>Under review</strong>');
    expect(body).toContain('We received your application');
    expect(body.split('Status: Under review')).toHaveLength(2);
    expect(body).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT[^"]+">\d{1,2} \w+ \d{4}<\/time>/);
    for (const internal of ['phone_interview', 'screen', 'applied', 'onsite_loop']) expect(body).not.toMatch(new RegExp(`>[^<]*\\b${internal}\\b`));
    expect(body).toContain(`href="/account/applications/${first}/withdraw"`);
    expect(body).toContain('href="/account/saved-jobs"');
    expect(body).toContain('href="/account/alerts"');
    expect(body).toContain('href="/account/data"');
    expect(body).toContain('href="/account/profile"');
  });

  it('withdraws an application after a confirm step, in one transaction with its timeline and audit events', async () => {
    const email = address('grace');
    const applicationId = await applyAnonymously(email, jobs[2]!);
    const { browser } = await verifiedAccount(email);
    const confirm = await browser.get(`/account/applications/${applicationId}/withdraw`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Withdraw my application');

    const forged = await browser.post(`/account/applications/${applicationId}/withdraw`, { _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(await stageOf(applicationId)).toBe('applied');

    const res = await browser.post(`/account/applications/${applicationId}/withdraw`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account?notice=withdrawn');
    expect(await stageOf(applicationId)).toBe('withdrawn');
    const events = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId));
    expect(events.at(-1)).toMatchObject({ kind: 'withdrawn', fromStage: 'applied', toStage: 'withdrawn', actorType: 'candidate' });
    expect(await auditActions('application', applicationId)).toContain('application.withdrawn');

    const page = await browser.get('/account?notice=withdrawn');
    expect(page.body).toContain('Status: <strong>Withdrawn</strong>');
    expect(page.body).toContain('You withdrew your application');
    expect(page.body).not.toContain(`/account/applications/${applicationId}/withdraw`);
    expect((await browser.post(`/account/applications/${applicationId}/withdraw`)).statusCode).toBe(409);
  });

  it("answers 404 for another person's application, and changes nothing", async () => {
    const owner = address('owner');
    const applicationId = await applyAnonymously(owner, jobs[0]!);
    const { browser } = await verifiedAccount();
    expect((await browser.get('/account')).body).not.toContain(jobs[0]!.title);
    expect((await browser.get(`/account/applications/${applicationId}/withdraw`)).statusCode).toBe(404);
    expect((await browser.post(`/account/applications/${applicationId}/withdraw`)).statusCode).toBe(404);
    expect((await browser.get('/account/applications/not-a-number/withdraw')).statusCode).toBe(404);
    expect(await stageOf(applicationId)).toBe('applied');
  });

  it('sends a signed-out visitor to sign in', async () => {
    const browser = new FormClient(t.app);
    expect((await browser.get('/account/profile')).headers.location).toBe('/account/sign-in');
    expect((await browser.get('/account/applications/1/withdraw')).headers.location).toBe('/account/sign-in');
  });
});

describe(`the profile on ${testEngine}`, () => {
  it('edits name, phone, location and links with the apply form rules, and audits the change', async () => {
    const email = address('lin');
    await applyAnonymously(email, jobs[0]!, 'Lin Old');
    const { browser } = await verifiedAccount(email);
    const page = await browser.get('/account/profile');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Lin Old"');

    const refused = await browser.post('/account/profile', { name: '', linkedin: 'javascript:alert(1)', phone: '+1 555' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<a href="#name">Enter your full name</a>');
    expect(refused.body).toContain('Enter the LinkedIn link as a full address starting with https://');
    expect(refused.body).toContain('value="+1 555"');
    expect((await personOf(email)).name).toBe('Lin Old');

    const saved = await browser.post('/account/profile', { name: 'Lin Ødegård', phone: '+47 555', location: 'Oslo', linkedin: '', github: 'https://github.com/lin', portfolio: '' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account/profile?notice=saved');
    const person = await personOf(email);
    expect(person).toMatchObject({ name: 'Lin Ødegård', phone: '+47 555', location: 'Oslo', links: [{ label: 'GitHub', url: 'https://github.com/lin' }] });
    expect(await auditActions('person', person.id)).toContain('profile.updated');
    expect((await browser.post('/account/profile', { name: 'X', _csrf: 'nope' })).statusCode).toBe(403);
  });
});

describe(`resumes in the account on ${testEngine}`, () => {
  it('uploads a sniffed resume, downloads it as an attachment, and refuses a file that is not a resume', async () => {
    const { browser, email } = await verifiedAccount(address('res'));
    await browser.get('/account/profile');
    const bytes = makePdf('Uploaded from the account');
    const res = await browser.postMultipart('/account/resumes', {}, { field: 'resume', filename: 'Résumé 2026.pdf', contentType: 'text/plain', bytes });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/profile?notice=resume-added');
    const person = await personOf(email);
    const [row] = await db().select().from(resumes).where(eq(resumes.personId, person.id));
    expect(row).toMatchObject({ filename: 'Résumé 2026.pdf', contentType: 'application/pdf' });
    expect(row!.text).toContain('Uploaded from the account');
    expect(await auditActions('resume', row!.id)).toContain('resume.added');
    expect((await browser.get('/account/profile')).body).toContain(`href="/account/resumes/${row!.id}/file"`);

    const download = await browser.get(`/account/resumes/${row!.id}/file`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="R_sum_ 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf`);
    expect(download.rawPayload.equals(bytes)).toBe(true);

    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(64)]);
    const refused = await browser.postMultipart('/account/resumes', {}, { field: 'resume', filename: 'cv.pdf', contentType: 'application/pdf', bytes: elf });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('The resume must be a PDF, a Word document (.docx) or a plain text file.');
    expect(await db().select().from(resumes).where(eq(resumes.personId, person.id))).toHaveLength(1);

    const forged = await browser.postMultipart('/account/resumes', { _csrf: 'forged' }, pdf());
    expect(forged.statusCode).toBe(403);
    expect(await db().select().from(resumes).where(eq(resumes.personId, person.id))).toHaveLength(1);
  });

  it("deletes a resume and its file while the application that used it keeps working; another person's is a 404", async () => {
    const email = address('del');
    const applicationId = await applyAnonymously(email, jobs[1]!);
    const { browser } = await verifiedAccount(email);
    const { browser: stranger } = await verifiedAccount();
    const [row] = await db().select().from(resumes).where(eq(resumes.personId, (await personOf(email)).id));
    const store = folderFileStore(join(t.config.dataDir, 'files'));
    expect((await store.get(row!.storageKey!)).length).toBeGreaterThan(0);

    await stranger.get('/account/profile');
    expect((await stranger.get(`/account/resumes/${row!.id}/file`)).statusCode).toBe(404);
    expect((await stranger.post(`/account/resumes/${row!.id}/delete`)).statusCode).toBe(404);
    expect(await db().select().from(resumes).where(eq(resumes.id, row!.id))).toHaveLength(1);

    await browser.get('/account/profile');
    expect((await browser.post(`/account/resumes/${row!.id}/delete`, { _csrf: 'forged' })).statusCode).toBe(403);
    const res = await browser.post(`/account/resumes/${row!.id}/delete`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/profile?notice=resume-deleted');
    expect(await db().select().from(resumes).where(eq(resumes.id, row!.id))).toHaveLength(0);
    await expect(store.get(row!.storageKey!)).rejects.toThrow();
    expect(await auditActions('resume', row!.id)).toContain('resume.deleted');
    const [application] = await db().select().from(applications).where(eq(applications.id, applicationId));
    expect(application).toMatchObject({ resumeId: null, stage: 'applied' });
    expect((await browser.get('/account')).body).toContain(jobs[1]!.title);
    expect((await browser.get(`/account/resumes/${row!.id}/file`)).statusCode).toBe(404);
  });
});

describe(`applying while signed in on ${testEngine}`, () => {
  it('prefills the form from the profile and reuses the latest resume instead of an upload', async () => {
    const email = address('pre');
    await applyAnonymously(email, jobs[0]!, 'Pre Filled');
    const { browser } = await verifiedAccount(email);
    await browser.get('/account/profile');
    await browser.post('/account/profile', { name: 'Pre Filled', phone: '+44 20 7946 0000', location: 'London', linkedin: 'https://linkedin.com/in/pre', github: '', portfolio: '' });
    await browser.get('/account/profile');
    await browser.postMultipart('/account/resumes', {}, pdf('Newest resume', 'newest.pdf'));
    const person = await personOf(email);
    const [latest] = await db().select().from(resumes).where(eq(resumes.personId, person.id)).orderBy(desc(resumes.id));

    const form = await browser.get(jobs[2]!.apply);
    expect(form.statusCode).toBe(200);
    for (const value of ['Pre Filled', email, '+44 20 7946 0000', 'London', 'https://linkedin.com/in/pre']) expect(form.body).toContain(`value="${value}"`);
    expect(form.body).toMatch(/<input type="hidden" name="_csrf" value="[\w-]+"\/>/);
    expect(form.body).toContain('Use my latest resume: newest.pdf');
    expect(form.body).toMatch(/id="resumeChoice-latest"[^>]*checked/);

    const fields = { idempotencyKey: randomUUID(), name: 'Pre Filled', email, consentProcessing: 'yes', resumeChoice: 'latest' };
    expect((await browser.postMultipart(jobs[2]!.apply, { ...fields, _csrf: 'forged' })).statusCode).toBe(403);
    const res = await browser.postMultipart(jobs[2]!.apply, fields);
    expect(res.statusCode).toBe(303);
    const [application] = await db().select().from(applications).where(and(eq(applications.personId, person.id), eq(applications.jobId, jobs[2]!.id)));
    expect(application!.resumeId).toBe(latest!.id);
    expect(await db().select().from(resumes).where(eq(resumes.personId, person.id))).toHaveLength(2);
  });

  it('refuses to send the saved resume with another email address', async () => {
    const email = address('own');
    const { browser } = await verifiedAccount(email);
    await browser.get('/account/profile');
    await browser.postMultipart('/account/resumes', {}, pdf());
    await browser.get(jobs[0]!.apply);
    const other = address('other');
    const res = await browser.postMultipart(jobs[0]!.apply, { idempotencyKey: randomUUID(), name: 'Own', email: other, consentProcessing: 'yes', resumeChoice: 'latest' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Your saved resume can only go with your account’s email address');
    expect(await db().select().from(people).where(sql`lower(${people.email}) = lower(${other})`)).toHaveLength(0);
  });

  it('still takes an upload from a signed-in candidate who chooses to send a new resume', async () => {
    const email = address('new');
    const { browser } = await verifiedAccount(email);
    await browser.get(jobs[1]!.apply);
    const res = await browser.postMultipart(jobs[1]!.apply, { idempotencyKey: randomUUID(), name: 'New', email, consentProcessing: 'yes', resumeChoice: 'upload' }, pdf('Fresh'));
    expect(res.statusCode).toBe(303);
    const [row] = await db().select().from(resumes).where(eq(resumes.personId, (await personOf(email)).id));
    expect(row!.text).toContain('Fresh');
  });
});
