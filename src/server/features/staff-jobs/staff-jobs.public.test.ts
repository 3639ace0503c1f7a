import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogState, jobEvents, jobs, jobTeam, titleWords } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import type { FormClient } from '../../../../test/support/account-client.ts';
import type { Db } from '../../db/client.ts';
import { createdId, jobForm, postFields, readForm, type Fields } from './staff-jobs.testing.ts';

// Issue 3, "a job edit invalidates exactly what it changes": what the public sees before and
// after staff edit a job, compared byte for byte through the ETags.
describe(`what a job edit changes in public, on ${testEngine}`, () => {
  let t: TestApp;
  let db: Db;
  let asAdmin: FormClient;
  let managerId: number;
  let harbor: number;
  let steady: number;

  beforeAll(async () => {
    t = await testApp({ deps: { mail: new RecordingMail() } });
    db = t.database.db;
    const admin = await createStaff(db, { role: 'admin' });
    managerId = (await createStaff(db, { role: 'hiring_manager', name: 'Mona Manager' })).id;
    asAdmin = await staffClient(t.app, db, admin.id);
    [harbor, steady] = (
      await createJobs({
        db,
        inputs: [buildJob({ title: 'Harbor Systems Engineer' }), buildJob({ title: 'Steady Platform Engineer', category: 'Systems Engineering' })],
      })
    ).ids as [number, number];
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ url, headers: { accept: 'text/html' } });
  const version = async () => (await db.select({ version: catalogState.version }).from(catalogState))[0]!.version;
  const words = async (list: string[]) => (await db.select({ word: titleWords.word }).from(titleWords).where(inArray(titleWords.word, list))).map((r) => r.word).sort();
  const updatedAt = async (id: number) => (await db.select({ at: jobs.updatedAt }).from(jobs).where(eq(jobs.id, id)))[0]!.at;

  /** Opens the job's editor, changes the given fields and saves. */
  async function edit(id: number, change: (fields: Fields) => Fields) {
    const page = await asAdmin.get(`/staff/jobs/${id}/edit`);
    expect(page.statusCode).toBe(200);
    const fields = readForm(page.body, `/staff/jobs/${id}`);
    return postFields(t.app, asAdmin, `/staff/jobs/${id}`, { ...change(fields), intent: 'save' });
  }

  /** The public answers that must not move, with their ETags. */
  async function publicState(ids: number[]) {
    const urls = ['/jobs', '/jobs?q=engineer', '/jobs?q=zephyrine', '/jobs?q=zefyrine', ...ids.map((id) => `/jobs/${id}`)];
    const out: Record<string, { status: number; etag: unknown; body: string }> = {};
    for (const url of urls) {
      let res = await get(url);
      if (res.statusCode === 301) res = await get(String(res.headers.location));
      out[url] = { status: res.statusCode, etag: res.headers.etag, body: res.body };
    }
    return out;
  }

  it('editing a draft changes nothing the public sees: its page stays 404, search results and ETags stay the same', async () => {
    await asAdmin.get('/staff/jobs/new');
    const draft = createdId(
      await postFields(t.app, asAdmin, '/staff/jobs', jobForm({ hiringManager: String(managerId), title: 'Zephyrine Platform Engineer' })),
    );
    const before = await publicState([draft, harbor, steady]);
    expect(before[`/jobs/${draft}`]!.status).toBe(404);
    // Nor does any node drop its cached searches: only writes touching an open job raise the catalogue version.
    const versionBefore = await version();

    const res = await edit(draft, (f) => ({ ...f, title: 'Zephyrine Ledger Engineer', description: 'Entirely new words about zephyrine.' }));
    expect(res.headers.location).toBe(`/staff/jobs/${draft}?notice=saved`);

    expect(await version()).toBe(versionBefore);
    const after = await publicState([draft, harbor, steady]);
    expect(after).toEqual(before);
    expect(after['/jobs?q=zephyrine']!.body).not.toContain('Zephyrine');
    // A draft's title never feeds "did you mean", so a typo cannot reveal it either.
    expect(after['/jobs?q=zefyrine']!.body).not.toContain('zephyrine');
    expect(await words(['zephyrine', 'ledger'])).toEqual([]);
  });

  it('editing an open job changes its page at once, and search finds it under its new title', async () => {
    const page = await get(`/jobs/${harbor}/harbor-systems-engineer`);
    expect(page.statusCode).toBe(200);
    expect((await get('/jobs?q=harbor')).body).toContain(`/jobs/${harbor}/harbor-systems-engineer`);
    expect(await words(['harbor'])).toEqual(['harbor']);

    const versionBefore = await version();
    const res = await edit(harbor, (f) => ({ ...f, title: 'Lighthouse Systems Engineer', hiringManager: String(managerId) }));
    expect(res.headers.location).toBe(`/staff/jobs/${harbor}?notice=saved`);
    expect(await version()).toBe(versionBefore + 1);

    const moved = await get(`/jobs/${harbor}/harbor-systems-engineer`);
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/jobs/${harbor}/lighthouse-systems-engineer`);
    const renamed = await get(`/jobs/${harbor}/lighthouse-systems-engineer`);
    expect(renamed.statusCode).toBe(200);
    expect(renamed.headers.etag).not.toBe(page.headers.etag);
    expect(renamed.body).toContain('Lighthouse Systems Engineer');
    expect((await get('/jobs?q=lighthouse')).body).toContain(`/jobs/${harbor}/lighthouse-systems-engineer`);
    expect((await get('/jobs?q=harbor')).body).not.toContain(`/jobs/${harbor}/`);
    expect(await words(['harbor', 'lighthouse'])).toEqual(['lighthouse']);
  });

  it('a hiring-team change leaves the job row, catalogue and page alone; an unchanged form writes nothing at all', async () => {
    const page = await get(`/jobs/${steady}/steady-platform-engineer`);
    const [versionBefore, changedBefore] = [await version(), await updatedAt(steady)];
    const res = await edit(steady, (f) => ({ ...f, hiringManager: String(managerId) }));
    expect(res.headers.location).toBe(`/staff/jobs/${steady}?notice=saved`);
    // Only the hiring team changed: the job's row, its catalogue version and its public page did not.
    expect(await version()).toBe(versionBefore);
    expect(await updatedAt(steady)).toEqual(changedBefore);
    expect((await get(`/jobs/${steady}/steady-platform-engineer`)).headers.etag).toBe(page.headers.etag);
    expect(await db.select({ userId: jobTeam.userId }).from(jobTeam).where(eq(jobTeam.jobId, steady))).toEqual([{ userId: managerId }]);

    const again = await edit(steady, (f) => f);
    expect(again.headers.location).toBe(`/staff/jobs/${steady}?notice=unchanged`);
    expect(await version()).toBe(versionBefore);
    expect(await updatedAt(steady)).toEqual(changedBefore);
    expect((await db.select({ action: jobEvents.action }).from(jobEvents).where(eq(jobEvents.jobId, steady))).map((e) => e.action)).toEqual(['edited']);
  });

  it('changing an open job’s principles changes its page but not the search results', async () => {
    const page = await get(`/jobs/${steady}/steady-platform-engineer`);
    const search = await get('/jobs?q=steady');
    const res = await edit(steady, (f) => ({ ...f, principles: ['customer-obsession', 'ownership', 'think-big'] }));
    expect(res.headers.location).toBe(`/staff/jobs/${steady}?notice=saved`);
    const after = await get(`/jobs/${steady}/steady-platform-engineer`);
    expect(after.headers.etag).not.toBe(page.headers.etag);
    expect(after.body).toContain('href="/principles/think-big"');
    const searchAfter = await get('/jobs?q=steady');
    expect(searchAfter.headers.etag).toBe(search.headers.etag);
  });

  it('takes a job’s title words out of "did you mean" when it stops being open, and back when it reopens', async () => {
    await asAdmin.get(`/staff/jobs/${harbor}`);
    expect((await asAdmin.post(`/staff/jobs/${harbor}/transition`, { action: 'hold' })).statusCode).toBe(303);
    expect(await words(['lighthouse'])).toEqual([]);
    expect((await asAdmin.post(`/staff/jobs/${harbor}/transition`, { action: 'resume' })).statusCode).toBe(303);
    expect(await words(['lighthouse'])).toEqual(['lighthouse']);
  });
});
