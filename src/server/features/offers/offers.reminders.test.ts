import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, offers, staffNotifications } from '../../db/schema/index.ts';
import { startQueue } from '../../queue.ts';
import { parseTerms, readTermsValues } from './offers.form.ts';
import { expireOffers, OFFER_SWEEP_CRON, OFFER_SWEEP_QUEUE, registerOfferReminders, remindExpiringOffers } from './offers.reminders.ts';
import { extendOffer, saveOfferTerms, submitOffer } from './offers.service.ts';
import { addCandidate, candidateClient, offerCast, offersApp, pageText, termsFields } from './offers.test-support.ts';

type T = Awaited<ReturnType<typeof offersApp>>;
let t: T;
beforeAll(async () => {
  t = await offersApp();
});
afterAll(() => t.close());

const db = () => t.database.db;
const HOUR = 3600 * 1000;
const site = () => ({ publicUrl: t.config.publicUrl, organization: 'Day One' });

/** An offer extended to a new candidate (no approval chain), its expiry then set to `expiresAt`. */
async function extendedOffer(label: string, expiresAt: Date) {
  const cast = await offerCast(db(), label, { team: 'legal' });
  const candidate = await addCandidate(db(), { jobId: cast.jobId, name: `${label} Candidate` });
  const by = { id: cast.recruiter.id, name: cast.recruiter.name, role: 'recruiter' as const };
  const { terms } = parseTerms(readTermsValues(termsFields()), new Date());
  const { offerId } = await saveOfferTerms({ db: db(), applicationId: candidate.applicationId, offerId: null, terms: terms!, by });
  await submitOffer({ db: db(), mail: t.mail, applicationId: candidate.applicationId, offerId, by, site: site() });
  await extendOffer({ db: db(), mail: t.mail, applicationId: candidate.applicationId, offerId, expiresOn: new Date(Date.now() + 5 * 24 * HOUR).toISOString().slice(0, 10), by, site: site() });
  await db().update(offers).set({ expiresAt }).where(eq(offers.id, offerId));
  return { cast, candidate, offerId };
}

const statusOf = async (offerId: number) => (await db().select({ status: offers.status }).from(offers).where(eq(offers.id, offerId)))[0]!.status;
const expiring = (email: string) => t.mail.to(email).filter((m) => m.kind === 'offer_expiring');

describe(`offer expiry on ${testEngine}`, () => {
  it('reminds the candidate once, when less than 48 hours remain, and never after an answer', async () => {
    const expiresAt = new Date('2040-03-10T23:59:59Z');
    const { candidate, offerId } = await extendedOffer('Remind', expiresAt);
    const answered = await extendedOffer('Answered', expiresAt);
    await db().update(offers).set({ status: 'declined' }).where(eq(offers.id, answered.offerId));

    expect(await remindExpiringOffers({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now: new Date(expiresAt.getTime() - 72 * HOUR) })).toEqual({ reminded: 0 });
    expect(await remindExpiringOffers({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now: new Date(expiresAt.getTime() - 47 * HOUR) })).toEqual({ reminded: 1 });
    expect(await remindExpiringOffers({ db: db(), mail: t.mail, publicUrl: t.config.publicUrl, now: new Date(expiresAt.getTime() - 46 * HOUR) })).toEqual({ reminded: 0 });
    const [reminder, ...more] = expiring(candidate.email);
    expect(more).toEqual([]);
    expect(reminder!.subject).toBe('Your offer for Senior Platform Engineer expires soon');
    expect(reminder!.text).toContain('10 March 2040');
    expect(reminder!.text).toContain(`https://careers.example.test/account/offers/${offerId}`);
    expect(reminder!.text).not.toContain('185');
    expect(expiring(answered.candidate.email)).toEqual([]);
    expect((await db().select().from(offers).where(eq(offers.id, offerId)))[0]!.expiryReminderSentAt).toEqual(new Date(expiresAt.getTime() - 47 * HOUR));
  });

  it('expires an offer once its day is over: the candidate can no longer answer, and the hiring team hears of it', async () => {
    const expiresAt = new Date('2040-04-01T23:59:59Z');
    const { cast, candidate, offerId } = await extendedOffer('Expire', expiresAt);
    const browser = await candidateClient(t.app, db(), candidate.personId);
    const open = await browser.get(`/account/offers/${offerId}`);
    expect(pageText(open.body)).toContain('Accept the offer');

    // The sweep takes every lapsed offer there is (earlier tests' too); this one only once its day is over.
    await expireOffers({ db: db(), mail: t.mail, now: new Date(expiresAt.getTime() - HOUR) });
    expect(await statusOf(offerId)).toBe('extended');
    expect((await expireOffers({ db: db(), mail: t.mail, now: new Date(expiresAt.getTime() + 1000), publicUrl: t.config.publicUrl })).expired).toBeGreaterThanOrEqual(1);
    expect(await expireOffers({ db: db(), mail: t.mail, now: new Date(expiresAt.getTime() + 2000) })).toEqual({ expired: 0 });
    expect(await statusOf(offerId)).toBe('expired');
    const audit = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'offer'), eq(auditEvents.subjectId, String(offerId))))
      .orderBy(asc(auditEvents.id));
    expect(audit.at(-1)).toMatchObject({ action: 'offer.expired', actorType: 'system', before: { status: 'extended' }, after: { status: 'expired' } });
    expect(t.mail.last(cast.recruiter.email, 'offer_expired').text).toContain(`https://careers.example.test/staff/applications/${candidate.applicationId}/offer`);
    expect((await db().select().from(staffNotifications).where(eq(staffNotifications.userId, cast.manager.id))).map((n) => n.kind)).toContain('offer_expired');

    const page = await browser.get(`/account/offers/${offerId}`);
    expect(pageText(page.body)).toContain('Expired');
    expect(pageText(page.body)).not.toContain('Accept the offer');
    expect((await browser.post(`/account/offers/${offerId}/accept`, { confirm: 'yes' })).statusCode).toBe(409);
  });

  it('refuses an answer after the expiry even before the sweep marked it, with a 409 page that says why', async () => {
    const { candidate, offerId } = await extendedOffer('Lapsed', new Date(Date.now() + HOUR));
    const browser = await candidateClient(t.app, db(), candidate.personId);
    await browser.get(`/account/offers/${offerId}`);
    await db().update(offers).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(offers.id, offerId));
    const res = await browser.post(`/account/offers/${offerId}/accept`, { confirm: 'yes' });
    expect(res.statusCode).toBe(409);
    expect(pageText(res.body)).toContain('This offer has expired');
    expect(await statusOf(offerId)).toBe('extended');
  });

  it('runs the sweep hourly on the job queue: expiring, then reminding', async () => {
    const queue = await startQueue(t.database);
    try {
      const lapsed = await extendedOffer('QueueLapsed', new Date(Date.now() - HOUR));
      const soon = await extendedOffer('QueueSoon', new Date(Date.now() + 24 * HOUR));
      const stop = await registerOfferReminders(queue, { db: db(), mail: t.mail, publicUrl: t.config.publicUrl, pollSeconds: 1 });
      const schedules = await queue.getSchedules();
      expect(schedules.filter((s) => s.name === OFFER_SWEEP_QUEUE).map((s) => [s.cron, s.timezone])).toEqual([[OFFER_SWEEP_CRON, 'UTC']]);
      expect(OFFER_SWEEP_CRON).toBe('5 * * * *');
      await queue.send(OFFER_SWEEP_QUEUE, {});
      await expect.poll(() => expiring(soon.candidate.email).length, { timeout: 15_000, interval: 200 }).toBe(1);
      await expect.poll(() => statusOf(lapsed.offerId), { timeout: 15_000, interval: 200 }).toBe('expired');
      await stop();
    } finally {
      await queue.stop({ graceful: false });
    }
  }, 30_000);
});
