import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormClient } from '../../../../test/support/account-client.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applicationEvents, applications, auditEvents, jobEvents, jobs, offerApprovalChains, offerApprovals, offers, staffNotifications } from '../../db/schema/index.ts';
import { offerApprovalsWaiting } from './offers.waiting.ts';
import { addCandidate, addHireDecision, candidateClient, offerCast, offersApp, pageText, pdfText, termsFields } from './offers.test-support.ts';

type T = Awaited<ReturnType<typeof offersApp>>;
let t: T;
let admin: { id: number };
let adminClient: FormClient;

beforeAll(async () => {
  t = await offersApp();
  admin = await createStaff(t.database.db, { role: 'admin', name: 'Ada Admin' });
  adminClient = await staffClient(t.app, t.database.db, admin.id);
});
afterAll(() => t.close());

const db = () => t.database.db;
const DAY = 86_400_000;
/** A day `days` from now, as YYYY-MM-DD. */
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const offerUrl = (applicationId: number) => `/staff/applications/${applicationId}/offer`;

const offerOf = async (applicationId: number) => (await db().select().from(offers).where(eq(offers.applicationId, applicationId)).orderBy(asc(offers.id))).at(-1)!;
const auditOf = async (subjectType: string, subjectId: number | string) =>
  db()
    .select({ action: auditEvents.action, actorType: auditEvents.actorType, before: auditEvents.before, after: auditEvents.after })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, String(subjectId))))
    .orderBy(asc(auditEvents.id));
const notificationsOf = async (userId: number) => (await db().select().from(staffNotifications).where(eq(staffNotifications.userId, userId))).map((n) => n.kind);
const jobRow = async (jobId: number) => (await db().select().from(jobs).where(eq(jobs.id, jobId)))[0]!;

/** Sets a team's or a job's chain through the admin page. */
async function setChain(scope: 'team' | 'job', key: string, approverIds: number[], field: 'key' | 'job' = 'key') {
  await adminClient.get('/staff/offers/approval-chains');
  const form = new URLSearchParams([['_csrf', adminClient.csrf], ['scope', scope], [field, key], ...approverIds.map((id): [string, string] => ['approver', String(id)]), ['approver', '']]);
  return t.app.inject({
    method: 'POST',
    url: '/staff/offers/approval-chains',
    payload: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: [...adminClient.cookies].map(([n, v]) => `${n}=${v}`).join('; ') },
  });
}

/** A recruiter drafts and submits an offer; answers the recruiter's client and the offer id. */
async function draftAndSubmit(cast: Awaited<ReturnType<typeof offerCast>>, applicationId: number, fields = termsFields()) {
  const recruiter = await staffClient(t.app, db(), cast.recruiter.id);
  await recruiter.get(offerUrl(applicationId));
  expect((await recruiter.post(offerUrl(applicationId), { offer: '', ...fields })).statusCode).toBe(303);
  const offer = await offerOf(applicationId);
  await recruiter.get(offerUrl(applicationId));
  expect((await recruiter.post(`${offerUrl(applicationId)}/submit`, { offer: String(offer.id) })).statusCode).toBe(303);
  return { recruiter, offerId: offer.id };
}

async function extend(recruiter: FormClient, applicationId: number, offerId: number, expiresOn = inDays(10)) {
  await recruiter.get(offerUrl(applicationId));
  return recruiter.post(`${offerUrl(applicationId)}/extend`, { offer: String(offerId), expiresOn });
}

describe(`offers on ${testEngine}`, () => {
  it('walks an offer from draft through its chain in order to the candidate’s acceptance, and closes the job at its last seat', async () => {
    const cast = await offerCast(db(), 'Walk');
    const first = await createStaff(db(), { role: 'hiring_manager', name: 'Walk First Approver' });
    const second = await createStaff(db(), { role: 'admin', name: 'Walk Second Approver' });
    const outsider = await createStaff(db(), { role: 'recruiter', name: 'Walk Outsider' });
    const zoe = await addCandidate(db(), { jobId: cast.jobId, name: 'Zoë Ødegård' });
    await addHireDecision(db(), zoe.applicationId, 6);

    // An admin gives the job's team an ordered chain.
    const chain = await setChain('team', 'amazon-web-services', [first.id, second.id]);
    expect(chain.statusCode).toBe(303);
    expect((await auditOf('offer_approval_chain', 'team:amazon-web-services')).map((e) => [e.action, e.before, e.after])).toEqual([
      ['offer_chain.updated', { approverIds: [] }, { approverIds: [first.id, second.id] }],
    ]);

    // The recruiter opens the page: a draft form with the job's title and the debrief's level.
    const recruiter = await staffClient(t.app, db(), cast.recruiter.id);
    const page = await recruiter.get(offerUrl(zoe.applicationId));
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain('Draft an offer');
    expect(page.body).toContain('value="Walk Platform Engineer"');
    expect(page.body).toMatch(/<option value="6" selected="">Principal/);
    expect(pageText(page.body)).toContain('Walk First Approver → Walk Second Approver');

    // Bad terms come back with the reasons and everything typed.
    const bad = await recruiter.post(offerUrl(zoe.applicationId), { offer: '', ...termsFields({ basePay: 'lots', startDate: '2020-01-01', currency: 'euro' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#basePay"');
    expect(pageText(bad.body)).toContain('Choose a start date that is not in the past');
    expect(pageText(bad.body)).toContain('Enter the currency as a three-letter code');
    expect(bad.body).toContain('value="Senior Platform Engineer"');
    expect(bad.body).toContain('value="lots"');

    const { offerId } = await draftAndSubmit(cast, zoe.applicationId);
    expect((await offerOf(zoe.applicationId)).status).toBe('pending_approval');
    expect((await db().select().from(offerApprovals).where(eq(offerApprovals.offerId, offerId)).orderBy(asc(offerApprovals.position))).map((a) => [a.approverId, a.status])).toEqual([
      [first.id, 'pending'],
      [second.id, 'pending'],
    ]);
    expect(t.mail.last(first.email, 'offer_approval_waiting').text).toContain('/staff/offers#offer-');
    expect(await notificationsOf(first.id)).toEqual(['offer_approval_waiting']);
    expect(t.mail.to(second.email)).toEqual([]);
    const asUser = (u: { id: number; email: string; name: string }, role: 'hiring_manager' | 'admin') => ({ ...u, role, barRaiser: false, demo: false, sessionHash: '' });
    expect((await offerApprovalsWaiting({ db: db(), user: asUser(first, 'hiring_manager'), now: new Date() }))?.items).toEqual([
      { title: 'Senior Platform Engineer: Zoë Ødegård', href: `/staff/offers#offer-${offerId}`, detail: 'Amazon Web Services' },
    ]);
    expect(await offerApprovalsWaiting({ db: db(), user: asUser(second, 'admin'), now: new Date() })).toBeNull();

    // Out of turn, or not in the chain at all: 403.
    const secondClient = await staffClient(t.app, db(), second.id);
    await secondClient.get('/staff/offers');
    expect((await secondClient.post(`/staff/offers/${offerId}/approve`)).statusCode).toBe(403);
    const outsiderClient = await staffClient(t.app, db(), outsider.id);
    const outsiderList = await outsiderClient.get('/staff/offers');
    expect(pageText(outsiderList.body)).toContain('No offer is waiting for your approval.');
    expect((await outsiderClient.post(`/staff/offers/${offerId}/approve`)).statusCode).toBe(403);

    // The first approver sees the terms; rejecting needs a comment, and sends the offer back to draft.
    const firstClient = await staffClient(t.app, db(), first.id);
    const list = await firstClient.get('/staff/offers');
    expect(pageText(list.body)).toContain('Base pay 185,000 EUR per year');
    expect(pageText(list.body)).toContain('Zoë Ødegård');
    const noComment = await firstClient.post(`/staff/offers/${offerId}/reject`, { [`comment-${offerId}`]: '  ' });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.body).toContain(`href="#comment-${offerId}"`);
    expect((await firstClient.post(`/staff/offers/${offerId}/reject`, { [`comment-${offerId}`]: 'Base pay is above the band.' })).statusCode).toBe(303);
    expect((await offerOf(zoe.applicationId)).status).toBe('draft');
    expect(t.mail.last(cast.recruiter.email, 'offer_approval_rejected').text).toContain('Base pay is above the band.');

    // The recruiter lowers the pay and submits again; the chain starts afresh and runs in order.
    await recruiter.get(offerUrl(zoe.applicationId));
    expect((await recruiter.post(offerUrl(zoe.applicationId), { offer: String(offerId), ...termsFields({ basePay: '175000' }) })).statusCode).toBe(303);
    await recruiter.get(offerUrl(zoe.applicationId));
    expect((await recruiter.post(`${offerUrl(zoe.applicationId)}/submit`, { offer: String(offerId) })).statusCode).toBe(303);
    await firstClient.get('/staff/offers');
    expect((await firstClient.post(`/staff/offers/${offerId}/approve`)).statusCode).toBe(303);
    expect((await offerOf(zoe.applicationId)).status).toBe('pending_approval');
    expect(t.mail.last(second.email, 'offer_approval_waiting').to).toBe(second.email);
    await secondClient.get('/staff/offers');
    expect((await secondClient.post(`/staff/offers/${offerId}/approve`)).statusCode).toBe(303);
    expect((await offerOf(zoe.applicationId)).status).toBe('approved');

    // Extending needs a future date; the email names the title and the link, never the terms.
    const past = await extend(recruiter, zoe.applicationId, offerId, inDays(-1));
    expect(past.statusCode).toBe(400);
    expect(pageText(past.body)).toContain('Choose an expiry date in the future');
    expect((await extend(recruiter, zoe.applicationId, offerId)).statusCode).toBe(303);
    const extended = t.mail.last(zoe.email, 'offer_extended');
    expect(extended.subject).toContain('Senior Platform Engineer');
    expect(extended.text).toContain(`https://careers.example.test/account/offers/${offerId}`);
    for (const term of ['175', 'EUR', 'Relocation', 'restricted', '20,000', '20000']) expect(extended.text + extended.html).not.toContain(term);

    // The candidate sees it in their account, with the letter.
    const browser = await candidateClient(t.app, db(), zoe.personId);
    const listed = await browser.get('/account/offers');
    expect(listed.body).toContain(`href="/account/offers/${offerId}"`);
    expect(pageText(listed.body)).toContain('Waiting for your answer');
    const offerPage = await browser.get(`/account/offers/${offerId}`);
    expect(offerPage.statusCode).toBe(200);
    expect(pageText(offerPage.body)).toContain('Base pay 175,000 EUR per year');
    expect(offerPage.body).toContain(`href="/account/offers/${offerId}/letter.pdf"`);
    const letter = await browser.get(`/account/offers/${offerId}/letter.pdf`);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.headers['content-disposition']).toBe(`inline; filename="offer-${offerId}-senior-platform-engineer.pdf"`);
    expect(letter.headers['cache-control']).toBe('no-store');
    const { text } = await pdfText(letter.rawPayload);
    const squeezed = text.replace(/\s+/g, '');
    for (const term of ['Zoë Ødegård', 'Senior Platform Engineer', 'Senior (level 5)', '175,000 EUR per year', '3 February 2031', '20,000 EUR', '2,000 restricted stock units over four years', 'Relocation to Dublin is paid', `/account/offers/${offerId}`]) {
      expect(squeezed, term).toContain(term.replace(/\s+/g, ''));
    }

    // Accepting needs the box ticked; then the application is hired and the job, at its last seat, closes as filled.
    const unticked = await browser.post(`/account/offers/${offerId}/accept`, {});
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('href="#confirm"');
    expect((await offerOf(zoe.applicationId)).status).toBe('extended');
    const accepted = await browser.post(`/account/offers/${offerId}/accept`, { confirm: 'yes' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/account/offers/${offerId}?notice=accepted`);
    expect((await offerOf(zoe.applicationId)).status).toBe('accepted');
    const [application] = await db().select().from(applications).where(eq(applications.id, zoe.applicationId));
    expect(application!.stage).toBe('hired');
    const moves = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, zoe.applicationId)).orderBy(asc(applicationEvents.id));
    expect(moves.at(-1)).toMatchObject({ kind: 'moved', fromStage: 'offer', toStage: 'hired', actorType: 'candidate', actorId: zoe.personId });
    const job = await jobRow(cast.jobId);
    expect([job.headcount, job.status]).toEqual([0, 'closed_filled']);
    expect((await db().select().from(jobEvents).where(eq(jobEvents.jobId, cast.jobId))).map((e) => [e.action, e.fromStatus, e.toStatus])).toContainEqual(['closed_filled', 'open', 'closed_filled']);
    expect((await auditOf('job', cast.jobId)).map((e) => [e.action, e.before, (e.after as { status: string }).status])).toContainEqual(['job.closed_filled', { status: 'open' }, 'closed_filled']);
    expect((await auditOf('application', zoe.applicationId)).map((e) => [e.action, e.actorType, e.before, e.after])).toContainEqual(['application.moved', 'candidate', { stage: 'offer' }, { stage: 'hired' }]);
    expect((await auditOf('offer', offerId)).map((e) => e.action)).toEqual([
      'offer.created',
      'offer.submitted',
      'offer.rejected',
      'offer.updated',
      'offer.submitted',
      'offer.approved',
      'offer.approved',
      'offer.extended',
      'offer.accepted',
    ]);
    expect((await auditOf('offer', offerId)).find((e) => e.action === 'offer.accepted')).toMatchObject({ before: { status: 'extended', headcount: 1 }, after: { status: 'accepted', headcount: 0, jobClosedAsFilled: true } });

    // The hiring team hears of it; the public job page is gone and the job has left search.
    expect(t.mail.last(cast.manager.email, 'offer_accepted').text).toContain('closed as filled');
    expect(t.mail.last(cast.recruiter.email, 'offer_accepted').subject).toContain('Zoë Ødegård');
    expect(await notificationsOf(cast.manager.id)).toContain('offer_accepted');
    expect(t.mail.to(cast.interviewer.email)).toEqual([]);
    expect((await t.app.inject({ url: `/jobs/${cast.jobId}/${job.slug}`, headers: { accept: 'text/html' } })).statusCode).toBe(410);
    expect((await t.app.inject({ url: `/jobs?q=${encodeURIComponent('Walk Platform Engineer')}`, headers: { accept: 'text/html' } })).body).not.toContain(`/jobs/${cast.jobId}/`);

    // The candidate's account says so, and the offer can no longer be answered.
    const account = await browser.get('/account');
    expect(account.body).toContain('Status: <strong>Hired</strong>');
    const after = await browser.get(`/account/offers/${offerId}`);
    expect(pageText(after.body)).toContain('You accepted this offer');
    expect(after.body).not.toContain('/decline"');
    expect((await browser.post(`/account/offers/${offerId}/decline`, {})).statusCode).toBe(409);
  });

  it('lowers the headcount but keeps the job open while seats remain, and approves at once with no chain', async () => {
    const cast = await offerCast(db(), 'Seats', { team: 'legal', headcount: 2 });
    const sam = await addCandidate(db(), { jobId: cast.jobId, name: 'Sam Seats' });
    const { recruiter, offerId } = await draftAndSubmit(cast, sam.applicationId);
    expect((await offerOf(sam.applicationId)).status).toBe('approved');
    expect((await db().select().from(offerApprovals).where(eq(offerApprovals.offerId, offerId)))).toEqual([]);
    expect((await extend(recruiter, sam.applicationId, offerId)).statusCode).toBe(303);
    const browser = await candidateClient(t.app, db(), sam.personId);
    await browser.get(`/account/offers/${offerId}`);
    expect((await browser.post(`/account/offers/${offerId}/accept`, { confirm: 'yes' })).statusCode).toBe(303);
    const job = await jobRow(cast.jobId);
    expect([job.headcount, job.status]).toEqual([1, 'open']);
    expect((await db().select().from(jobEvents).where(eq(jobEvents.jobId, cast.jobId))).map((e) => e.action)).not.toContain('closed_filled');
    expect((await t.app.inject({ url: `/jobs/${cast.jobId}/${job.slug}`, headers: { accept: 'text/html' } })).statusCode).toBe(200);
    expect(t.mail.last(cast.manager.email, 'offer_accepted').text).toContain('one lower');
  });

  it('follows a job’s own chain over its team’s', async () => {
    const cast = await offerCast(db(), 'Own', { team: 'legal' });
    const teamApprover = await createStaff(db(), { role: 'hiring_manager', name: 'Own Team Approver' });
    const jobApprover = await createStaff(db(), { role: 'hiring_manager', name: 'Own Job Approver' });
    expect((await setChain('team', 'legal', [teamApprover.id])).statusCode).toBe(303);
    expect((await setChain('job', String(cast.jobId), [jobApprover.id], 'job')).statusCode).toBe(303);
    const chains = await adminClient.get('/staff/offers/approval-chains');
    expect(pageText(chains.body)).toContain('Own Platform Engineer');
    const olga = await addCandidate(db(), { jobId: cast.jobId, name: 'Olga Own' });
    const { offerId } = await draftAndSubmit(cast, olga.applicationId);
    expect((await db().select().from(offerApprovals).where(eq(offerApprovals.offerId, offerId))).map((a) => a.approverId)).toEqual([jobApprover.id]);
    // Clearing the team's chain is audited too; a chain naming someone twice is refused.
    expect((await setChain('team', 'legal', [])).statusCode).toBe(303);
    expect(await db().select().from(offerApprovalChains).where(eq(offerApprovalChains.scopeKey, 'legal'))).toEqual([]);
    expect((await auditOf('offer_approval_chain', 'team:legal')).map((e) => e.action)).toEqual(['offer_chain.updated', 'offer_chain.removed']);
    const twice = await setChain('team', 'legal', [teamApprover.id, teamApprover.id]);
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('href="#chain-team-legal"');
    const missingJob = await setChain('job', '999999', [teamApprover.id], 'job');
    expect(missingJob.statusCode).toBe(400);
    expect(missingJob.body).toContain('href="#job"');
  });

  it('records a decline with its reason and tells the hiring team', async () => {
    const cast = await offerCast(db(), 'Decline', { team: 'legal' });
    const dan = await addCandidate(db(), { jobId: cast.jobId, name: 'Dan Decline' });
    const { recruiter, offerId } = await draftAndSubmit(cast, dan.applicationId);
    await extend(recruiter, dan.applicationId, offerId);
    const browser = await candidateClient(t.app, db(), dan.personId);
    await browser.get(`/account/offers/${offerId}`);
    const res = await browser.post(`/account/offers/${offerId}/decline`, { reason: 'I took another offer closer to home.' });
    expect(res.statusCode).toBe(303);
    const offer = await offerOf(dan.applicationId);
    expect([offer.status, offer.reason]).toEqual(['declined', 'I took another offer closer to home.']);
    expect(offer.answeredAt).not.toBeNull();
    expect((await db().select().from(applications).where(eq(applications.id, dan.applicationId)))[0]!.stage).toBe('offer');
    expect((await jobRow(cast.jobId)).headcount).toBe(1);
    expect((await auditOf('offer', offerId)).at(-1)).toMatchObject({ action: 'offer.declined', actorType: 'candidate', before: { status: 'extended' }, after: { status: 'declined', reason: 'I took another offer closer to home.' } });
    expect(t.mail.last(cast.recruiter.email, 'offer_declined').text).not.toContain('closer to home');
    const staffPage = await recruiter.get(offerUrl(dan.applicationId));
    expect(pageText(staffPage.body)).toContain('The candidate’s reason: I took another offer closer to home.');
    // A declined offer makes room for a new draft.
    expect(pageText(staffPage.body)).toContain('Draft a new offer');
    const page = await browser.get(`/account/offers/${offerId}`);
    expect(pageText(page.body)).toContain('You declined this offer');
    expect((await browser.get(`/account/offers/${offerId}/letter.pdf`)).statusCode).toBe(404);
  });

  it('rescinds an extended offer with a reason the candidate is not shown', async () => {
    const cast = await offerCast(db(), 'Rescind', { team: 'legal' });
    const rae = await addCandidate(db(), { jobId: cast.jobId, name: 'Rae Rescind' });
    const { recruiter, offerId } = await draftAndSubmit(cast, rae.applicationId);
    await extend(recruiter, rae.applicationId, offerId);
    await recruiter.get(offerUrl(rae.applicationId));
    const noReason = await recruiter.post(`${offerUrl(rae.applicationId)}/rescind`, { offer: String(offerId), reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    expect((await recruiter.post(`${offerUrl(rae.applicationId)}/rescind`, { offer: String(offerId), reason: 'The role was frozen by finance.' })).statusCode).toBe(303);
    expect((await offerOf(rae.applicationId)).status).toBe('rescinded');
    expect((await auditOf('offer', offerId)).at(-1)).toMatchObject({ action: 'offer.rescinded', before: { status: 'extended' }, after: { status: 'rescinded', reason: 'The role was frozen by finance.' } });
    const mail = t.mail.last(rae.email, 'offer_rescinded');
    expect(mail.text).not.toContain('finance');
    const browser = await candidateClient(t.app, db(), rae.personId);
    await browser.get('/account');
    const page = await browser.get(`/account/offers/${offerId}`);
    expect(pageText(page.body)).toContain('Withdrawn by us');
    expect(page.body).not.toContain('finance');
    expect((await browser.post(`/account/offers/${offerId}/accept`, { confirm: 'yes' })).statusCode).toBe(409);
    expect((await browser.get(`/account/offers/${offerId}/letter.pdf`)).statusCode).toBe(404);
  });

  it('never shows a draft or an offer waiting for approval to the candidate', async () => {
    const cast = await offerCast(db(), 'Hidden', { team: 'legal' });
    const approver = await createStaff(db(), { role: 'hiring_manager', name: 'Hidden Approver' });
    expect((await setChain('job', String(cast.jobId), [approver.id], 'job')).statusCode).toBe(303);
    const hal = await addCandidate(db(), { jobId: cast.jobId, name: 'Hal Hidden' });
    const browser = await candidateClient(t.app, db(), hal.personId);
    await browser.get('/account');
    expect(browser.csrf).not.toBe('');
    const recruiter = await staffClient(t.app, db(), cast.recruiter.id);
    await recruiter.get(offerUrl(hal.applicationId));
    await recruiter.post(offerUrl(hal.applicationId), { offer: '', ...termsFields() });
    const draft = await offerOf(hal.applicationId);
    for (const status of ['draft', 'pending_approval', 'approved'] as const) {
      await db().update(offers).set({ status }).where(eq(offers.id, draft.id));
      expect(pageText((await browser.get('/account/offers')).body)).toContain('You have no offers yet');
      expect((await browser.get(`/account/offers/${draft.id}`)).statusCode).toBe(404);
      expect((await browser.get(`/account/offers/${draft.id}/letter.pdf`)).statusCode).toBe(404);
      expect((await browser.post(`/account/offers/${draft.id}/accept`, { confirm: 'yes' })).statusCode).toBe(404);
    }
    // Staff may preview the letter before it is extended: marked as a draft.
    const preview = await recruiter.get(`${offerUrl(hal.applicationId)}/letter.pdf`);
    expect(preview.statusCode).toBe(200);
    expect((await pdfText(preview.rawPayload)).text.replace(/\s+/g, '')).toContain('Draftforreview');
  });

  it('never shows the candidate an offer rescinded before it was extended to them', async () => {
    const cast = await offerCast(db(), 'Unsent', { team: 'legal' });
    const uma = await addCandidate(db(), { jobId: cast.jobId, name: 'Uma Unsent' });
    const { recruiter, offerId } = await draftAndSubmit(cast, uma.applicationId, termsFields({ basePay: '171,717' }));
    expect((await offerOf(uma.applicationId)).status).toBe('approved');
    await recruiter.get(offerUrl(uma.applicationId));
    expect((await recruiter.post(`${offerUrl(uma.applicationId)}/rescind`, { offer: String(offerId), reason: 'Budget moved to another team.' })).statusCode).toBe(303);
    expect((await offerOf(uma.applicationId)).status).toBe('rescinded');
    const browser = await candidateClient(t.app, db(), uma.personId);
    const account = await browser.get('/account');
    expect(account.body).not.toContain(`/account/offers/${offerId}`);
    const list = await browser.get('/account/offers');
    expect(pageText(list.body)).toContain('You have no offers yet');
    expect(list.body).not.toContain('171,717');
    expect((await browser.get(`/account/offers/${offerId}`)).statusCode).toBe(404);
    expect((await browser.get(`/account/offers/${offerId}/letter.pdf`)).statusCode).toBe(404);
    expect((await browser.post(`/account/offers/${offerId}/decline`, { reason: 'x' })).statusCode).toBe(404);
    expect(t.mail.to(uma.email)).toEqual([]);
  });

  it('keeps the candidate’s name off the offer page while anonymized screening hides it', async () => {
    const cast = await offerCast(db(), 'Blind', { team: 'legal' });
    await db().update(jobs).set({ anonymizedScreening: true }).where(eq(jobs.id, cast.jobId));
    const bea = await addCandidate(db(), { jobId: cast.jobId, name: 'Beatrix Blindspot', stage: 'screen' });
    const recruiter = await staffClient(t.app, db(), cast.recruiter.id);
    const page = await recruiter.get(offerUrl(bea.applicationId));
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Beatrix');
    expect(page.body).not.toContain('Blindspot');
    expect(pageText(page.body)).toContain(`Candidate #${bea.applicationId}`);
    // Past screening the name shows again.
    await db().update(applications).set({ stage: 'offer' }).where(eq(applications.id, bea.applicationId));
    expect((await recruiter.get(offerUrl(bea.applicationId))).body).toContain('Beatrix Blindspot');
  });

  it('shows a candidate nothing of another candidate’s offer, and lets them answer none of it', async () => {
    const cast = await offerCast(db(), 'Other', { team: 'legal' });
    const owner = await addCandidate(db(), { jobId: cast.jobId, name: 'Oona Owner' });
    const other = await addCandidate(db(), { jobId: cast.jobId, name: 'Nils Nosy', stage: 'screen' });
    const { recruiter, offerId } = await draftAndSubmit(cast, owner.applicationId);
    await extend(recruiter, owner.applicationId, offerId);
    const nosy = await candidateClient(t.app, db(), other.personId);
    await nosy.get('/account');
    expect((await nosy.get('/account/offers')).body).not.toContain(`/account/offers/${offerId}`);
    expect((await nosy.get(`/account/offers/${offerId}`)).statusCode).toBe(404);
    expect((await nosy.get(`/account/offers/${offerId}/letter.pdf`)).statusCode).toBe(404);
    expect((await nosy.post(`/account/offers/${offerId}/accept`, { confirm: 'yes' })).statusCode).toBe(404);
    expect((await nosy.post(`/account/offers/${offerId}/decline`, { reason: 'x' })).statusCode).toBe(404);
    expect((await offerOf(owner.applicationId)).status).toBe('extended');
    // The owner with an unconfirmed address sees nothing either.
    const unconfirmed = await addCandidate(db(), { jobId: cast.jobId, name: 'Una Unconfirmed' });
    const offerless = await candidateClient(t.app, db(), unconfirmed.personId, { verified: false });
    expect((await offerless.get(`/account/offers/${offerId}`)).statusCode).toBe(404);
    // Signed out: sign in first; a POST without the CSRF token is refused.
    expect((await t.app.inject({ url: `/account/offers/${offerId}` })).headers.location).toBe('/account/sign-in');
    const ownerBrowser = await candidateClient(t.app, db(), owner.personId);
    expect((await ownerBrowser.post(`/account/offers/${offerId}/accept`, { confirm: 'yes', _csrf: null })).statusCode).toBe(403);
    expect((await offerOf(owner.applicationId)).status).toBe('extended');
  });

  it('refuses offer pages to staff without offer.manage (403), and lets only the hiring team manage', async () => {
    const cast = await offerCast(db(), 'Policy', { team: 'legal' });
    const pia = await addCandidate(db(), { jobId: cast.jobId, name: 'Pia Policy' });
    const strangerRecruiter = await createStaff(db(), { role: 'recruiter', name: 'Policy Stranger' });
    for (const userId of [cast.interviewer.id, strangerRecruiter.id]) {
      const client = await staffClient(t.app, db(), userId);
      await client.get('/staff');
      expect((await client.get(offerUrl(pia.applicationId))).statusCode).toBe(403);
      expect((await client.get(`${offerUrl(pia.applicationId)}/letter.pdf`)).statusCode).toBe(403);
      for (const action of ['', '/submit', '/extend', '/rescind']) {
        expect((await client.post(`${offerUrl(pia.applicationId)}${action}`, { offer: '', ...termsFields(), expiresOn: inDays(5), reason: 'x' })).statusCode, action).toBe(403);
      }
      expect((await client.get('/staff/offers/approval-chains')).statusCode).toBe(403);
    }
    expect(await db().select().from(offers).where(eq(offers.applicationId, pia.applicationId))).toEqual([]);
    // The hiring manager may; an offer waits for the offer stage.
    const early = await addCandidate(db(), { jobId: cast.jobId, name: 'Eli Early', stage: 'onsite_loop' });
    const manager = await staffClient(t.app, db(), cast.manager.id);
    const page = await manager.get(offerUrl(early.applicationId));
    expect(pageText(page.body)).toContain('once the application reaches the offer stage');
    expect((await manager.post(offerUrl(early.applicationId), { offer: '', ...termsFields() })).statusCode).toBe(409);
    expect((await manager.post(offerUrl(pia.applicationId), { offer: '', ...termsFields() })).statusCode).toBe(303);
    // A stale form (the offer changed meanwhile) is refused, not applied.
    expect((await manager.post(offerUrl(pia.applicationId), { offer: '', ...termsFields() })).statusCode).toBe(409);
    expect((await manager.post(`${offerUrl(pia.applicationId)}/submit`, { offer: '12345678' })).statusCode).toBe(409);
    expect((await manager.post(`/staff/offers/abc/approve`)).statusCode).toBe(404);
    expect((await manager.post(`/staff/offers/99999999/approve`)).statusCode).toBe(404);
  });
});
