import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { makePdf } from '../../../../test/support/files.ts';
import { multipart } from '../../../../test/support/multipart.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import {
  applicationAnswers,
  applications,
  auditEvents,
  authTokens,
  candidateAccounts,
  jobAlerts,
  mailMessages,
  people,
  resumes,
  savedJobs,
  sessions,
} from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import type { PersonalData } from './privacy.service.ts';

let t: TestApp;
let mail: RecordingMail;
let filesDir: string;
let job: { id: number; path: string };
let questions: number[];
let n = 0;
const address = (name = 'person') => `${name}.${++n}.${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  mail = new RecordingMail();
  // buildApp wires the privacy pages; the test reads the same files folder the app uses.
  t = await testApp({
    deps: { mail },
    routes: (_app, { config }) => {
      filesDir = join(config.dataDir, 'files');
    },
  });
  const { ids } = await createJobs({
    db: t.database.db,
    inputs: [
      buildJob({
        title: 'Data Engineer',
        questions: [
          { label: 'Are you allowed to work in the US?', kind: 'yes_no', required: true },
          { label: 'Years of experience', kind: 'number', required: true },
        ],
      }),
    ],
  });
  job = { id: ids[0]!, path: `/jobs/${ids[0]}/data-engineer/apply` };
  const page = await t.app.inject({ url: job.path, headers: { accept: 'text/html' } });
  questions = [...page.body.matchAll(/name="q(\d+)"/g)].map((m) => Number(m[1])).filter((v, i, a) => a.indexOf(v) === i);
});
afterAll(() => t.close());

const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token') ?? path.split('/').at(-1)!;

/** Applies to the job with a PDF resume, as someone without an account. */
async function apply(email: string, name = 'Zoë Ødegård', resumeText = 'Zoe builds data pipelines'): Promise<void> {
  const body = multipart(
    {
      idempotencyKey: randomUUID(),
      name,
      email,
      phone: '+47 555 01 234',
      location: 'Oslo, Norway',
      linkedin: 'https://www.linkedin.com/in/zoe-odegard',
      consentProcessing: 'yes',
      [`q${questions[0]}`]: 'yes',
      [`q${questions[1]}`]: '7',
    },
    { field: 'resume', filename: 'Zoë resume.pdf', contentType: 'application/pdf', bytes: makePdf(resumeText) },
  );
  const res = await t.app.inject({ method: 'POST', url: job.path, payload: body.payload, headers: { ...body.headers, accept: 'text/html' } });
  expect(res.statusCode).toBe(303);
}

/** Signs up and, unless told not to, follows the verification link: a signed-in client. */
async function account(email: string, { verify = true } = {}): Promise<FormClient> {
  const browser = new FormClient(t.app);
  expect((await browser.submit('/account/sign-up', { email, password: PASSWORD })).statusCode).toBe(303);
  if (verify) {
    await browser.get(mail.linkPath(email, 'verify_email'));
    const verified = await browser.post('/account/verify', { token: tokenOf(mail.linkPath(email, 'verify_email')) });
    expect(verified.headers.location).toBe('/account?notice=verified');
  } else {
    expect((await browser.submit('/account/sign-in', { email, password: PASSWORD })).statusCode).toBe(303);
  }
  return browser;
}

async function personOf(email: string) {
  const [row] = await t.database.db.select().from(people).where(sql`lower(${people.email}) = lower(${email})`);
  return row!;
}

/** The entries of a zip, by name. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function download(browser: FormClient) {
  await browser.get('/account/data');
  return t.app.inject({
    method: 'POST',
    url: '/account/data/export',
    remoteAddress: browser.ip,
    payload: new URLSearchParams({ _csrf: browser.csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

/** Rows of every table in the public schema whose JSON mentions any of the needles (ignoring case). */
async function rowsMentioning(needles: string[]): Promise<string[]> {
  const tables = (await t.database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)) as unknown as {
    rows: Array<{ table_name: string }>;
  };
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    for (const needle of needles) {
      const hits = (await t.database.db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table_name)} x where row_to_json(x)::text ilike ${`%${needle}%`}`,
      )) as unknown as { rows: Array<{ n: number }> };
      if (hits.rows[0]!.n > 0) found.push(`${table_name}: ${needle}`);
    }
  }
  return found;
}

describe(`your data pages on ${testEngine}`, () => {
  it('sends a signed-out visitor to sign in, for the pages and the forms alike', async () => {
    const visitor = new FormClient(t.app);
    for (const path of ['/account/data', '/account/data/delete']) {
      const res = await visitor.get(path);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/account/sign-in');
    }
    for (const path of ['/account/data/export', '/account/data/delete']) {
      const res = await visitor.post(path, { confirm: 'DELETE' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/account/sign-in');
    }
  });

  it('shows nothing and deletes nothing until the address is confirmed', async () => {
    const email = address('unconfirmed');
    await apply(email);
    const browser = await account(email, { verify: false });
    const page = await browser.get('/account/data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Please confirm your email address first');
    expect(page.body).not.toContain('action="/account/data/export"');
    expect((await browser.post('/account/data/export')).statusCode).toBe(403);
    expect((await browser.post('/account/data/delete', { confirm: 'DELETE' })).statusCode).toBe(403);
    expect((await personOf(email)).anonymizedAt).toBeNull();
  });

  it('refuses a download or a deletion without the anti-forgery token', async () => {
    const browser = await account(address('forged'));
    await browser.get('/account/data');
    expect((await browser.post('/account/data/export', { _csrf: null })).statusCode).toBe(403);
    expect((await browser.post('/account/data/delete', { _csrf: 'x'.repeat(43), confirm: 'DELETE' })).statusCode).toBe(403);
  });

  it('downloads a zip of the signed-in person’s own data: details, applications with job titles, answers, timeline, saved jobs, alerts and resume files', async () => {
    const email = address('zoe');
    const other = address('someone-else');
    await apply(email);
    await apply(other, 'Another Person', 'Someone else entirely');
    const browser = await account(email);
    const person = await personOf(email);
    await t.database.db.insert(savedJobs).values({ personId: person.id, jobId: job.id });
    await t.database.db.insert(jobAlerts).values({ personId: person.id, query: 'q=data&team=amazon-web-services', frequency: 'weekly' });

    const page = await browser.get('/account/data');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('action="/account/data/export"');
    expect(page.body).toContain('href="/account/data/delete"');

    const res = await download(browser);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const entries = await unzip(res.rawPayload);
    const data = JSON.parse(entries.get('data.json')!.toString('utf8')) as PersonalData;

    expect(data.person).toMatchObject({ email, name: 'Zoë Ødegård', phone: '+47 555 01 234', location: 'Oslo, Norway' });
    expect(data.person.links).toEqual([{ label: 'LinkedIn', url: 'https://www.linkedin.com/in/zoe-odegard' }]);
    expect(data.account).toMatchObject({ hasPassword: true });
    expect(data.account?.emailVerifiedAt).not.toBeNull();
    expect(data.applications).toHaveLength(1);
    expect(data.applications[0]).toMatchObject({ job: { id: job.id, title: 'Data Engineer' }, stage: 'applied', status: 'Received', consentProcessing: true });
    expect(data.applications[0]!.answers).toEqual([
      { question: 'Are you allowed to work in the US?', value: true },
      { question: 'Years of experience', value: 7 },
    ]);
    expect(data.applications[0]!.timeline.map((e) => e.kind)).toEqual(['applied']);
    expect(data.savedJobs).toEqual([{ job: { id: job.id, title: 'Data Engineer' }, savedAt: expect.any(String) }]);
    expect(data.jobAlerts).toMatchObject([{ query: 'q=data&team=amazon-web-services', frequency: 'weekly' }]);
    expect(data.resumes).toHaveLength(1);
    expect(data.resumes[0]).toMatchObject({ filename: 'Zoë resume.pdf', contentType: 'application/pdf', text: expect.stringContaining('Zoe builds data pipelines') });
    const file = entries.get(data.resumes[0]!.file!);
    expect(file?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(file).toEqual(makePdf('Zoe builds data pipelines'));

    // Only their own: nothing of the other applicant.
    const all = [...entries.values()].map((b) => b.toString('latin1')).join('\n');
    expect(all).not.toContain(other);
    expect(all).not.toContain('Someone else entirely');
    expect([...entries.keys()].sort()).toEqual(['data.json', data.resumes[0]!.file!].sort());

    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'person.exported'));
    expect(audit.filter((a) => a.subjectId === String(person.id))).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(email);
  });

  it('asks the person to type DELETE, and keeps everything when they type something else', async () => {
    const email = address('hesitant');
    const browser = await account(email);
    const page = await browser.get('/account/data/delete');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('To confirm, type DELETE');
    const refused = await browser.post('/account/data/delete', { confirm: 'delete me' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Error: Delete your account and data');
    expect(refused.body).toContain('href="#confirm"');
    expect(refused.body).toMatch(/<input id="confirm"[^>]*aria-invalid="true"/);
    expect((await personOf(email)).anonymizedAt).toBeNull();
    expect((await browser.get('/account')).statusCode).toBe(200);
  });

  it('deletes the account and every personal row, removes the files, keeps anonymous applications, signs out, and the account cannot sign in again', async () => {
    const email = address('leaving');
    const bystander = address('bystander');
    await apply(email, 'Leaving Person', 'Unique resume words quixotic');
    await apply(bystander, 'Bystander Person', 'Bystander resume');
    const browser = await account(email);
    const person = await personOf(email);
    await t.database.db.insert(savedJobs).values({ personId: person.id, jobId: job.id });
    await t.database.db.insert(jobAlerts).values({ personId: person.id, query: 'q=data', frequency: 'daily' });
    await t.database.db.insert(mailMessages).values({ kind: 'application_received', toAddress: email.toUpperCase(), subject: 'Thanks', textBody: 'Hello Leaving Person', transport: 'outbox' });
    const [resume] = await t.database.db.select().from(resumes).where(eq(resumes.personId, person.id));
    const filePath = join(filesDir, resume!.storageKey!.slice(0, 2), resume!.storageKey!);
    expect(existsSync(filePath)).toBe(true);
    const appIds = (await t.database.db.select({ id: applications.id }).from(applications).where(eq(applications.personId, person.id))).map((a) => a.id);
    const applicationsBefore = (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(applications))[0]!.n;

    await browser.get('/account/data/delete');
    const res = await browser.post('/account/data/delete', { confirm: ' delete ' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/deleted');
    expect(browser.cookies.has('dayone_session')).toBe(false);
    const done = await browser.get('/account/deleted');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your account and data are deleted');
    expect((await browser.get('/account')).headers.location).toBe('/account/sign-in');

    const db = t.database.db;
    const after = await personOf(`erased-${person.id}@invalid`);
    expect(after).toMatchObject({ name: '', phone: null, location: null, links: [] });
    expect(after.anonymizedAt).toBeInstanceOf(Date);
    expect(await db.select().from(candidateAccounts).where(eq(candidateAccounts.personId, person.id))).toEqual([]);
    expect(await db.select().from(sessions).where(eq(sessions.subjectId, person.id))).toEqual([]);
    expect(await db.select().from(authTokens).where(eq(authTokens.personId, person.id))).toEqual([]);
    expect(await db.select().from(savedJobs).where(eq(savedJobs.personId, person.id))).toEqual([]);
    expect(await db.select().from(jobAlerts).where(eq(jobAlerts.personId, person.id))).toEqual([]);
    expect(await db.select().from(resumes).where(eq(resumes.personId, person.id))).toEqual([]);
    expect(await db.select().from(applicationAnswers).where(inArray(applicationAnswers.applicationId, appIds))).toEqual([]);
    expect(await db.select().from(mailMessages).where(sql`lower(${mailMessages.toAddress}) = lower(${email})`)).toEqual([]);
    expect(existsSync(filePath)).toBe(false);
    // Nothing anywhere still names them, mails them or holds their resume.
    expect(await rowsMentioning([email, 'Leaving Person', 'quixotic'])).toEqual([]);

    // The applications stay, anonymous, so counts survive; the open one is withdrawn.
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(applications))[0]!.n).toBe(applicationsBefore);
    const kept = await db.select().from(applications).where(eq(applications.personId, person.id));
    expect(kept.map((a) => [a.jobId, a.stage, a.resumeId])).toEqual([[job.id, 'withdrawn', null]]);

    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'person.erased'));
    expect(audit).toMatchObject({ actorType: 'candidate', subjectType: 'person', subjectId: String(person.id) });
    expect(audit!.after).toMatchObject({ reason: 'candidate_request', applications: 1, withdrawn: 1, resumes: 1 });

    // The bystander is untouched.
    const other = await personOf(bystander);
    expect(other).toMatchObject({ name: 'Bystander Person', anonymizedAt: null });
    expect(await db.select().from(resumes).where(eq(resumes.personId, other.id))).toHaveLength(1);

    // The old password opens nothing.
    const again = new FormClient(t.app);
    expect((await again.submit('/account/sign-in', { email, password: PASSWORD })).statusCode).toBe(401);
  });
});
