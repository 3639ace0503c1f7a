import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsTestApp, FormClient } from '../../../../test/support/account-client.ts';
import { buildJob } from '../../../../test/support/builders.ts';
import { makePdf } from '../../../../test/support/files.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { createJobs } from '../jobs/jobs.service.ts';

const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;

let t: Awaited<ReturnType<typeof accountsTestApp>>;
let apply: string;
beforeAll(async () => {
  t = await accountsTestApp();
  const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Platform Engineer', questions: [] })] });
  apply = `/jobs/${ids[0]}/platform-engineer/apply`;
});
afterAll(() => t.close());

/** A stranger opens an account with the victim's address, chooses its password and keeps a session. */
async function strangerOpens(victim: string) {
  const owner = new FormClient(t.app);
  await owner.postMultipart(apply, { idempotencyKey: randomUUID(), name: 'Vic Tim', email: victim, consentProcessing: 'yes' }, {
    field: 'resume',
    filename: 'vic.pdf',
    contentType: 'application/pdf',
    bytes: makePdf('Victim secret resume'),
  });
  const stranger = new FormClient(t.app);
  await stranger.submit('/account/sign-up', { email: victim, password: 'stranger password 123' });
  expect((await stranger.submit('/account/sign-in', { email: victim, password: 'stranger password 123' })).statusCode).toBe(303);
  expect((await stranger.get('/account')).body).not.toContain('Platform Engineer');
  return stranger;
}

async function strangerLockedOut(stranger: FormClient, victim: string) {
  // The old session is gone…
  const page = await stranger.get('/account');
  expect(page.statusCode).toBe(303);
  // …and the password the stranger chose no longer opens the account.
  const again = new FormClient(t.app);
  expect((await again.submit('/account/sign-in', { email: victim, password: 'stranger password 123' })).statusCode).toBe(401);
}

describe(`an account opened by a stranger with someone else's address, on ${testEngine}`, () => {
  it('loses every way in once the owner signs in by an emailed link', async () => {
    const victim = `victim-${randomUUID().slice(0, 6)}@example.com`;
    const stranger = await strangerOpens(victim);
    const owner = new FormClient(t.app);
    await owner.submit('/account/sign-in/link', { email: victim });
    const link = t.mail.linkPath(victim, 'sign_in_link');
    await owner.get(link);
    expect((await owner.post(link)).statusCode).toBe(303);
    expect((await owner.get('/account')).statusCode).toBe(200);
    await strangerLockedOut(stranger, victim);
  });

  it('loses every way in once the owner confirms the address from another browser', async () => {
    const victim = `victim-${randomUUID().slice(0, 6)}@example.com`;
    const stranger = await strangerOpens(victim);
    const owner = new FormClient(t.app);
    const link = t.mail.linkPath(victim, 'verify_email');
    await owner.get(link);
    expect((await owner.post('/account/verify', { token: tokenOf(link) })).statusCode).toBe(303);
    await strangerLockedOut(stranger, victim);
  });

  it('never offers the owner a confirm link in the "you already have an account" email', async () => {
    const victim = `victim-${randomUUID().slice(0, 6)}@example.com`;
    await strangerOpens(victim);
    const owner = new FormClient(t.app);
    await owner.submit('/account/sign-up', { email: victim, password: 'owner password 4567' });
    const mail = t.mail.last(victim);
    expect(mail.kind).toBe('account_exists');
    expect(mail.text).not.toContain('/account/verify');
    expect(mail.text).toContain('/account/reset');
  });

  it('keeps the password of a person who confirms in the browser they signed up in', async () => {
    const email = `honest-${randomUUID().slice(0, 6)}@example.com`;
    const browser = new FormClient(t.app);
    await browser.submit('/account/sign-up', { email, password: 'honest password 123' });
    const link = t.mail.linkPath(email, 'verify_email');
    await browser.get(link);
    expect((await browser.post('/account/verify', { token: tokenOf(link) })).statusCode).toBe(303);
    const later = new FormClient(t.app);
    expect((await later.submit('/account/sign-in', { email, password: 'honest password 123' })).statusCode).toBe(303);
  });
});

describe(`a stranger applying with a confirmed candidate's address, on ${testEngine}`, () => {
  it('cannot rewrite their profile, nor plant an application or a resume in their account', async () => {
    const email = `owner-${randomUUID().slice(0, 6)}@example.com`;
    const owner = new FormClient(t.app);
    await owner.submit('/account/sign-up', { email, password: 'owner password 4567' });
    const link = t.mail.linkPath(email, 'verify_email');
    await owner.get(link);
    await owner.post('/account/verify', { token: tokenOf(link) });
    await owner.submit('/account/profile', { name: 'Real Owner', phone: '', location: '', linkedin: '', github: '', portfolio: '' });

    const stranger = new FormClient(t.app);
    const res = await stranger.postMultipart(apply, { idempotencyKey: randomUUID(), name: 'Mallory Fake', email, linkedin: 'https://evil.example/x', consentProcessing: 'yes' }, {
      field: 'resume',
      filename: 'planted.pdf',
      contentType: 'application/pdf',
      bytes: makePdf('Planted'),
    });
    expect(res.statusCode).toBe(303);
    const profile = await owner.get('/account/profile');
    expect(profile.body).not.toContain('Mallory Fake');
    expect(profile.body).not.toContain('evil.example');
    expect(profile.body).not.toContain('planted.pdf');
    expect((await owner.get('/account')).body).not.toContain('Platform Engineer');
  });
});
