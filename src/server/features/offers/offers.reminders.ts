import { EXPIRY_REMINDER_MS, offerStep } from '../../../domain/offer.ts';
import type { Db } from '../../db/client.ts';
import { sweepWorkOptions, type Queue, type SweepPolling } from '../../queue.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import { offerExpiringMail, offerOutcomeMail } from './offers.emails.ts';
import {
  claimExpiringOffers,
  findLapsedOfferIds,
  findOfferContext,
  findOfferOwners,
  insertAudit,
  insertNotifications,
  lockOffer,
  updateOffer,
} from './offers.repository.ts';
import { candidateOfferPath } from './offers.service.ts';

/** The queue of the hourly offer sweep (expire, then remind), and its schedule (five past every hour, UTC). */
export const OFFER_SWEEP_QUEUE = 'offers.expiry';
export const OFFER_SWEEP_CRON = '5 * * * *';
/** Offers one sweep expires at most; the next sweep takes the rest. */
const EXPIRE_BATCH = 500;

export interface OfferReminderDeps {
  db: Db;
  mail: Mail;
  publicUrl: string;
  /** The organization's name for the signature; "Day One" when not given. */
  organization?: string | (() => string);
}

const orgOf = (organization: OfferReminderDeps['organization']) => (typeof organization === 'function' ? organization() : organization) ?? 'Day One';

/**
 * Marks every extended offer whose expiry has passed at `now` as expired (offerStep 'expire'), each
 * in its own transaction with an audit event, and tells the job's hiring manager and recruiters (a
 * notification, then an email with a link when `publicUrl` is given).
 */
export async function expireOffers({
  db,
  mail,
  now,
  publicUrl = '',
  organization,
}: {
  db: Db;
  mail: Mail;
  now: Date;
  publicUrl?: string;
  organization?: OfferReminderDeps['organization'];
}): Promise<{ expired: number }> {
  const ids = await findLapsedOfferIds(db, now, EXPIRE_BATCH);
  let expired = 0;
  for (const id of ids) {
    const emails = await db.transaction(async (tx): Promise<OutgoingMail[]> => {
      const offer = await lockOffer(tx, id);
      if (!offer) return [];
      // Answered or rescinded since it was listed: offerStep refuses, nothing to do.
      const step = offerStep({ status: offer.status, action: 'expire', approvals: [], now, expiresAt: offer.expiresAt });
      if (!step.ok) return [];
      await updateOffer(tx, id, { status: step.to });
      await insertAudit(tx, { actor: { type: 'system' }, action: 'offer.expired', subjectType: 'offer', subjectId: id, before: { status: offer.status }, after: { status: step.to } });
      const context = (await findOfferContext(tx, offer.applicationId))!;
      const owners = await findOfferOwners(tx, context.job.id);
      const candidate = context.person.anonymizedAt ? 'A former candidate' : context.person.name || 'The candidate';
      const href = `/staff/applications/${offer.applicationId}/offer`;
      await insertNotifications(tx, owners.map((o) => ({ userId: o.id, kind: 'offer_expired', text: `The offer for ${offer.title} to ${candidate} expired without an answer.`, href })));
      expired += 1;
      return owners.map((o) =>
        offerOutcomeMail({ to: o.email, outcome: 'expired', candidate, title: offer.title, closedAsFilled: false, url: `${publicUrl}${href}`, organization: orgOf(organization) }),
      );
    });
    for (const message of emails) await mail.send(message);
  }
  return { expired };
}

/**
 * Emails each candidate whose extended offer expires in less than 48 hours, once per offer
 * (expiry_reminder_sent_at, claimed in one statement so two nodes never both send it).
 */
export async function remindExpiringOffers({ db, mail, publicUrl, organization, now }: OfferReminderDeps & { now: Date }): Promise<{ reminded: number }> {
  const due = await claimExpiringOffers(db, { now, windowMs: EXPIRY_REMINDER_MS });
  let reminded = 0;
  for (const row of due) {
    if (row.anonymized || !row.offer.expiresAt) continue;
    await mail.send(
      offerExpiringMail({
        to: row.candidateEmail,
        name: row.candidateName,
        title: row.offer.title,
        expiresAt: row.offer.expiresAt,
        url: `${publicUrl}${candidateOfferPath(row.offer.id)}`,
        organization: orgOf(organization),
      }),
    );
    reminded += 1;
  }
  return { reminded };
}

/**
 * Schedules the offer sweep hourly on pg-boss and works it on this node: expired offers are
 * marked, then reminders go out. Answers a function that stops this node's worker.
 */
export async function registerOfferReminders(queue: Queue, deps: OfferReminderDeps & SweepPolling): Promise<() => Promise<void>> {
  await queue.createQueue(OFFER_SWEEP_QUEUE);
  await queue.schedule(OFFER_SWEEP_QUEUE, OFFER_SWEEP_CRON, null, { tz: 'UTC' });
  await queue.work(OFFER_SWEEP_QUEUE, sweepWorkOptions(deps), async () => {
    const now = new Date();
    await expireOffers({ ...deps, now });
    await remindExpiringOffers({ ...deps, now });
  });
  return async () => {
    await queue.offWork(OFFER_SWEEP_QUEUE);
  };
}
