import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import type { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { auditActions, verifiedAccount } from '../../../../test/support/saved-helpers.ts';
import { savedTestApp } from '../../../../test/support/saved-test-app.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { FormClient } from '../../../../test/support/account-client.ts';
import { jobAlerts, jobs, savedJobs } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import type { JobSearch } from '../jobs/search.service.ts';
import { alertSignature } from './alerts.service.ts';

let t: TestApp & { mail: RecordingMail; search: JobSearch };
let jobId: number;
let otherJobId: number;

beforeAll(async () => {
  t = await savedTestApp();
  const { ids } = await createJobs({
    db: t.database.db,
    inputs: [buildJob({ title: 'Lighthouse Keeper' }), buildJob({ title: 'Harbour Pilot', team: 'legal', category: 'Legal' })],
  });
  [jobId, otherJobId] = ids as [number, number];
});
afterAll(() => t.close());

const secret = () => t.config.sessionSecret!;

describe(`saving jobs on ${testEngine}`, () => {
  it('links every search result and the job page to the save page, which public caching allows', async () => {
    const search = await t.app.inject({ method: 'GET', url: '/jobs?q=lighthouse' });
    expect(search.body).toContain(`href="/account/saved-jobs/new?job=${jobId}"`);
    const page = await t.app.inject({ method: 'GET', url: `/jobs/${jobId}/lighthouse-keeper` });
    expect(page.body).toContain(`href="/account/saved-jobs/new?job=${jobId}"`);
  });

  it('sends a signed-out person to a page that says to sign in first', async () => {
    const browser = new FormClient(t.app);
    const res = await browser.get(`/account/saved-jobs/new?job=${jobId}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/account/saved-jobs/sign-in-needed?job=${jobId}`);
    const note = await browser.get(res.headers.location!);
    expect(note.statusCode).toBe(200);
    expect(note.body).toContain('Sign in to save jobs');
    expect(note.body).toContain('href="/account/sign-in"');
    expect((await browser.get('/account/saved-jobs')).headers.location).toBe('/account/sign-in');
  });

  it('saves a job with the button, lists it, and unsaves it, with audit rows', async () => {
    const { browser, personId } = await verifiedAccount(t);
    const confirm = await browser.get(`/account/saved-jobs/new?job=${jobId}`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.headers['cache-control']).toBe('no-store');
    expect(confirm.body).toContain('Lighthouse Keeper');
    const saved = await browser.post('/account/saved-jobs', { job: String(jobId) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account/saved-jobs?notice=saved');
    // Saving twice keeps one row.
    await browser.post('/account/saved-jobs', { job: String(jobId) });
    const list = await browser.get('/account/saved-jobs');
    expect(list.body).toMatch(new RegExp(`href="/jobs/${jobId}/lighthouse-keeper">Lighthouse Keeper</a>`));
    expect(await t.database.db.select().from(savedJobs).where(eq(savedJobs.personId, personId))).toHaveLength(1);

    const removed = await browser.post(`/account/saved-jobs/${jobId}/delete`);
    expect(removed.headers.location).toBe('/account/saved-jobs?notice=removed');
    expect((await browser.get('/account/saved-jobs')).body).toContain('You have no saved jobs');
    expect((await auditActions(t, personId)).filter((a) => a.startsWith('saved_job.'))).toEqual(['saved_job.added', 'saved_job.removed']);
  });

  it('marks a saved job that has closed, without a link to it', async () => {
    const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Ferry Captain' })] });
    const { browser } = await verifiedAccount(t);
    await browser.get(`/account/saved-jobs/new?job=${ids[0]}`);
    await browser.post('/account/saved-jobs', { job: String(ids[0]) });
    await t.database.db.update(jobs).set({ status: 'closed' }).where(eq(jobs.id, ids[0]!));
    const list = await browser.get('/account/saved-jobs');
    expect(list.body).toContain('Ferry Captain');
    expect(list.body).toContain('(closed: no longer taking applications)');
    expect(list.body).not.toContain(`href="/jobs/${ids[0]}/`);
    // A closed job cannot be saved anew.
    expect((await browser.get(`/account/saved-jobs/new?job=${ids[0]}`)).statusCode).toBe(404);
  });

  it('refuses a save or unsave without the form token, and a job that does not exist', async () => {
    const { browser, personId } = await verifiedAccount(t);
    // The account page's forms carry the signed-in token, which the client keeps.
    await browser.get('/account');
    expect((await browser.post('/account/saved-jobs', { job: String(jobId), _csrf: null })).statusCode).toBe(403);
    expect((await browser.post('/account/saved-jobs', { job: String(jobId), _csrf: 'forged' })).statusCode).toBe(403);
    expect(await t.database.db.select().from(savedJobs).where(eq(savedJobs.personId, personId))).toHaveLength(0);
    expect((await browser.post('/account/saved-jobs', { job: '999999999' })).statusCode).toBe(404);
    expect((await browser.get('/account/saved-jobs/new?job=abc')).statusCode).toBe(404);
  });

  it('answers 404 when someone unsaves a job only another person saved', async () => {
    const ada = await verifiedAccount(t);
    await ada.browser.get(`/account/saved-jobs/new?job=${otherJobId}`);
    await ada.browser.post('/account/saved-jobs', { job: String(otherJobId) });
    const bob = await verifiedAccount(t);
    await bob.browser.get('/account');
    expect((await bob.browser.post(`/account/saved-jobs/${otherJobId}/delete`)).statusCode).toBe(404);
    expect(await t.database.db.select().from(savedJobs).where(eq(savedJobs.personId, ada.personId))).toHaveLength(1);
  });
});

describe(`job alerts on ${testEngine}`, () => {
  it('offers an alert for every search, carrying its filters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/jobs?q=keeper&team=amazon-web-services&page=1&sort=newest' });
    expect(res.body).toContain('href="/account/alerts/new?q=keeper&amp;team=amazon-web-services"');
    expect(res.body).toContain('Email me new jobs for this search');
  });

  it('creates an alert from a search with the normalized query, shows it in words, and deletes it', async () => {
    const { browser, personId } = await verifiedAccount(t);
    const page = await browser.get('/account/alerts/new?team=amazon-web-services&q=keeper&page=3&sort=newest');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Jobs matching “keeper”; team: Amazon Web Services');
    expect(page.body).toContain('name="query" value="q=keeper&amp;team=amazon-web-services"');
    const created = await browser.post('/account/alerts', { query: 'q=keeper&team=amazon-web-services', frequency: 'weekly' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/account/alerts?notice=created');
    const [row] = await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.personId, personId));
    expect(row).toMatchObject({ query: 'q=keeper&team=amazon-web-services', frequency: 'weekly' });

    // The same search again keeps one alert.
    expect((await browser.post('/account/alerts', { query: 'q=keeper&team=amazon-web-services', frequency: 'weekly' })).headers.location).toBe(
      '/account/alerts?notice=exists',
    );
    const list = await browser.get('/account/alerts');
    expect(list.body).toContain('Jobs matching “keeper”; team: Amazon Web Services');
    expect(list.body).toContain('Weekly, on Mondays');

    expect((await browser.post(`/account/alerts/${row!.id}/delete`)).headers.location).toBe('/account/alerts?notice=deleted');
    expect(await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.personId, personId))).toHaveLength(0);
    expect((await auditActions(t, personId)).filter((a) => a.startsWith('job_alert.'))).toEqual(['job_alert.created', 'job_alert.deleted']);
  });

  it('asks a signed-out person to sign in, keeping the search to go back to', async () => {
    const browser = new FormClient(t.app);
    const res = await browser.get('/account/alerts/new?q=keeper');
    expect(res.headers.location).toBe('/account/alerts/sign-in-needed?q=keeper');
    const note = await browser.get(res.headers.location!);
    expect(note.body).toContain('Sign in to get job alerts');
    expect(note.body).toContain('href="/jobs?q=keeper"');
  });

  it('refuses an alert without a frequency, with the form token missing, or for an invalid search', async () => {
    const { browser, personId } = await verifiedAccount(t);
    await browser.get('/account/alerts/new?q=keeper');
    const noFrequency = await browser.post('/account/alerts', { query: 'q=keeper' });
    expect(noFrequency.statusCode).toBe(400);
    expect(noFrequency.body).toContain('Choose daily or weekly.');
    expect((await browser.post('/account/alerts', { query: 'q=keeper', frequency: 'daily', _csrf: null })).statusCode).toBe(403);
    expect((await browser.get('/account/alerts/new?type=NOT_A_TYPE')).statusCode).toBe(400);
    expect(await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.personId, personId))).toHaveLength(0);
  });

  it("answers 404 when someone deletes another person's alert", async () => {
    const ada = await verifiedAccount(t);
    await ada.browser.get('/account/alerts/new?q=pilot');
    await ada.browser.post('/account/alerts', { query: 'q=pilot', frequency: 'daily' });
    const [alert] = await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.personId, ada.personId));
    const bob = await verifiedAccount(t);
    await bob.browser.get('/account');
    expect((await bob.browser.post(`/account/alerts/${alert!.id}/delete`)).statusCode).toBe(404);
    expect(await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.id, alert!.id))).toHaveLength(1);
  });
});

describe(`unsubscribing by the emailed link on ${testEngine}`, () => {
  async function alertOf(query: string) {
    const { browser, personId } = await verifiedAccount(t);
    await browser.get(`/account/alerts/new?${query}`);
    await browser.post('/account/alerts', { query, frequency: 'daily' });
    const [alert] = await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.personId, personId));
    return { id: alert!.id, personId };
  }

  it('shows a button on GET and deletes the alert only on POST, without signing in', async () => {
    const { id, personId } = await alertOf('q=pilot');
    const url = `/alerts/unsubscribe?alert=${id}&sig=${alertSignature(secret(), id)}`;
    const page = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Stop these emails');
    expect(page.body).toContain('Jobs matching “pilot”');
    expect(await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.id, id))).toHaveLength(1);

    // What a mail client's one-click List-Unsubscribe-Post sends.
    const done = await t.app.inject({
      method: 'POST',
      url,
      payload: 'List-Unsubscribe=One-Click',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    expect(await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.id, id))).toHaveLength(0);
    expect(await auditActions(t, personId)).toContain('job_alert.unsubscribed');
    // The link again: nothing left to stop, said plainly.
    expect((await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })).body).toContain('This alert is already stopped');
  });

  it('answers 400 to a wrong or missing signature and keeps the alert', async () => {
    const { id } = await alertOf('q=keeper');
    const other = alertSignature(secret(), id + 1);
    for (const url of [`/alerts/unsubscribe?alert=${id}&sig=${other}`, `/alerts/unsubscribe?alert=${id}`, `/alerts/unsubscribe?alert=x&sig=${other}`]) {
      const get = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(get.statusCode).toBe(400);
      expect(get.body).toContain('This link does not work');
      const post = await t.app.inject({ method: 'POST', url, payload: '', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' } });
      expect(post.statusCode).toBe(400);
    }
    expect(await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.id, id))).toHaveLength(1);
  });
});
