import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { makePdf } from '../../../../test/support/files.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { addToJobTeam, createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import {
  applicationEvents,
  applicationNotes,
  applications,
  applicationTags,
  auditEvents,
  jobs,
  people,
  resumes,
  staffNotifications,
} from '../../db/schema/index.ts';
import { folderFileStore } from '../../files/file-store.ts';
import { createJobs } from '../jobs/jobs.service.ts';

let t: TestApp;
const mail = new RecordingMail();
const db = () => t.database.db;
let admin: { id: number; email: string; name: string };
let recruiter: { id: number; email: string; name: string };
let interviewer: { id: number; email: string; name: string };
let outsider: { id: number; email: string; name: string };

beforeAll(async () => {
  t = await testApp({ deps: { mail } });
  admin = await createStaff(db(), { role: 'admin', name: 'Ada Admin' });
  recruiter = await createStaff(db(), { role: 'recruiter', name: 'Rita Recruiter' });
  interviewer = await createStaff(db(), { role: 'interviewer', name: 'Ivan Interviewer' });
  outsider = await createStaff(db(), { role: 'recruiter', name: 'Otto Outsider' });
});
afterAll(() => t.close());

let created = 0;

/** A job with `recruiter` and `interviewer` on its hiring team. */
async function newJob(options: { stages?: string[]; anonymized?: boolean } = {}): Promise<number> {
  const { ids } = await createJobs({ db: db(), inputs: [buildJob()] });
  const id = ids[0]!;
  if (options.stages || options.anonymized) {
    await db()
      .update(jobs)
      .set({ ...(options.stages ? { stages: options.stages } : {}), ...(options.anonymized ? { anonymizedScreening: true } : {}) })
      .where(eq(jobs.id, id));
  }
  await addToJobTeam(db(), id, recruiter.id, 'recruiter');
  await addToJobTeam(db(), id, interviewer.id, 'interviewer');
  return id;
}

/** An application inserted as the apply form would leave it, in any stage, `days` in that stage. */
async function seed(
  jobId: number,
  options: {
    name?: string;
    email?: string;
    phone?: string;
    links?: Array<{ label: string; url: string }>;
    stage?: string;
    source?: string;
    resume?: string;
    storageKey?: string;
    contentType?: string;
    days?: number;
    personId?: number;
    confirmed?: boolean;
  } = {},
): Promise<number> {
  created += 1;
  const personId =
    options.personId ??
    (
      await db()
        .insert(people)
        .values({
          email: options.email ?? `cand.${created}.${randomUUID().slice(0, 6)}@example.com`,
          name: options.name ?? `Candidate Person ${created}`,
          phone: options.phone ?? null,
          links: options.links ?? [],
        })
        .returning({ id: people.id })
    )[0]!.id;
  const [resume] = await db()
    .insert(resumes)
    .values({
      personId,
      filename: options.storageKey ? 'Résumé 2026.pdf' : 'resume.txt',
      contentType: options.contentType ?? (options.storageKey ? 'application/pdf' : 'text/plain'),
      size: 2048,
      storageKey: options.storageKey ?? null,
      text: options.resume ?? 'Experienced engineer who builds reliable services.',
    })
    .returning({ id: resumes.id });
  const entered = new Date(Date.now() - (options.days ?? 0) * 86_400_000 - 60_000);
  const [row] = await db()
    .insert(applications)
    .values({
      personId,
      jobId,
      resumeId: resume!.id,
      source: options.source ?? 'site',
      stage: options.stage ?? 'applied',
      stageEnteredAt: entered,
      idempotencyKey: randomUUID(),
      consentProcessing: true,
      confirmedAt: options.confirmed === false ? null : new Date(),
      createdAt: new Date(Date.UTC(2026, 0, 1) + created * 60_000),
    })
    .returning({ id: applications.id });
  await db().insert(applicationEvents).values({ applicationId: row!.id, kind: 'applied', toStage: 'applied', actorType: 'candidate', actorId: personId });
  return row!.id;
}

const stageOf = async (id: number) => (await db().select({ stage: applications.stage }).from(applications).where(eq(applications.id, id)))[0]!.stage;

/** Posts a form with repeated names (checkboxes), as a browser does, with the client's cookies and last CSRF token. */
async function postPairs(client: FormClient, url: string, pairs: Array<[string, string]>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const form = new URLSearchParams([['_csrf', client.csrf], ...pairs]);
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: client.ip,
    payload: form.toString(),
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...headers,
    },
  });
}

/** The card ids of one column of the board page, top to bottom. */
function column(html: string, stage: string): number[] {
  const start = html.indexOf(`<section class="board__column" aria-labelledby="column-${stage}"`);
  if (start === -1) return [];
  const end = html.indexOf('</section>', start);
  return [...html.slice(start, end).matchAll(/<li class="board-card" id="card-(\d+)"/g)].map((m) => Number(m[1]));
}

const count = (html: string, stage: string) => Number(new RegExp(`data-count-for="${stage}">(\\d+)<`).exec(html)?.[1]);

describe(`the pipeline board on ${testEngine}`, () => {
  it('shows a column per stage of the job’s template with its count, and the counts of rejected and withdrawn', async () => {
    const jobId = await newJob({ stages: ['applied', 'screen', 'take_home', 'offer', 'hired'] });
    const a = await seed(jobId, { stage: 'applied', name: 'Alan Turing' });
    const b = await seed(jobId, { stage: 'take_home' });
    const c = await seed(jobId, { stage: 'take_home' });
    await seed(jobId, { stage: 'rejected' });
    await seed(jobId, { stage: 'withdrawn' });
    await seed(jobId, { stage: 'withdrawn' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const res = await browser.get(`/staff/jobs/${jobId}/board`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    expect([...html.matchAll(/<section class="board__column" aria-labelledby="column-([a-z_]+)"/g)].map((m) => m[1])).toEqual([
      'applied',
      'screen',
      'take_home',
      'offer',
      'hired',
    ]);
    expect(html).toContain('Take home');
    expect(count(html, 'applied')).toBe(1);
    expect(count(html, 'take_home')).toBe(2);
    expect(count(html, 'screen')).toBe(0);
    expect(count(html, 'rejected')).toBe(1);
    expect(count(html, 'withdrawn')).toBe(2);
    expect(column(html, 'applied')).toEqual([a]);
    expect(column(html, 'take_home').sort()).toEqual([b, c].sort());
    expect(html).toContain('Alan Turing');
    expect(html).toMatch(/0 days in stage<\/span> · Careers site/);
    // Each card: a checkbox of the bulk form, a link to the application, and its own Move form.
    expect(html).toContain(`<input type="checkbox" form="bulk-form" id="select-${a}" name="ids" value="${a}"/>`);
    expect(html).toContain(`href="/staff/applications/${a}"`);
    expect(html).toContain(`<select id="move-${a}" name="to">`);
    expect(html).toMatch(/<script type="module" src="\/assets\/board\.[\w-]{12}\.js">/);
  });

  it('shows at most 50 cards a column, with a link to see the rest of that stage a page at a time', async () => {
    const jobId = await newJob();
    const personIds = await db().execute(sql`
      insert into people (email, name) select 'many-' || g || '-' || ${randomUUID()} || '@example.com', 'Many ' || g from generate_series(1, 60) g returning id`);
    const ids = (personIds as unknown as { rows: Array<{ id: number }> }).rows.map((r) => r.id);
    await db()
      .insert(applications)
      .values(ids.map((personId) => ({ personId, jobId, stage: 'screen', idempotencyKey: randomUUID(), consentProcessing: true })));
    const browser = await staffClient(t.app, db(), recruiter.id);
    const board = await browser.get(`/staff/jobs/${jobId}/board`);
    expect(column(board.body, 'screen')).toHaveLength(50);
    expect(count(board.body, 'screen')).toBe(60);
    expect(board.body).toContain(`href="/staff/jobs/${jobId}/board?stage=screen">See all 60 in Screen</a>`);
    const first = await browser.get(`/staff/jobs/${jobId}/board?stage=screen`);
    expect(column(first.body, 'screen')).toHaveLength(50);
    expect(first.body).toContain('Next 50');
    const second = await browser.get(`/staff/jobs/${jobId}/board?stage=screen&page=2`);
    expect(column(second.body, 'screen')).toHaveLength(10);
    expect(new Set([...column(first.body, 'screen'), ...column(second.body, 'screen')]).size).toBe(60);
  });

  it('filters by stage, source, days in stage and resume words, and sorts, all from the URL', async () => {
    const jobId = await newJob();
    const zed = await seed(jobId, { stage: 'screen', name: 'Zed Zimmer', source: 'referral', days: 12, resume: 'Built payment systems in Rust and Go.' });
    const amy = await seed(jobId, { stage: 'screen', name: 'Amy Adams', source: 'site', days: 2, resume: 'Designs mobile apps in Swift.' });
    const bob = await seed(jobId, { stage: 'applied', name: 'Bob Brown', source: 'referral', days: 30, resume: 'Payments engineer; Kotlin and Go.' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const get = async (query: string) => (await browser.get(`/staff/jobs/${jobId}/board${query}`)).body;

    const screenOnly = await get('?stage=screen');
    expect([...screenOnly.matchAll(/class="board__column"/g)]).toHaveLength(1);
    expect(column(screenOnly, 'screen').sort()).toEqual([zed, amy].sort());

    const referrals = await get('?source=referral');
    expect(column(referrals, 'screen')).toEqual([zed]);
    expect(column(referrals, 'applied')).toEqual([bob]);
    expect(referrals).toMatch(/data-matching-for="screen">1<\/span> match the filters/);
    expect(count(referrals, 'screen')).toBe(2);

    const stale = await get('?days=10');
    expect(column(stale, 'screen')).toEqual([zed]);
    expect(column(stale, 'applied')).toEqual([bob]);

    const payments = await get(`?q=${encodeURIComponent('payment go')}`);
    expect(column(payments, 'screen')).toEqual([zed]);
    expect(column(payments, 'applied')).toEqual([bob]);
    const notRust = await get(`?q=${encodeURIComponent('payment -rust')}`);
    expect(column(notRust, 'screen')).toEqual([]);
    expect(column(notRust, 'applied')).toEqual([bob]);

    expect(column(await get('?sort=name&stage=screen'), 'screen')).toEqual([amy, zed]);
    expect(column(await get('?sort=newest&stage=screen'), 'screen')).toEqual([amy, zed]);
    expect(column(await get('?sort=oldest&stage=screen'), 'screen')).toEqual([zed, amy]);
    expect(column(await get('?sort=longest&stage=screen'), 'screen')).toEqual([zed, amy]);
    // The form shows what is applied, so it works as a plain GET form.
    const shown = await get('?source=referral&days=10&q=go&sort=longest');
    expect(shown).toContain('<option value="referral" selected="">Referral</option>');
    expect(shown).toContain('value="10"');
    expect(shown).toContain('<option value="longest" selected="">Longest in stage first</option>');
    // Nonsense in the URL is ignored, not an error.
    expect((await browser.get(`/staff/jobs/${jobId}/board?days=abc&sort=upside&page=-3&stage=nowhere`)).statusCode).toBe(200);
  });

  it('never lets resume words single out an application that anonymized screening hides (names, emails, schools)', async () => {
    const jobId = await newJob({ anonymized: true });
    const ada = await seed(jobId, { stage: 'screen', name: 'Ada Byron', email: 'ada.byron@example.com', resume: 'Ada Byron\nada.byron@example.com\nStudied at Harvard University\nWrote the first program.' });
    const other = await seed(jobId, { stage: 'screen', resume: 'Wrote compilers for a living.' });
    const past = await seed(jobId, { stage: 'phone_interview', resume: 'Studied at Harvard University\nWrote the first program.' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const get = async (query: string) => (await browser.get(`/staff/jobs/${jobId}/board${query}`)).body;
    for (const words of ['Harvard', 'ada.byron@example.com', '"Ada Byron"', '-Harvard wrote', 'wrote']) {
      const body = await get(`?q=${encodeURIComponent(words)}`);
      expect(column(body, 'screen'), words).toEqual([]);
      expect(body, words).toMatch(/data-matching-for="screen">0<\/span> match the filters/);
    }
    // Stages where the identity shows are searched as before.
    expect(column(await get(`?q=${encodeURIComponent('Harvard')}`), 'phone_interview')).toEqual([past]);
    expect(column(await get(''), 'screen').sort()).toEqual([ada, other].sort());
    // Nor can a bulk action by stage and words pick them out.
    await get(`?q=Harvard`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['scope', 'stage'], ['from', 'screen'], ['op', 'reject'], ['reason', 'Not this time'], ['back', '?q=Harvard']]);
    expect(res.statusCode).toBe(400);
    expect(await stageOf(ada)).toBe('screen');
    // A job without anonymized screening searches every stage.
    const openJob = await newJob();
    const open = await seed(openJob, { stage: 'screen', resume: 'Studied at Harvard University' });
    expect(column(await (await browser.get(`/staff/jobs/${openJob}/board?q=Harvard`)).body, 'screen')).toEqual([open]);
  });
});

describe(`moving applications on ${testEngine}`, () => {
  it('moves one application with the plain form: 303 back to the board, with the stage, timeline and audit written', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'applied', days: 5 });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board?sort=name`);
    const res = await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(id), to: 'phone_interview', back: '?sort=name' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/jobs/${jobId}/board?sort=name&notice=moved&to=phone_interview`);
    const [row] = await db().select().from(applications).where(eq(applications.id, id));
    expect(row!.stage).toBe('phone_interview');
    expect(Date.now() - row!.stageEnteredAt.getTime()).toBeLessThan(60_000);
    expect(Date.now() - row!.updatedAt.getTime()).toBeLessThan(60_000);
    const events = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(asc(applicationEvents.id));
    expect(events.at(-1)).toMatchObject({ kind: 'moved', fromStage: 'applied', toStage: 'phone_interview', actorType: 'staff', actorId: recruiter.id });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'application'), eq(auditEvents.subjectId, String(id)), eq(auditEvents.action, 'application.moved')));
    expect(audit).toMatchObject({ actorType: 'staff', actorId: recruiter.id, before: { stage: 'applied' }, after: { stage: 'phone_interview' } });
    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('Moved to Phone interview.');
    expect(column(page.body, 'phone_interview')).toEqual([id]);
  });

  it('answers JSON with the new counts when asked for JSON, as the board script does', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'screen' });
    await seed(jobId, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(id), to: 'onsite_loop' }, { accept: 'application/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, stage: 'onsite_loop', counts: { screen: 1, onsite_loop: 1 } });
    expect(await stageOf(id)).toBe('onsite_loop');
  });

  it('refuses to withdraw, to move out of hired or rejected, or to a stage the template lacks, with 409 and a clear message', async () => {
    const jobId = await newJob();
    const open = await seed(jobId, { stage: 'screen' });
    const hired = await seed(jobId, { stage: 'hired' });
    const rejected = await seed(jobId, { stage: 'rejected' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const json = (applicationId: number, to: string) => browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(applicationId), to }, { accept: 'application/json' });

    const withdraw = await json(open, 'withdrawn');
    expect(withdraw.statusCode).toBe(409);
    expect(withdraw.json().message).toBe('Only the candidate can withdraw an application. Reject it instead, with a reason.');
    const reject = await json(open, 'rejected');
    expect(reject.statusCode).toBe(409);
    expect(reject.json().message).toBe('Rejecting an application needs a reason.');
    const outOfHired = await json(hired, 'offer');
    expect(outOfHired.statusCode).toBe(409);
    expect(outOfHired.json().message).toMatch(/closed: the candidate was hired/);
    const outOfRejected = await json(rejected, 'onsite_loop');
    expect(outOfRejected.statusCode).toBe(409);
    expect(outOfRejected.json().message).toMatch(/rejection is final/);
    const notAStage = await json(open, 'take_home');
    expect(notAStage.statusCode).toBe(409);
    expect(notAStage.json().message).toBe('“Take home” is not a stage of this job.');

    // By the plain form, the board comes back with the message at the top, linked to the card's select.
    const form = await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(hired), to: 'offer' });
    expect(form.statusCode).toBe(409);
    expect(form.body).toContain('<title>Error: Pipeline');
    expect(form.body).toContain(`<a href="#move-${hired}">This application is closed: the candidate was hired.</a>`);

    expect(await stageOf(open)).toBe('screen');
    expect(await stageOf(hired)).toBe('hired');
    expect(await stageOf(rejected)).toBe('rejected');
  });

  it('answers 404 for an application of another job, and moves nothing', async () => {
    const jobId = await newJob();
    const otherJob = await newJob();
    const elsewhere = await seed(otherJob, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(elsewhere), to: 'offer' }, { accept: 'application/json' });
    expect(res.statusCode).toBe(404);
    const form = await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(elsewhere), to: 'offer' });
    expect(form.statusCode).toBe(404);
    const bulk = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(elsewhere)], ['op', 'move'], ['to', 'offer']]);
    expect(bulk.statusCode).toBe(404);
    expect(await stageOf(elsewhere)).toBe('screen');
  });

  it('moves the ticked applications in bulk, leaving those already there as they are', async () => {
    const jobId = await newJob();
    const a = await seed(jobId, { stage: 'applied' });
    const b = await seed(jobId, { stage: 'screen' });
    const c = await seed(jobId, { stage: 'phone_interview' });
    const untouched = await seed(jobId, { stage: 'applied' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [
      ['ids', String(a)],
      ['ids', String(b)],
      ['ids', String(c)],
      ['scope', 'selected'],
      ['op', 'move'],
      ['to', 'phone_interview'],
    ]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/jobs/${jobId}/board?notice=bulk-moved&n=2&to=phone_interview&same=1`);
    expect(await Promise.all([a, b, c, untouched].map(stageOf))).toEqual(['phone_interview', 'phone_interview', 'phone_interview', 'applied']);
    expect((await browser.get(res.headers.location as string)).body).toContain('Moved 2 applications to Phone interview. 1 was already there.');
  });

  it('refuses a bulk move as a whole when one of them cannot move, and shows the form again with what was chosen', async () => {
    const jobId = await newJob();
    const a = await seed(jobId, { stage: 'applied' });
    const hired = await seed(jobId, { stage: 'hired' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(a)], ['ids', String(hired)], ['op', 'move'], ['to', 'screen']]);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Nothing was changed: 1 of the 2 chosen applications cannot be moved.');
    expect(res.body).toContain(`id="select-${a}" name="ids" checked="" value="${a}"`);
    expect(await stageOf(a)).toBe('applied');

    const nothing = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['op', 'move'], ['to', 'screen']]);
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('<a href="#bulk-scope">Tick at least one card, or choose every application of a stage</a>');
    const noStage = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(a)], ['op', 'move'], ['to', '']]);
    expect(noStage.statusCode).toBe(400);
    expect(noStage.body).toContain('<a href="#bulk-to">Choose the stage to move them to</a>');
  });

  it('moves 1,000 applications in one bulk action: every row, its timeline event and its audit event', async () => {
    const jobId = await newJob();
    const inserted = (await db().execute(sql`
      with p as (
        insert into people (email, name) select 'bulk-' || g || '-' || ${randomUUID()} || '@example.com', 'Bulk ' || g from generate_series(1, 1000) g returning id
      )
      insert into applications (person_id, job_id, stage, idempotency_key, consent_processing)
      select id, ${jobId}, 'screen', gen_random_uuid()::text, true from p
      returning id`)) as unknown as { rows: Array<{ id: number }> };
    const ids = inserted.rows.map((r) => Number(r.id));
    expect(ids).toHaveLength(1000);
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [...ids.map((id): [string, string] => ['ids', String(id)]), ['op', 'move'], ['to', 'onsite_loop']]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('notice=bulk-moved&n=1000&to=onsite_loop');
    const [moved] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(applications)
      .where(and(eq(applications.jobId, jobId), eq(applications.stage, 'onsite_loop')));
    expect(Number(moved!.n)).toBe(1000);
    const [events] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(applicationEvents)
      .where(and(inArray(applicationEvents.applicationId, ids), eq(applicationEvents.kind, 'moved'), eq(applicationEvents.toStage, 'onsite_loop')));
    expect(Number(events!.n)).toBe(1000);
    const [audits] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'application.moved'), inArray(auditEvents.subjectId, ids.map(String))));
    expect(Number(audits!.n)).toBe(1000);
    // One transaction: every moved row carries the same transaction time.
    const [times] = await db()
      .select({ n: sql<number>`count(distinct ${applications.stageEnteredAt})::int` })
      .from(applications)
      .where(inArray(applications.id, ids));
    expect(Number(times!.n)).toBe(1);
  });

  it('moves every application of a stage that matches the filters, when that is what the bulk form asks', async () => {
    const jobId = await newJob();
    const referral = await seed(jobId, { stage: 'applied', source: 'referral' });
    const site = await seed(jobId, { stage: 'applied', source: 'site' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board?source=referral`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['scope', 'stage'], ['from', 'applied'], ['op', 'move'], ['to', 'screen'], ['back', '?source=referral']]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/jobs/${jobId}/board?source=referral&notice=bulk-moved&n=1&to=screen`);
    expect(await stageOf(referral)).toBe('screen');
    expect(await stageOf(site)).toBe('applied');
  });
});

describe(`rejecting on ${testEngine}`, () => {
  it('rejects in bulk with a reason and no email', async () => {
    const jobId = await newJob();
    const a = await seed(jobId, { stage: 'screen', email: 'quiet.one@example.com' });
    const b = await seed(jobId, { stage: 'applied', email: 'quiet.two@example.com' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(a)], ['ids', String(b)], ['op', 'reject'], ['reason', 'Role needs on-site presence']]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('notice=bulk-rejected&n=2&emailed=0');
    const rows = await db().select().from(applications).where(inArray(applications.id, [a, b]));
    expect(rows.map((r) => [r.stage, r.rejectReason])).toEqual([
      ['rejected', 'Role needs on-site presence'],
      ['rejected', 'Role needs on-site presence'],
    ]);
    const events = await db().select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, a), eq(applicationEvents.kind, 'rejected')));
    expect(events[0]).toMatchObject({ fromStage: 'screen', toStage: 'rejected', detail: 'Role needs on-site presence' });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'application.rejected'), eq(auditEvents.subjectId, String(a))));
    expect(audit).toMatchObject({ before: { stage: 'screen' }, after: { stage: 'rejected', reason: 'Role needs on-site presence' } });
    expect(mail.to('quiet.one@example.com')).toHaveLength(0);
  });

  it('rejects in bulk and emails each candidate the edited template with their own name', async () => {
    const jobId = await newJob();
    const a = await seed(jobId, { stage: 'screen', name: 'Grace Hopper', email: 'grace.h@example.com' });
    const b = await seed(jobId, { stage: 'screen', name: 'Edsger Dijkstra', email: 'edsger.d@example.com' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const board = await browser.get(`/staff/jobs/${jobId}/board`);
    // The form starts from the saved template, with the job and organization already filled in.
    expect(board.body).toMatch(/<input id="bulk-subject" type="text" maxLength="200" name="subject" value="Your application for Software Development Engineer \d+"/);
    expect(board.body).toContain('Dear {{candidate_name}},');
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [
      ['ids', String(a)],
      ['ids', String(b)],
      ['op', 'reject'],
      ['reason', 'Hired someone else'],
      ['email', 'yes'],
      ['subject', 'About your application <3'],
      ['body', 'Dear {{candidate_name}},\n\nWe went with someone else. <b>Thanks</b>.'],
    ]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('notice=bulk-rejected&n=2&emailed=2');
    const grace = mail.last('grace.h@example.com', 'application_rejected');
    expect(grace.subject).toBe('About your application <3');
    expect(grace.text).toBe('Dear Grace Hopper,\n\nWe went with someone else. <b>Thanks</b>.');
    expect(grace.html).toContain('&#60;b&#62;Thanks&#60;/b&#62;');
    expect(mail.last('edsger.d@example.com', 'application_rejected').text).toContain('Dear Edsger Dijkstra,');
    expect((await browser.get(res.headers.location as string)).body).toContain('Rejected 2 applications and emailed 2 candidates.');
  });

  it('asks for the reason, and for the subject and message when the email is ticked, keeping what was typed', async () => {
    const jobId = await newJob();
    const a = await seed(jobId, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    const res = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(a)], ['op', 'reject'], ['reason', ''], ['email', 'yes'], ['subject', 'Kept subject'], ['body', '']]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#bulk-reason">Give the reason for rejecting</a>');
    expect(res.body).toContain('<a href="#bulk-body">Write the email, or untick “Email the candidate”</a>');
    expect(res.body).toContain('value="Kept subject"');
    expect(await stageOf(a)).toBe('screen');
  });
});

describe(`the application page on ${testEngine}`, () => {
  it('shows the resume text, the answers, links, the timeline and what the candidate sees', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, {
      stage: 'screen',
      name: 'Katherine Johnson',
      email: 'kj@example.com',
      phone: '+1 555 0100 200',
      links: [{ label: 'GitHub', url: 'https://github.com/kj' }],
      resume: 'Orbital mechanics.\nCalculated trajectories by hand.',
    });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(id), to: 'phone_interview' });
    const page = await browser.get(`/staff/applications/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Katherine Johnson</h1>');
    expect(page.body).toContain('kj@example.com');
    expect(page.body).toContain('+1 555 0100 200');
    expect(page.body).toContain('href="https://github.com/kj"');
    expect(page.body).toContain('Orbital mechanics.\nCalculated trajectories by hand.');
    expect(page.body).toContain('Rita Recruiter moved it from Screen to Phone interview');
    expect(page.body).toContain('The candidate applied');
    expect(page.body).toContain('Status: <strong>Under review</strong>');
  });

  it('serves the resume file inline for a PDF, with its sniffed type and no caching', async () => {
    const jobId = await newJob();
    const store = folderFileStore(join(t.config.dataDir, 'files'));
    const pdf = makePdf('Resume of a careful engineer');
    const key = await store.put(pdf);
    const id = await seed(jobId, { stage: 'screen', storageKey: key });
    const docx = await seed(jobId, {
      stage: 'screen',
      storageKey: await store.put(Buffer.from('PK fake docx')),
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    const browser = await staffClient(t.app, db(), interviewer.id);
    const page = await browser.get(`/staff/applications/${id}`);
    expect(page.body).toContain(`href="/staff/applications/${id}/resume"`);
    const file = await browser.get(`/staff/applications/${id}/resume`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`inline; filename="R_sum_ 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf`);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.rawPayload.equals(pdf)).toBe(true);
    const other = await browser.get(`/staff/applications/${docx}/resume`);
    expect(other.headers['content-disposition']).toMatch(/^attachment; /);
    const none = await seed(jobId, { stage: 'screen' });
    expect((await browser.get(`/staff/applications/${none}/resume`)).statusCode).toBe(404);
  });

  it('hides who the candidate is under anonymized screening until the application is past screen', async () => {
    const jobId = await newJob({ anonymized: true });
    const store = folderFileStore(join(t.config.dataDir, 'files'));
    const id = await seed(jobId, {
      stage: 'screen',
      name: 'Hedy Lamarr',
      email: 'hedy.lamarr@example.com',
      phone: '+1 310 555 0199',
      links: [{ label: 'Portfolio', url: 'https://hedy.example.org' }],
      storageKey: await store.put(makePdf('Hedy')),
      resume: [
        'Hedy Lamarr',
        'hedy.lamarr@example.com | +1 310 555 0199 | https://hedy.example.org',
        'Invented frequency hopping with a composer, 1941-1942.',
        'Studied at the Vienna Academy of Performing Arts',
      ].join('\n'),
    });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const hidden = await browser.get(`/staff/applications/${id}`);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.body).toContain(`<h1>Candidate #${id}</h1>`);
    expect(hidden.body).toContain('Anonymized screening.');
    expect(hidden.body).not.toMatch(/Hedy|Lamarr|hedy\.lamarr|555 0199|hedy\.example|Vienna/);
    expect(hidden.body).toContain('Invented frequency hopping with a composer, 1941-1942.');
    expect(hidden.body).toContain('[line naming a school removed]');
    expect(hidden.body).not.toContain(`/staff/applications/${id}/resume`);
    const file = await browser.get(`/staff/applications/${id}/resume`);
    expect(file.statusCode).toBe(403);
    const board = await browser.get(`/staff/jobs/${jobId}/board`);
    expect(board.body).toContain(`Candidate #${id}`);
    expect(board.body).not.toContain('Hedy');

    await browser.post(`/staff/applications/${id}/move`, { to: 'phone_interview' });
    const shown = await browser.get(`/staff/applications/${id}`);
    expect(shown.body).toContain('<h1>Hedy Lamarr</h1>');
    expect(shown.body).toContain('hedy.lamarr@example.com');
    expect(shown.body).toContain('Studied at the Vienna Academy of Performing Arts');
    expect(shown.body).toContain(`/staff/applications/${id}/resume`);
    expect((await browser.get(`/staff/applications/${id}/resume`)).statusCode).toBe(200);
  });

  it('notifies and emails the colleagues a note mentions, and shows the note as plain text', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'screen', name: 'Barbara Liskov' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/applications/${id}`);
    const res = await browser.post(`/staff/applications/${id}/notes`, {
      body: `Strong systems background. @Ivan Interviewer and @${admin.email}, please look. @Otto Outsider is not on this job. <script>alert(1)</script>`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/applications/${id}?notice=noted&mentioned=2#notes`);
    const [note] = await db().select().from(applicationNotes).where(eq(applicationNotes.applicationId, id));
    expect(note!.mentions.sort()).toEqual([admin.id, interviewer.id].sort());
    const notifications = await db().select().from(staffNotifications).where(eq(staffNotifications.href, `/staff/applications/${id}`));
    expect(notifications.map((n) => n.userId).sort()).toEqual([admin.id, interviewer.id].sort());
    expect(notifications[0]!.text).toMatch(/^Rita Recruiter mentioned you in a note on Barbara Liskov \(Software Development Engineer \d+\)$/);
    const email = mail.last(interviewer.email, 'staff_mention');
    expect(email.text).toContain(`https://careers.example.test/staff/applications/${id}`);
    expect(mail.to(outsider.email)).toHaveLength(0);
    const page = await browser.get(`/staff/applications/${id}?notice=noted&mentioned=2`);
    expect(page.body).toContain('Note added; 2 colleagues were notified.');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'application.noted'), eq(auditEvents.subjectId, String(id))));
    expect(audit).toBeDefined();

    const empty = await browser.post(`/staff/applications/${id}/notes`, { body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#note-body">Write the note before adding it</a>');
  });

  it('adds and removes tags, shown on the board card, with audit events', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/applications/${id}`);
    expect((await browser.post(`/staff/applications/${id}/tags`, { add: '  Strong   Referral ' })).statusCode).toBe(303);
    expect((await browser.post(`/staff/applications/${id}/tags`, { add: 'rust' })).statusCode).toBe(303);
    expect((await db().select().from(applicationTags).where(eq(applicationTags.applicationId, id))).map((r) => r.tag).sort()).toEqual(['rust', 'strong referral']);
    const board = await browser.get(`/staff/jobs/${jobId}/board`);
    expect(board.body).toContain('<li class="status-tag">rust</li><li class="status-tag">strong referral</li>');
    expect((await browser.post(`/staff/applications/${id}/tags`, { remove: 'rust' })).statusCode).toBe(303);
    expect((await db().select().from(applicationTags).where(eq(applicationTags.applicationId, id))).map((r) => r.tag)).toEqual(['strong referral']);
    const audits = await db()
      .select({ action: auditEvents.action, before: auditEvents.before, after: auditEvents.after })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'application'), eq(auditEvents.subjectId, String(id))))
      .orderBy(asc(auditEvents.id));
    expect(audits.at(-1)).toEqual({ action: 'application.untagged', before: { tags: ['rust', 'strong referral'] }, after: { tags: ['strong referral'] } });
    const tooLong = await browser.post(`/staff/applications/${id}/tags`, { add: 'x'.repeat(41) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain(`value="${'x'.repeat(41)}"`);
  });

  it('rejects from the application page with a reason and the email, shown in the timeline', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'onsite_loop', name: 'Frances Allen', email: 'frances.a@example.com' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const page = await browser.get(`/staff/applications/${id}`);
    expect(page.body).toContain('Dear {{candidate_name}},');
    const res = await browser.post(`/staff/applications/${id}/reject`, {
      reason: 'Loop feedback was mixed',
      email: 'yes',
      subject: 'Your application',
      body: 'Dear {{candidate_name}}, thank you.',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/applications/${id}?notice=rejected&emailed=1`);
    expect(mail.last('frances.a@example.com', 'application_rejected').text).toBe('Dear Frances Allen, thank you.');
    const after = await browser.get(res.headers.location as string);
    expect(after.body).toContain('Rejected, and the candidate was emailed.');
    expect(after.body).toContain('Rita Recruiter rejected it at Onsite loop');
    expect(after.body).toContain('Loop feedback was mixed');
    expect(after.body).toContain('Status: <strong>No longer under consideration</strong>');
    const again = await browser.post(`/staff/applications/${id}/move`, { to: 'offer' });
    expect(again.statusCode).toBe(409);
  });

  it('lists the person’s other applications only on jobs the viewer may see', async () => {
    const jobId = await newJob();
    const seenJob = await newJob();
    const unseenJob = (await createJobs({ db: db(), inputs: [buildJob({ title: 'Secret Role' })] })).ids[0]!;
    const id = await seed(jobId, { stage: 'screen', name: 'Margaret Hamilton' });
    const personId = (await db().select({ personId: applications.personId }).from(applications).where(eq(applications.id, id)))[0]!.personId;
    const seen = await seed(seenJob, { personId, stage: 'applied' });
    await seed(unseenJob, { personId, stage: 'applied' });
    const recruiterPage = await (await staffClient(t.app, db(), recruiter.id)).get(`/staff/applications/${id}`);
    expect(recruiterPage.body).toContain(`href="/staff/applications/${seen}"`);
    expect(recruiterPage.body).not.toContain('Secret Role');
    const adminPage = await (await staffClient(t.app, db(), admin.id)).get(`/staff/applications/${id}`);
    expect(adminPage.body).toContain('Secret Role');
  });

  it('does not link an application that anonymized screening still hides from the person’s other applications', async () => {
    const openJob = await newJob();
    const blindJob = await newJob({ anonymized: true });
    const id = await seed(openJob, { stage: 'phone_interview', name: 'Grace Hopper' });
    const personId = (await db().select({ personId: applications.personId }).from(applications).where(eq(applications.id, id)))[0]!.personId;
    const blind = await seed(blindJob, { personId, stage: 'screen' });
    const browser = await staffClient(t.app, db(), recruiter.id);
    const board = await browser.get(`/staff/jobs/${blindJob}/board`);
    expect(board.body).toContain(`Candidate #${blind}`);
    expect(board.body).not.toContain('Grace');
    // Her visible application must not tell which anonymized card is hers.
    const page = await browser.get(`/staff/applications/${id}`);
    expect(page.body).toContain('<h1>Grace Hopper</h1>');
    expect(page.body).not.toContain(`/staff/applications/${blind}"`);
    // Past screening it is listed again.
    await db().update(applications).set({ stage: 'phone_interview' }).where(eq(applications.id, blind));
    expect((await browser.get(`/staff/applications/${id}`)).body).toContain(`href="/staff/applications/${blind}"`);
  });
});

describe(`who may do what, through HTTP, on ${testEngine}`, () => {
  it('lets an interviewer on the team read the application and write a note, but not move it or open the board', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), interviewer.id);
    const page = await browser.get(`/staff/applications/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`action="/staff/applications/${id}/move"`);
    expect(page.body).not.toContain(`action="/staff/applications/${id}/reject"`);
    expect((await browser.post(`/staff/applications/${id}/notes`, { body: 'Good questions for the phone screen.' })).statusCode).toBe(303);
    expect((await browser.post(`/staff/applications/${id}/move`, { to: 'phone_interview' })).statusCode).toBe(403);
    expect((await browser.post(`/staff/applications/${id}/tags`, { add: 'nope' })).statusCode).toBe(403);
    expect((await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(id), to: 'phone_interview' }, { accept: 'application/json' })).statusCode).toBe(403);
    expect((await browser.get(`/staff/jobs/${jobId}/board`)).statusCode).toBe(403);
    expect(await stageOf(id)).toBe('screen');
  });

  it('answers 403 to a recruiter of another job, and sends the signed-out to sign in', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), outsider.id);
    expect((await browser.get(`/staff/jobs/${jobId}/board`)).statusCode).toBe(403);
    expect((await browser.get(`/staff/applications/${id}`)).statusCode).toBe(403);
    expect((await browser.get(`/staff/applications/${id}/resume`)).statusCode).toBe(403);
    expect((await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(id), to: 'offer' }, { accept: 'application/json' })).statusCode).toBe(403);
    const signedOut = await t.app.inject({ method: 'GET', url: `/staff/jobs/${jobId}/board`, headers: { accept: 'text/html' } });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe(`/staff/sign-in?next=${encodeURIComponent(`/staff/jobs/${jobId}/board`)}`);
    expect((await browser.get(`/staff/jobs/99999999/board`)).statusCode).toBe(404);
  });

  it('refuses bulk moves and rejects to an interviewer on the team', async () => {
    const jobId = await newJob();
    const id = await seed(jobId, { stage: 'screen' });
    const browser = await staffClient(t.app, db(), interviewer.id);
    await browser.get(`/staff/applications/${id}`);
    const reject = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(id)], ['op', 'reject'], ['reason', 'x']]);
    expect(reject.statusCode).toBe(403);
    const move = await postPairs(browser, `/staff/jobs/${jobId}/board/bulk`, [['ids', String(id)], ['op', 'move'], ['to', 'offer']]);
    expect(move.statusCode).toBe(403);
    expect(await stageOf(id)).toBe('screen');
  });
});

describe(`what the candidate sees, on ${testEngine}`, () => {
  it('follows a move: phone interview reads “Under review” in the candidate’s account', async () => {
    const jobId = await newJob();
    const email = `follow.${randomUUID().slice(0, 8)}@example.com`;
    const candidate = new FormClient(t.app);
    expect((await candidate.submit('/account/sign-up', { email, password: 'correct horse battery staple' })).statusCode).toBe(303);
    const link = mail.linkPath(email, 'verify_email');
    await candidate.get(link);
    await candidate.post('/account/verify', { token: new URL(link, 'http://x').searchParams.get('token')! });
    const person = (await db().select({ id: people.id }).from(people).where(sql`lower(${people.email}) = ${email}`))[0]!;
    const id = await seed(jobId, { personId: person.id, stage: 'applied' });
    expect((await candidate.get('/account')).body).toContain('Status: <strong>Received</strong>');

    const browser = await staffClient(t.app, db(), recruiter.id);
    await browser.get(`/staff/jobs/${jobId}/board`);
    await browser.post(`/staff/jobs/${jobId}/board/move`, { applicationId: String(id), to: 'phone_interview' });
    const account = await candidate.get('/account');
    expect(account.body).toContain('Status: <strong>Under review</strong>');
    expect(account.body).not.toMatch(/phone_interview|Phone interview/);
  });
});
