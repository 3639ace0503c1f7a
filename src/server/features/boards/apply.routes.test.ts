import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { makePdf } from '../../../../test/support/files.ts';
import { multipart } from '../../../../test/support/multipart.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { defaultContentDir, testConfig } from '../../../../test/support/test-app.ts';
import { testDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import type { Config } from '../../config.ts';
import { applicationAnswers, applications, people, resumes } from '../../db/schema/index.ts';
import { folderFileStore } from '../../files/file-store.ts';
import { createApiKey, revokeApiKey } from '../apikeys/apikeys.service.ts';
import { createContentService } from '../content/content.service.ts';
import { createJobs, findPublicJob } from '../jobs/jobs.service.ts';
import { boardsRoutes } from './boards.routes.ts';

let database: TestDatabase;
let config: Config;
let app: FastifyInstance;
const mail = new RecordingMail();
let key: string;
let job: { id: number; uuid: string; questions: Record<'why' | 'years' | 'authorized' | 'office' | 'languages', number> };
let plainJob: { id: number; uuid: string };
let draftId: number;
/** The value GET questions=true lists for an option of a question, by its label. */
let listedValue: (questionId: number, label: string) => string;

/** The routes built the way buildApp calls boardsRoutes, with the apply side's deps given. */
function boardsApp(applyLimit?: { limit: number; windowSeconds: number }): FastifyInstance {
  const instance = Fastify({ logger: false });
  boardsRoutes(instance, { db: database.db, config, mail, files: folderFileStore(join(config.dataDir, 'files')), ...(applyLimit ? { applyLimit } : {}) });
  return instance;
}

beforeAll(async () => {
  config = await testConfig();
  database = await testDatabase();
  await createContentService({ db: database.db }).loadPack({ dir: defaultContentDir });
  const { ids } = await createJobs({
    db: database.db,
    inputs: [
      buildJob({
        title: 'Storage Engineer',
        questions: [
          { label: 'Why us?', kind: 'long_text', required: true },
          { label: 'Years of Rust?', kind: 'number' },
          { label: 'Authorized to work in the US?', kind: 'yes_no', required: true },
          { label: 'Preferred office', kind: 'single_choice', options: ['Seattle', 'Vancouver'] },
          { label: 'Languages', kind: 'multiple_choice', options: ['Rust', 'Go', 'TypeScript'] },
        ],
      }),
      buildJob({ title: 'Plain Role' }),
      buildJob({ title: 'Draft', status: 'draft' }),
    ],
  });
  app = boardsApp();
  await app.ready();
  // The question ids as a board learns them: from GET …?questions=true.
  const listed = (await app.inject({ url: `/v1/boards/dayone/jobs/${ids[0]}?questions=true` })).json() as { questions: Array<{ label: string; fields: Array<{ name: string; values: Array<{ value: number; label: string }> }> }> };
  listedValue = (questionId, label) => {
    const field = listed.questions.flatMap((q) => q.fields).find((f) => f.name.replace(/\[\]$/, '') === `question_${questionId}`)!;
    return String(field.values.find((v) => v.label === label)!.value);
  };
  const idOf = (label: string) => Number(/^question_(\d+)/.exec(listed.questions.find((q) => q.label === label)!.fields[0]!.name)![1]);
  const [storage, plain] = await Promise.all(ids.slice(0, 2).map((id) => findPublicJob({ db: database.db, id })));
  job = { id: ids[0]!, uuid: storage!.uuid, questions: { why: idOf('Why us?'), years: idOf('Years of Rust?'), authorized: idOf('Authorized to work in the US?'), office: idOf('Preferred office'), languages: idOf('Languages') } };
  plainJob = { id: ids[1]!, uuid: plain!.uuid };
  draftId = ids[2]!;
  ({ key } = await createApiKey({ db: database.db, name: 'Test board' }));
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;
let emails = 0;
const nextEmail = () => `candidate${++emails}@example.test`;

/** A complete Greenhouse application, answering with the values GET questions=true lists. */
const greenhouseFields = (overrides: Record<string, string | string[]> = {}) => ({
  first_name: 'Zoë',
  last_name: 'Ødegård',
  email: nextEmail(),
  phone: '+47 555 01 234',
  location: 'Oslo, Norway',
  [`question_${job.questions.why}`]: 'Storage is fun',
  [`question_${job.questions.years}`]: '7',
  [`question_${job.questions.authorized}`]: listedValue(job.questions.authorized, 'Yes'),
  [`question_${job.questions.office}`]: listedValue(job.questions.office, 'Vancouver'),
  [`question_${job.questions.languages}[]`]: [listedValue(job.questions.languages, 'Rust'), listedValue(job.questions.languages, 'TypeScript')],
  ...overrides,
});
const pdf = (bytes = makePdf('Zoe builds storage engines')) => ({ field: 'resume', filename: 'resume.pdf', contentType: 'application/pdf', bytes });

function postGreenhouse(fields: Record<string, string | string[]>, file?: ReturnType<typeof pdf>, options: { auth?: string | null; url?: string; headers?: Record<string, string>; on?: FastifyInstance } = {}) {
  const body = multipart(fields, file);
  const auth = options.auth === undefined ? basic(key) : options.auth;
  return (options.on ?? app).inject({
    method: 'POST',
    url: options.url ?? `/v1/boards/dayone/jobs/${job.id}`,
    payload: body.payload,
    headers: { ...body.headers, ...(auth ? { authorization: auth } : {}), ...options.headers },
  });
}

const count = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(applications))[0]!.n;
const answersOf = async (applicationId: number) =>
  Object.fromEntries((await database.db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, applicationId))).map((a) => [a.questionId, a.value]));

describe(`applying through the Greenhouse-compatible API on ${testEngine}`, () => {
  it('saves a multipart application with its resume and answers numbered as GET questions=true lists them', async () => {
    const fields = greenhouseFields();
    const res = await postGreenhouse(fields, pdf());
    expect(res.statusCode).toBe(200);
    const body = res.json() as { success: string; application_id: number };
    expect(body.success).toBe('Candidate saved successfully');
    const [application] = await database.db.select().from(applications).where(eq(applications.id, body.application_id));
    expect(application!.jobId).toBe(job.id);
    expect(application!.consentProcessing).toBe(true);
    // Staff can tell applications a job board sent from those made on the careers site.
    expect(application!.source).toBe('job_board');
    const [person] = await database.db.select().from(people).where(eq(people.id, application!.personId));
    expect(person).toMatchObject({ name: 'Zoë Ødegård', email: fields.email, phone: '+47 555 01 234', location: 'Oslo, Norway' });
    const [resume] = await database.db.select().from(resumes).where(eq(resumes.id, application!.resumeId!));
    expect(resume).toMatchObject({ filename: 'resume.pdf', contentType: 'application/pdf' });
    expect(resume!.text).toContain('Zoe builds storage engines');
    const q = job.questions;
    expect(await answersOf(body.application_id)).toEqual({ [q.why]: 'Storage is fun', [q.years]: 7, [q.authorized]: true, [q.office]: 'Vancouver', [q.languages]: ['Rust', 'TypeScript'] });
    expect(mail.last(fields.email, 'application_received').subject).toContain('Storage Engineer');
  });

  it('saves a JSON application with a base64 resume and multi-select values as a number array', async () => {
    const email = nextEmail();
    const res = await app.inject({
      method: 'POST',
      url: `/v1/boards/dayone/jobs/${job.id}`,
      headers: { authorization: basic(key) },
      payload: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email,
        resume_content: makePdf('Ada computes').toString('base64'),
        resume_content_filename: 'ada.pdf',
        cover_letter_text: 'Dear team',
        [`question_${job.questions.why}`]: 'Engines',
        [`question_${job.questions.authorized}`]: 0,
        [`question_${job.questions.languages}[]`]: [1],
      },
    });
    expect(res.statusCode).toBe(200);
    const id = (res.json() as { application_id: number }).application_id;
    const q = job.questions;
    expect(await answersOf(id)).toEqual({ [q.why]: 'Engines', [q.authorized]: false, [q.languages]: ['Go'] });
    const [row] = await database.db.select({ filename: resumes.filename, text: resumes.text }).from(resumes).innerJoin(applications, eq(applications.resumeId, resumes.id)).where(eq(applications.id, id));
    expect(row).toMatchObject({ filename: 'ada.pdf' });
    expect(row!.text).toContain('Ada computes');
  });

  it('takes pasted resume text instead of a file', async () => {
    const res = await postGreenhouse(greenhouseFields({ resume_text: 'Ten years of storage engines.' }));
    expect(res.statusCode).toBe(200);
  });

  it('takes a URL-encoded form, and a multi-select as an array under the name without brackets', async () => {
    const form = new URLSearchParams({ first_name: 'Linus', last_name: 'Torvalds', email: nextEmail(), resume_text: 'Kernels.', [`question_${job.questions.why}`]: 'Git', [`question_${job.questions.authorized}`]: '0' });
    const res = await app.inject({ method: 'POST', url: `/v1/boards/dayone/jobs/${job.id}`, headers: { authorization: basic(key), 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    expect(res.statusCode).toBe(200);
    const json = await app.inject({
      method: 'POST',
      url: `/v1/boards/dayone/jobs/${job.id}`,
      headers: { authorization: basic(key) },
      payload: { first_name: 'Ken', last_name: 'Thompson', email: nextEmail(), resume_text: 'Unix.', [`question_${job.questions.why}`]: 'B', [`question_${job.questions.authorized}`]: 1, [`question_${job.questions.languages}`]: [0, 1] },
    });
    expect(json.statusCode).toBe(200);
    expect((await answersOf((json.json() as { application_id: number }).application_id))[job.questions.languages]).toEqual(['Rust', 'Go']);
  });

  it('answers 401 with a Basic challenge without a key, with a wrong key, with the key as password, and with a revoked key, storing nothing', async () => {
    const revoked = await createApiKey({ db: database.db, name: 'Old board' });
    await revokeApiKey({ db: database.db, id: revoked.apiKey.id });
    const before = await count();
    for (const auth of [null, basic('dk_wrong'), `Basic ${Buffer.from(`:${key}`).toString('base64')}`, `Bearer ${key}`, basic(revoked.key)]) {
      const res = await postGreenhouse(greenhouseFields(), pdf(), { auth });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(res.json()).toMatchObject({ status: 401 });
    }
    expect(await count()).toBe(before);
  });

  it('answers 404 as Greenhouse does for an unknown board, an unknown job and a job that is not public', async () => {
    for (const url of ['/v1/boards/other/jobs/1', `/v1/boards/dayone/jobs/99999999`, `/v1/boards/dayone/jobs/${draftId}`, '/v1/boards/dayone/jobs/abc']) {
      const res = await postGreenhouse(greenhouseFields(), pdf(), { url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ status: 404, error: 'Job not found' });
    }
  });

  it('answers 400 naming every bad field as Greenhouse names it, and stores nothing', async () => {
    const before = await count();
    const res = await postGreenhouse(
      greenhouseFields({ last_name: '', email: 'not-an-email', [`question_${job.questions.why}`]: '', [`question_${job.questions.office}`]: '7', [`question_${job.questions.languages}[]`]: ['0', '9'], [`question_${job.questions.authorized}`]: 'yes' }),
    );
    expect(res.statusCode).toBe(400);
    const body = res.json() as { status: number; error: string; fields: Array<{ field: string; message: string }> };
    expect(body.status).toBe(400);
    expect(body.fields.map((f) => f.field).sort()).toEqual(
      ['last_name', 'email', 'resume', `question_${job.questions.why}`, `question_${job.questions.authorized}`, `question_${job.questions.office}`, `question_${job.questions.languages}[]`].sort(),
    );
    expect(await count()).toBe(before);
  });

  it('refuses a second open application from the same person with 409', async () => {
    const email = nextEmail();
    expect((await postGreenhouse(greenhouseFields({ email }), pdf())).statusCode).toBe(200);
    const again = await postGreenhouse(greenhouseFields({ email: email.toUpperCase() }), pdf());
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ status: 409, error: expect.stringContaining('already applied') });
  });

  it('gives the same application for a retry with the same Idempotency-Key header, and a new one for a new key', async () => {
    const fields = greenhouseFields();
    const headers = { 'idempotency-key': 'retry-42' };
    const first = await postGreenhouse(fields, pdf(), { headers });
    const retry = await postGreenhouse(fields, pdf(), { headers });
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect((retry.json() as { application_id: number }).application_id).toBe((first.json() as { application_id: number }).application_id);
    // The same header for another job is another application, not the first one.
    const other = await postGreenhouse({ ...fields, email: nextEmail() }, pdf(), { headers, url: `/v1/boards/dayone/jobs/${plainJob.id}` });
    expect(other.statusCode).toBe(200);
    expect((other.json() as { application_id: number }).application_id).not.toBe((first.json() as { application_id: number }).application_id);
    // Without the header, a resend is a second attempt, which the one-open-application rule refuses.
    expect((await postGreenhouse(fields, pdf())).statusCode).toBe(409);
  });

  it('answers 413 for a resume over 10 MB, sent as a file or as base64', async () => {
    const big = Buffer.concat([makePdf('x'), Buffer.alloc(10 * 1024 * 1024)]);
    const before = await count();
    const file = await postGreenhouse(greenhouseFields(), pdf(big));
    expect(file.statusCode).toBe(413);
    expect(file.json()).toMatchObject({ status: 413, error: expect.stringContaining('10 MB') });
    const json = await app.inject({
      method: 'POST',
      url: `/v1/boards/dayone/jobs/${job.id}`,
      headers: { authorization: basic(key) },
      payload: { ...greenhouseFields(), resume_content: big.toString('base64'), resume_content_filename: 'big.pdf' },
    });
    expect(json.statusCode).toBe(413);
    expect(await count()).toBe(before);
  });

  it('refuses an executable named .pdf, keeping no application and no file', async () => {
    const before = await count();
    const filesBefore = await readdir(join(config.dataDir, 'files'), { recursive: true }).catch(() => []);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(512, 1)]);
    const res = await postGreenhouse(greenhouseFields(), { field: 'resume', filename: 'resume.pdf', contentType: 'application/pdf', bytes: exe });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual(['resume']);
    expect(await count()).toBe(before);
    expect(await readdir(join(config.dataDir, 'files'), { recursive: true }).catch(() => [])).toEqual(filesBefore);
  });

  it('answers 429 with Retry-After once a key sends more than its limit', async () => {
    const limited = boardsApp({ limit: 1, windowSeconds: 3600 });
    await limited.ready();
    const { key: ownKey } = await createApiKey({ db: database.db, name: 'Busy board' });
    try {
      expect((await postGreenhouse(greenhouseFields(), pdf(), { on: limited, auth: basic(ownKey) })).statusCode).toBe(200);
      const res = await postGreenhouse(greenhouseFields(), pdf(), { on: limited, auth: basic(ownKey) });
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe(`applying through the Lever-compatible API on ${testEngine}`, () => {
  const url = (id = job.uuid, k: string | undefined = key) => `/v0/postings/dayone/${id}${k ? `?key=${encodeURIComponent(k)}` : ''}`;

  it('saves a multipart application with Lever names: urls, cards by question id and option text, consent', async () => {
    const email = nextEmail();
    const q = job.questions;
    const body = multipart(
      {
        name: 'Grace Hopper',
        email,
        phone: '+1 555 0100',
        org: 'Navy',
        'urls[LinkedIn]': 'https://www.linkedin.com/in/grace',
        'urls[GitHub]': 'https://github.com/grace',
        comments: 'Hello',
        'consent[store]': 'true',
        [`cards[${q.why}][field0]`]: 'Compilers',
        [`cards[${q.authorized}][field0]`]: 'Yes',
        [`cards[${q.office}][field0]`]: 'Seattle',
        [`cards[${q.languages}][field0]`]: ['Go', 'Rust'],
      },
      pdf(),
    );
    const res = await app.inject({ method: 'POST', url: url(), payload: body.payload, headers: body.headers });
    expect(res.statusCode).toBe(200);
    const { ok, applicationId } = res.json() as { ok: boolean; applicationId: string };
    expect(ok).toBe(true);
    const [application] = await database.db.select().from(applications).where(eq(applications.id, Number(applicationId)));
    expect(application!.consentTalentPool).toBe(true);
    const [person] = await database.db.select().from(people).where(eq(people.id, application!.personId));
    expect(person!.links).toEqual([
      { label: 'LinkedIn', url: 'https://www.linkedin.com/in/grace' },
      { label: 'GitHub', url: 'https://github.com/grace' },
    ]);
    expect(await answersOf(Number(applicationId))).toEqual({ [q.why]: 'Compilers', [q.authorized]: true, [q.office]: 'Seattle', [q.languages]: ['Go', 'Rust'] });
  });

  it('saves a JSON application with nested urls and cards', async () => {
    const res = await app.inject({
      method: 'POST',
      url: url(plainJob.uuid),
      payload: { name: 'Alan Turing', email: nextEmail(), urls: { Portfolio: 'https://turing.example' }, resume_text: 'Computable numbers.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, applicationId: expect.stringMatching(/^\d+$/) });
  });

  it('answers 401 without a key or with a revoked one, and 404 for an unknown site or posting', async () => {
    const revoked = await createApiKey({ db: database.db, name: 'Gone' });
    await revokeApiKey({ db: database.db, id: revoked.apiKey.id });
    for (const u of [url(job.uuid, ''), url(job.uuid, revoked.key), url(job.uuid, 'nope')]) {
      const res = await app.inject({ method: 'POST', url: u, payload: { name: 'X', email: nextEmail(), resume_text: 'x' } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ ok: false });
    }
    for (const u of [`/v0/postings/other/${job.uuid}?key=${key}`, url('00000000-0000-4000-8000-000000000000'), url('not-a-uuid')]) {
      const res = await app.inject({ method: 'POST', url: u, payload: { name: 'X', email: nextEmail(), resume_text: 'x' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ ok: false, error: 'Document not found' });
    }
  });

  it('answers 400 with ok false naming Lever fields, and 409 for a second open application', async () => {
    const bad = await app.inject({ method: 'POST', url: url(), payload: { name: '', email: 'x', 'urls[LinkedIn]': 'javascript:alert(1)', resume_text: 'cv', cards: { [job.questions.office]: { field0: 'Paris' } } } });
    expect(bad.statusCode).toBe(400);
    const body = bad.json() as { ok: boolean; error: string; fields: Array<{ field: string }> };
    expect(body.ok).toBe(false);
    expect(body.fields.map((f) => f.field).sort()).toEqual(['name', 'email', 'urls[LinkedIn]', `cards[${job.questions.why}][field0]`, `cards[${job.questions.authorized}][field0]`, `cards[${job.questions.office}][field0]`].sort());

    const email = nextEmail();
    const payload = { name: 'Edsger Dijkstra', email, resume_text: 'Goto considered harmful.' };
    expect((await app.inject({ method: 'POST', url: url(plainJob.uuid), payload })).statusCode).toBe(200);
    const again = await app.inject({ method: 'POST', url: url(plainJob.uuid), payload });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, error: expect.stringContaining('already applied') });
  });
});
