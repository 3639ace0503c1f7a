import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { makePdf } from '../../../../test/support/files.ts';
import { multipart } from '../../../../test/support/multipart.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applications, applicationAnswers, applicationEvents, auditEvents, mailMessages, people, resumes } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';

let t: TestApp;
let job: { id: number; path: string };
let closedPath: string;
let questions: number[];

beforeAll(async () => {
  t = await testApp();
  const { ids } = await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({
        title: 'Data Engineer',
        questions: [
          { label: 'Are you allowed to work in the US?', kind: 'yes_no', required: true },
          { label: 'Which languages do you use?', kind: 'multiple_choice', required: false, options: ['Python', 'SQL', 'Scala'] },
          { label: 'Years of experience', kind: 'number', required: true },
        ],
      }),
      buildJob({ title: 'Old Role', status: 'closed_filled' }),
    ],
  });
  job = { id: ids[0]!, path: `/jobs/${ids[0]}/data-engineer/apply` };
  closedPath = `/jobs/${ids[1]}/old-role/apply`;
  const page = await t.app.inject({ url: job.path, headers: { accept: 'text/html' } });
  questions = [...page.body.matchAll(/name="q(\d+)"/g)].map((m) => Number(m[1])).filter((v, i, a) => a.indexOf(v) === i);
});
afterAll(() => t.close());

const valid = (overrides: Record<string, string | string[]> = {}) => ({
  idempotencyKey: randomUUID(),
  name: 'Zoë Ødegård',
  email: 'zoe@example.test',
  phone: '+47 555 01 234',
  location: 'Oslo, Norway',
  linkedin: 'https://www.linkedin.com/in/zoe',
  consentProcessing: 'yes',
  [`q${questions[0]}`]: 'yes',
  [`q${questions[1]}`]: ['Python', 'SQL'],
  [`q${questions[2]}`]: '7',
  ...overrides,
});
const pdf = (text = 'Zoe builds data pipelines') => ({ field: 'resume', filename: 'resume.pdf', contentType: 'application/pdf', bytes: makePdf(text) });
const post = (fields: Record<string, string | string[]>, file?: ReturnType<typeof pdf>, path = job.path) => {
  const body = multipart(fields, file);
  return t.app.inject({ method: 'POST', url: path, payload: body.payload, headers: { ...body.headers, accept: 'text/html' } });
};
const count = async (table: typeof applications | typeof people | typeof resumes) =>
  (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

describe(`applying to a job on ${testEngine}`, () => {
  it('shows a form with labels, autocomplete, the screening questions and a fresh idempotency key', async () => {
    const res = await t.app.inject({ url: job.path, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/enctype="multipart\/form-data"/i);
    expect(res.body).toMatch(/<input type="hidden" name="idempotencyKey" value="[0-9a-f-]{36}"\/>/);
    expect(res.body).toMatch(/<input id="email"[^>]*autoComplete="email"/i);
    expect(res.body).toMatch(/<input id="phone"[^>]*type="tel"[^>]*autoComplete="tel"/i);
    expect(res.body).toContain('<label for="name">Full name</label>');
    expect(res.body).toContain('<legend>Are you allowed to work in the US?</legend>');
    expect(questions).toHaveLength(3);
  });

  it('saves the person, the resume and its text, the answers and the timeline, and emails a confirmation link', async () => {
    const res = await post(valid(), pdf());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${job.path}/received`);
    const [person] = await t.database.db.select().from(people).where(eq(people.email, 'zoe@example.test'));
    expect(person).toMatchObject({ name: 'Zoë Ødegård', phone: '+47 555 01 234', links: [{ label: 'LinkedIn', url: 'https://www.linkedin.com/in/zoe' }] });
    const [application] = await t.database.db.select().from(applications).where(eq(applications.personId, person!.id));
    expect(application).toMatchObject({ jobId: job.id, stage: 'applied', source: 'site', consentProcessing: true, consentTalentPool: false });
    const [resume] = await t.database.db.select().from(resumes).where(eq(resumes.id, application!.resumeId!));
    expect(resume).toMatchObject({ filename: 'resume.pdf', contentType: 'application/pdf' });
    expect(resume!.text).toContain('Zoe builds data pipelines');
    expect(await readdir(join(t.config.dataDir, 'files', resume!.storageKey!.slice(0, 2)))).toContain(resume!.storageKey);
    const answers = await t.database.db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, application!.id));
    expect(answers.map((a) => a.value).sort()).toEqual([7, true, ['Python', 'SQL']].sort());
    expect((await t.database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, application!.id))).map((e) => e.kind)).toEqual(['applied']);
    expect((await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, String(application!.id)))).map((e) => e.action)).toContain('application.created');
    const [mail] = await t.database.db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'zoe@example.test'));
    expect(mail).toMatchObject({ kind: 'application_received', transport: 'outbox' });
    expect(mail!.textBody).toMatch(/https:\/\/careers\.example\.test\/applications\/confirm\?token=[\w-]+/);

    const thanks = await t.app.inject({ url: `${job.path}/received`, headers: { accept: 'text/html' } });
    expect(thanks.body).toContain('What happens next');
  });

  it('confirms by the emailed link only when the button is pressed, and only once', async () => {
    const [mail] = await t.database.db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'zoe@example.test'));
    const token = /token=([\w-]+)/.exec(mail!.textBody)![1]!;
    const page = await t.app.inject({ url: `/applications/confirm?token=${token}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('Confirm my application');
    expect((await t.database.db.select().from(applications))[0]!.confirmedAt).toBeNull();
    const body = multipart({ token });
    const confirm = () => t.app.inject({ method: 'POST', url: '/applications/confirm', payload: body.payload, headers: { ...body.headers, accept: 'text/html' } });
    expect((await confirm()).statusCode).toBe(200);
    expect((await t.database.db.select().from(applications))[0]!.confirmedAt).toBeInstanceOf(Date);
    expect((await confirm()).statusCode).toBe(410);
  });

  it('makes one application from a replay and from a double submit with the same key', async () => {
    const before = await count(applications);
    const fields = valid({ email: 'twice@example.test' });
    const [a, b] = await Promise.all([post(fields, pdf()), post(fields, pdf())]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect((await post(fields, pdf())).statusCode).toBe(303);
    expect(await count(applications)).toBe(before + 1);
  });

  it('refuses a second open application to the same job, whatever the letter case of the email', async () => {
    const before = await count(applications);
    const res = await post(valid({ email: 'ZOE@Example.TEST' }), pdf());
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('You have already applied to this job');
    expect(await count(applications)).toBe(before);
  });

  it('lists every problem at the top and beside each field, keeps what was typed, and stores nothing', async () => {
    const before = await Promise.all([count(applications), count(people), count(resumes)]);
    const res = await post(
      valid({ name: '<script>alert(1)</script>', email: 'not-an-email', consentProcessing: '', [`q${questions[0]}`]: '', [`q${questions[2]}`]: 'many', linkedin: 'javascript:alert(1)' }),
      pdf(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<div class="error-summary" role="alert"');
    for (const field of ['email', 'consentProcessing', `q${questions[0]}`, `q${questions[2]}`, 'linkedin']) expect(res.body.split(`<a href="#${field}">`)).toHaveLength(2);
    expect(res.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('please attach your resume again');
    expect(res.body).toMatch(/aria-invalid="true"/);
    expect(await Promise.all([count(applications), count(people), count(resumes)])).toEqual(before);
  });

  it('keeps names in any script exactly, and shows script-like text inert in the email', async () => {
    for (const name of ['李小龙', 'שלום עולם', "O'Brien; DROP TABLE people; --"]) {
      const email = `${randomUUID()}@example.test`;
      expect((await post(valid({ name, email, resumeText: 'Pasted <b>resume</b>' }))).statusCode).toBe(303);
      const [person] = await t.database.db.select().from(people).where(eq(people.email, email));
      expect(person!.name).toBe(name);
    }
    const email = `${randomUUID()}@example.test`;
    await post(valid({ name: '<img src=x onerror=alert(1)>', email, resumeText: 'text' }));
    const [mail] = await t.database.db.select().from(mailMessages).where(eq(mailMessages.toAddress, email));
    expect(mail!.htmlBody).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail!.htmlBody).not.toContain('<img');
  });

  it('refuses an executable renamed .pdf, keeping no row and no file', async () => {
    const before = await Promise.all([count(applications), count(resumes)]);
    const elf = { field: 'resume', filename: 'resume.pdf', contentType: 'application/pdf', bytes: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(100)]) };
    const res = await post(valid({ email: 'elf@example.test' }), elf);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The resume must be a PDF, a Word document (.docx) or a plain text file.');
    expect(await Promise.all([count(applications), count(resumes)])).toEqual(before);
  });

  it('answers an upload over 10 MB with 413 and a readable message', async () => {
    const big = { field: 'resume', filename: 'huge.pdf', contentType: 'application/pdf', bytes: Buffer.alloc(11 * 1024 * 1024, 0x20) };
    const body = multipart(valid({ email: 'big@example.test' }), big);
    const res = await t.app.inject({ method: 'POST', url: job.path, payload: body.payload, headers: { ...body.headers, accept: 'application/json' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'file_too_large', message: 'The resume is larger than 10 MB. Send a smaller file, or paste your resume as text.' });
  });

  it('answers malformed multipart and a missing resume with 4xx, never 500', async () => {
    const broken = await t.app.inject({ method: 'POST', url: job.path, payload: 'garbage', headers: { 'content-type': 'multipart/form-data; boundary=x', accept: 'application/json' } });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    const noResume = await post(valid({ email: 'none@example.test' }));
    expect(noResume.statusCode).toBe(400);
    expect(noResume.body).toContain('Attach your resume, or paste it as text');
  });

  it('does not take applications for a closed job', async () => {
    expect((await t.app.inject({ url: closedPath, headers: { accept: 'text/html' } })).statusCode).toBe(410);
    expect((await post(valid({ email: 'late@example.test' }), pdf(), closedPath)).statusCode).toBe(410);
  });
  it('refuses control characters in a text answer with 400, not a server error', async () => {
    const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Answer Role', questions: [{ label: 'Why us?', kind: 'short_text', required: true }] })] });
    const page = await t.app.inject({ url: `/jobs/${ids[0]}/answer-role/apply`, headers: { accept: 'text/html' } });
    const q = /name="(q\d+)"/.exec(page.body)![1]!;
    const body = multipart({ idempotencyKey: randomUUID(), name: 'x', email: 'nul@example.test', consentProcessing: 'yes', resumeText: 'cv', [q]: 'abc\u0000def' });
    const res = await t.app.inject({ method: 'POST', url: `/jobs/${ids[0]}/answer-role/apply`, payload: body.payload, headers: { ...body.headers, accept: 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([{ field: q, message: 'This answer has characters we cannot keep' }]);
  });

  it('refuses a form key already used for another job, rather than pretending to save', async () => {
    const key = randomUUID();
    const first = await post(valid({ idempotencyKey: key, email: 'keyed@example.test' }), pdf());
    expect(first.statusCode).toBe(303);
    const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Second Role', questions: [] })] });
    const body = multipart({ idempotencyKey: key, name: 'x', email: 'keyed2@example.test', consentProcessing: 'yes', resumeText: 'cv' });
    const res = await t.app.inject({ method: 'POST', url: `/jobs/${ids[0]}/second-role/apply`, payload: body.payload, headers: { ...body.headers, accept: 'application/json' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('form_reused');
  });

  it('answers a confirmation post that carries a file, instead of hanging', async () => {
    const body = multipart({ token: 'x'.repeat(43) }, { field: 'junk', filename: 'a.bin', contentType: 'application/octet-stream', bytes: Buffer.alloc(1000) });
    const res = await t.app.inject({ method: 'POST', url: '/applications/confirm', payload: body.payload, headers: { ...body.headers, accept: 'application/json' } });
    expect(res.statusCode).toBe(410);
  });
});

describe(`the apply rate limit on ${testEngine}`, () => {
  it('answers 429 with Retry-After once an address sends too many', async () => {
    const limited = await testApp();
    try {
      await createJobs({ db: limited.database.db, inputs: [buildJob({ title: 'Rate Role' })] });
      const path = (await limited.app.inject({ url: '/jobs', headers: { accept: 'text/html' } })).body.match(/href="(\/jobs\/\d+\/rate-role)"/)![1]! + '/apply';
      let last = 0;
      for (let i = 0; i < 31; i++) {
        const body = multipart({ idempotencyKey: randomUUID(), name: 'x', email: `r${i}@example.test`, consentProcessing: 'yes', resumeText: 'cv' });
        const res = await limited.app.inject({ method: 'POST', url: path, payload: body.payload, headers: { ...body.headers, accept: 'application/json' } });
        last = res.statusCode;
        if (res.statusCode === 429) {
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
          break;
        }
      }
      expect(last).toBe(429);
    } finally {
      await limited.close();
    }
  });

});
