import { transition } from '../../../domain/job-lifecycle.ts';
import {
  approvalChainFor,
  candidateLetterAvailable,
  candidateSeesOffer,
  CANDIDATE_VISIBLE_STATUSES,
  expiryOfDay,
  headcountAfterAccept,
  isFinal,
  offerStep,
  termsEditable,
  type OfferStatus,
} from '../../../domain/offer.ts';
import { can, identityHidden, type StaffRole, type TeamRole } from '../../../domain/policy.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { adjustTitleWords } from '../jobs/jobs.bulk.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import { setJobStatus } from '../staff-jobs/staff-jobs.repository.ts';
import { renderOfferLetter, letterFilename } from './offer-letter.ts';
import {
  approvalRejectedMail,
  approvalWaitingMail,
  offerExtendedMail,
  offerOutcomeMail,
  offerRescindedMail,
} from './offers.emails.ts';
import type { ApprovalItemView, ChainsView, OfferView, StaffOfferView } from '../../../web/staff/offers.tsx';
import { isDay } from './offers.form.ts';
import {
  deleteChain,
  findChainsForJob,
  findJobTitles,
  findOfferContext,
  findOfferOwners,
  findOfferWithPerson,
  findStaffByIds,
  insertAudit,
  insertNotifications,
  insertOffer,
  insertSystemJobEvent,
  listApprovals,
  listChains,
  listEnabledStaff,
  listOffersAwaiting,
  listOffersOfApplication,
  listOffersOfPerson,
  lockApplication,
  lockChain,
  lockJobSeats,
  lockLatestOffer,
  lockOffer,
  markHired,
  putChain,
  replaceApprovals,
  setApproval,
  setHeadcount,
  updateOffer,
  type ChainScope,
  type OfferContext,
  type OfferRow,
  type OfferTerms,
  type StaffPerson,
} from './offers.repository.ts';

export type { ChainsView, OfferView, StaffOfferView };

/** The member of staff acting. */
export interface By {
  id: number;
  name: string;
  role: StaffRole;
}

/** What emails need to name the organization and link back. */
export interface Site {
  publicUrl: string;
  organization: string;
}

/** The most approvers one chain holds (the form offers this many places). */
export const CHAIN_MAX = 6;

const staffOfferPath = (applicationId: number) => `/staff/applications/${applicationId}/offer`;
export const candidateOfferPath = (offerId: number) => `/account/offers/${offerId}`;
const approvalsPath = (offerId: number) => `/staff/offers#offer-${offerId}`;

const termsOf = (o: OfferRow): OfferTerms => ({
  title: o.title,
  level: o.level,
  basePay: o.basePay,
  currency: o.currency,
  payUnit: o.payUnit,
  startDate: o.startDate,
  signOnBonus: o.signOnBonus,
  equity: o.equity,
  notes: o.notes,
});

/** The candidate's name as staff and letters show it. */
const nameOf = (person: { name: string; anonymizedAt?: Date | null }) => (person.anonymizedAt ? 'A former candidate' : person.name || 'The candidate');

/** The candidate as staff see them: "Candidate #id" while anonymized screening hides who it is, as on the application page. */
const staffNameOf = (context: Pick<OfferContext, 'id' | 'stage' | 'person'> & { job: { anonymizedScreening: boolean } }) =>
  identityHidden(context.job, context.stage) ? `Candidate #${context.id}` : nameOf(context.person);

/** A refusal of offerStep as the error the handler maps: a missing reason is bad input, anything else a conflict. */
function refused(step: { code: string; message: string }, field: string): AppError {
  if (step.code === 'reason_required' || step.code === 'expiry_required') return new ValidationError(step.message, [{ field, message: step.message }]);
  if (step.code === 'not_your_turn') return new AppError(403, 'not_your_turn', step.message);
  return new ConflictError(step.message);
}

/** The form named an offer that is no longer the application's current one (someone changed it meanwhile). */
const stale = () => new ConflictError('This offer changed while you were looking at it. Open the page again to see it as it is now.');

// ─────────────────────────────────────────────────────────────────────────────
// Approval chains
// ─────────────────────────────────────────────────────────────────────────────

/** Every team of the content pack with its chain (maybe empty), and every job that has a chain of its own. */
export async function showApprovalChains({ db, teams }: { db: Db; teams: ReadonlyArray<{ slug: string; name: string }> }): Promise<ChainsView> {
  const [chains, staff] = await Promise.all([listChains(db), listEnabledStaff(db)]);
  const people = new Map((await findStaffByIds(db, chains.flatMap((c) => c.approverIds))).map((p) => [p.id, p]));
  const approvers = (ids: number[]) => ids.map((id) => ({ id, name: people.get(id)?.name ?? `Unknown user #${id}`, disabled: people.get(id)?.disabled ?? true }));
  const jobChains = chains.filter((c) => c.scope === 'job');
  const titles = await findJobTitles(db, jobChains.map((c) => Number(c.scopeKey)).filter(Number.isInteger));
  return {
    teams: teams.map((t) => ({ scope: 'team', key: t.slug, label: t.name, approvers: approvers(chains.find((c) => c.scope === 'team' && c.scopeKey === t.slug)?.approverIds ?? []) })),
    jobs: jobChains.map((c) => {
      const job = titles.get(Number(c.scopeKey));
      return { scope: 'job', key: c.scopeKey, label: job ? `${job.title} (${job.requisitionId}, job ${c.scopeKey})` : `Job ${c.scopeKey} (deleted)`, approvers: approvers(c.approverIds) };
    }),
    staff,
  };
}

/**
 * Sets the ordered approvers of a team or a job (an empty list removes the chain: a job then
 * follows its team, a team needs no approval). Approvers must be enabled staff, each once. One
 * transaction with an audit event of the change (none when nothing changed).
 */
export async function saveApprovalChain({
  db,
  scope,
  key,
  approverIds,
  teams,
  by,
}: {
  db: Db;
  scope: ChainScope;
  key: string;
  approverIds: number[];
  teams: ReadonlyArray<{ slug: string }>;
  by: By;
}): Promise<{ changed: boolean }> {
  const field = `chain-${scope}-${key}`;
  if (scope === 'team' && !teams.some((t) => t.slug === key)) throw new ValidationError('Choose a team of the content pack', [{ field: '', message: 'Choose a team of the content pack' }]);
  if (scope === 'job') {
    const id = /^\d{1,9}$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(id) || !(await findJobTitles(db, [id])).has(id)) throw new ValidationError('Enter the id of an existing job', [{ field: 'job', message: 'Enter the id of an existing job' }]);
  }
  if (approverIds.length > CHAIN_MAX) throw new ValidationError(`A chain holds at most ${CHAIN_MAX} approvers`, [{ field, message: `A chain holds at most ${CHAIN_MAX} approvers` }]);
  if (new Set(approverIds).size !== approverIds.length) throw new ValidationError('Name each approver once', [{ field, message: 'Name each approver once' }]);
  const known = new Map((await findStaffByIds(db, approverIds)).map((p) => [p.id, p]));
  if (approverIds.some((id) => !known.get(id) || known.get(id)!.disabled)) {
    throw new ValidationError('Choose approvers from the list of staff', [{ field, message: 'Choose approvers from the list of staff' }]);
  }
  return db.transaction(async (tx) => {
    const before = (await lockChain(tx, scope, key)) ?? [];
    if (before.length === approverIds.length && before.every((id, i) => id === approverIds[i])) return { changed: false };
    if (approverIds.length) await putChain(tx, scope, key, approverIds);
    else await deleteChain(tx, scope, key);
    await insertAudit(tx, {
      actor: { type: 'staff', id: by.id },
      action: approverIds.length ? 'offer_chain.updated' : 'offer_chain.removed',
      subjectType: 'offer_approval_chain',
      subjectId: `${scope}:${key}`,
      before: { approverIds: before },
      after: { approverIds },
    });
    return { changed: true };
  });
}

// ─────────────────────────────────────────────────────────────────────────────
// The staff page of an application's offer
// ─────────────────────────────────────────────────────────────────────────────

async function offerView(db: Db, offer: OfferRow, now: Date): Promise<OfferView> {
  return {
    id: offer.id,
    status: offer.status,
    terms: termsOf(offer),
    expiresAt: offer.expiresAt,
    extendedAt: offer.extendedAt,
    answeredAt: offer.answeredAt,
    reason: offer.reason,
    createdAt: offer.createdAt,
    approvals: await listApprovals(db, offer.id),
    lapsed: offer.status === 'extended' && offer.expiresAt !== null && offer.expiresAt.getTime() <= now.getTime(),
  };
}

async function chainOf(db: Db, context: OfferContext): Promise<{ source: 'job' | 'team' | 'none'; approvers: StaffPerson[] }> {
  const chains = await findChainsForJob(db, context.job.id, context.job.teamSlug);
  const people = new Map((await findStaffByIds(db, [...(chains.job ?? []), ...(chains.team ?? [])])).map((p) => [p.id, p]));
  const ids = approvalChainFor({ job: chains.job, team: chains.team, eligible: (id) => people.get(id)?.disabled === false });
  const source = ids.length === 0 ? 'none' : chains.job && chains.job.length > 0 ? 'job' : 'team';
  return { source, approvers: ids.map((id) => people.get(id)!) };
}

/** The offer page of an application: its current offer with approvals, earlier ones, and what a new draft starts from. */
export async function showStaffOffer({
  db,
  applicationId,
  viewer,
  teamRole,
  now = new Date(),
}: {
  db: Db;
  applicationId: number;
  viewer: { id: number; role: StaffRole };
  teamRole: TeamRole | null;
  now?: Date;
}): Promise<StaffOfferView> {
  const context = await findOfferContext(db, applicationId);
  if (!context) throw new NotFoundError('There is no such application.');
  const [offers, chain] = await Promise.all([listOffersOfApplication(db, applicationId), chainOf(db, context)]);
  const views = await Promise.all(offers.map((o) => offerView(db, o, now)));
  const current = views[0] ?? null;
  const manage = can(viewer, 'offer.manage', { teamRole });
  return {
    application: {
      id: context.id,
      stage: context.stage,
      candidate: staffNameOf(context),
      job: { id: context.job.id, title: context.job.title, teamName: context.job.teamName, headcount: context.job.headcount, status: context.job.status },
    },
    current,
    earlier: views.slice(1),
    chain: { source: chain.source, approvers: chain.approvers.map(({ id, name }) => ({ id, name })) },
    defaults: {
      title: context.job.title,
      level: String(context.decisionLevel ?? context.job.level),
      basePay: '',
      currency: context.job.payCurrency ?? 'USD',
      payUnit: context.job.payUnit ?? 'YEAR',
      startDate: '',
      signOnBonus: '',
      equity: '',
      notes: '',
    },
    may: { manage, draft: manage && context.stage === 'offer' && (current === null || isFinal(current.status)) },
  };
}

/**
 * Saves the terms: a new draft when the application (at the offer stage) has no offer in play,
 * else the current draft's terms. `offerId` is the offer the form showed (null for a new one), so
 * a form left open while someone else changed the offer is refused rather than applied to it.
 */
export async function saveOfferTerms({ db, applicationId, offerId, terms, by }: { db: Db; applicationId: number; offerId: number | null; terms: OfferTerms; by: By }): Promise<{ offerId: number; created: boolean }> {
  return db.transaction(async (tx) => {
    const application = await lockApplication(tx, applicationId);
    if (!application) throw new NotFoundError('There is no such application.');
    const latest = await lockLatestOffer(tx, applicationId);
    if (latest && !isFinal(latest.status)) {
      if (offerId !== latest.id) throw stale();
      if (!termsEditable(latest.status)) throw new ConflictError('The terms can change only while the offer is a draft.');
      await updateOffer(tx, latest.id, terms);
      await insertAudit(tx, { actor: { type: 'staff', id: by.id }, action: 'offer.updated', subjectType: 'offer', subjectId: latest.id, before: { status: latest.status, ...termsOf(latest) }, after: { status: latest.status, ...terms } });
      return { offerId: latest.id, created: false };
    }
    if (offerId !== null) throw stale();
    if (application.stage !== 'offer') throw new ConflictError('An offer can be drafted only while the application is at the offer stage.');
    const id = await insertOffer(tx, { ...terms, applicationId, createdBy: by.id });
    await insertAudit(tx, { actor: { type: 'staff', id: by.id }, action: 'offer.created', subjectType: 'offer', subjectId: id, before: { status: null }, after: { status: 'draft', applicationId, ...terms } });
    return { offerId: id, created: true };
  });
}

/** The current offer of an application, locked, checked to be the one the form showed. */
async function currentOffer(tx: Db, applicationId: number, offerId: number | null): Promise<{ offer: OfferRow; application: NonNullable<Awaited<ReturnType<typeof lockApplication>>> }> {
  const application = await lockApplication(tx, applicationId);
  if (!application) throw new NotFoundError('There is no such application.');
  const offer = await lockLatestOffer(tx, applicationId);
  if (!offer) throw new NotFoundError('This application has no offer.');
  if (offerId !== offer.id) throw stale();
  return { offer, application };
}

/**
 * Submits a draft: the approval chain that applies now (the job's, else its team's) is copied onto
 * the offer in order and the first approver is told (a notification and an email). With no chain
 * the offer is approved at once.
 */
export async function submitOffer({
  db,
  mail,
  applicationId,
  offerId,
  by,
  site,
  now = new Date(),
}: {
  db: Db;
  mail: Mail;
  applicationId: number;
  offerId: number | null;
  by: By;
  site: Site;
  now?: Date;
}): Promise<{ to: OfferStatus }> {
  const emails: OutgoingMail[] = [];
  const result = await db.transaction(async (tx) => {
    const { offer, application } = await currentOffer(tx, applicationId, offerId);
    if (application.stage !== 'offer') throw new ConflictError('An offer can be submitted only while the application is at the offer stage.');
    const context = (await findOfferContext(tx, applicationId))!;
    const chain = await chainOf(tx, context);
    const step = offerStep({ status: offer.status, action: 'submit', approvals: chain.approvers.map((a) => ({ approverId: a.id, status: 'pending' as const })), now, expiresAt: null });
    if (!step.ok) throw refused(step, '');
    await replaceApprovals(tx, offer.id, chain.approvers.map((a) => a.id));
    await updateOffer(tx, offer.id, { status: step.to });
    await insertAudit(tx, {
      actor: { type: 'staff', id: by.id },
      action: 'offer.submitted',
      subjectType: 'offer',
      subjectId: offer.id,
      before: { status: offer.status },
      after: { status: step.to, approverIds: chain.approvers.map((a) => a.id) },
    });
    const first = chain.approvers[0];
    if (step.to === 'pending_approval' && first) {
      emails.push(await tellApprover(tx, { approver: first, offer, context, submitter: by.name, site }));
    }
    return { to: step.to };
  });
  for (const message of emails) await mail.send(message);
  return result;
}

/** Notifies an approver that it is their turn (in the transaction) and answers the email to send after it. */
async function tellApprover(tx: Db, o: { approver: { id: number; name: string; email: string }; offer: OfferRow; context: OfferContext; submitter: string; site: Site }): Promise<OutgoingMail> {
  const candidate = staffNameOf(o.context);
  const href = approvalsPath(o.offer.id);
  await insertNotifications(tx, [{ userId: o.approver.id, kind: 'offer_approval_waiting', text: `${o.submitter} asks you to approve the offer for ${o.offer.title} to ${candidate}.`, href }]);
  return approvalWaitingMail({
    to: o.approver.email,
    approver: o.approver.name,
    candidate,
    title: o.offer.title,
    submitter: o.submitter,
    url: `${o.site.publicUrl}${href}`,
    organization: o.site.organization,
  });
}

/** Offers whose next approval is this user's, oldest first. */
export async function listOffersToApprove({ db, userId, now = new Date() }: { db: Db; userId: number; now?: Date }): Promise<ApprovalItemView[]> {
  const rows = await listOffersAwaiting(db, userId);
  return Promise.all(
    rows.map(async (r) => ({
      offer: await offerView(db, r.offer, now),
      applicationId: r.applicationId,
      candidate: identityHidden(r, r.stage) ? `Candidate #${r.applicationId}` : r.candidate || 'The candidate',
      job: { id: r.jobId, title: r.jobTitle, teamName: r.teamName },
      submittedBy: r.submittedBy,
    })),
  );
}

/**
 * An approver approves or rejects (a comment required) an offer waiting for them. Only the next
 * pending approver may (403 for anyone else). Approving hands the offer to the next approver, or
 * approves it after the last; rejecting sends it back to draft and tells whoever drafted it.
 */
export async function decideApproval({
  db,
  mail,
  offerId,
  decision,
  comment: rawComment,
  by,
  site,
  now = new Date(),
}: {
  db: Db;
  mail: Mail;
  offerId: number;
  decision: 'approve' | 'reject';
  comment: string;
  by: By;
  site: Site;
  now?: Date;
}): Promise<{ to: OfferStatus }> {
  const comment = rawComment.trim().slice(0, 2000);
  const emails: OutgoingMail[] = [];
  const result = await db.transaction(async (tx) => {
    const offer = await lockOffer(tx, offerId);
    if (!offer) throw new NotFoundError('There is no such offer.');
    const approvals = await listApprovals(tx, offerId);
    if (!approvals.some((a) => a.approverId === by.id)) throw new AppError(403, 'not_an_approver', 'You are not among the approvers of this offer.');
    const step = offerStep({
      status: offer.status,
      action: decision,
      approvals: approvals.map((a) => ({ approverId: a.approverId, status: a.status })),
      actorId: by.id,
      reason: comment,
      now,
      expiresAt: offer.expiresAt,
    });
    if (!step.ok) throw refused(step, `comment-${offerId}`);
    const mine = approvals.find((a) => a.status === 'pending')!;
    await setApproval(tx, offerId, mine.position, { status: decision === 'approve' ? 'approved' : 'rejected', comment: comment || null });
    await updateOffer(tx, offerId, { status: step.to });
    await insertAudit(tx, {
      actor: { type: 'staff', id: by.id },
      action: decision === 'approve' ? 'offer.approved' : 'offer.rejected',
      subjectType: 'offer',
      subjectId: offerId,
      before: { status: offer.status, position: mine.position },
      after: { status: step.to, ...(comment ? { comment } : {}) },
    });
    const context = (await findOfferContext(tx, offer.applicationId))!;
    const candidate = staffNameOf(context);
    const href = staffOfferPath(offer.applicationId);
    if (decision === 'approve' && step.to === 'pending_approval') {
      const next = approvals.find((a) => a.position > mine.position && a.status === 'pending')!;
      const submitter = offer.createdBy !== null ? ((await findStaffByIds(tx, [offer.createdBy]))[0]?.name ?? by.name) : by.name;
      emails.push(await tellApprover(tx, { approver: { id: next.approverId, name: next.approverName, email: next.approverEmail }, offer, context, submitter, site }));
    }
    const creator = offer.createdBy !== null && offer.createdBy !== by.id ? (await findStaffByIds(tx, [offer.createdBy]))[0] : undefined;
    if (creator && !creator.disabled && step.to === 'approved') {
      await insertNotifications(tx, [{ userId: creator.id, kind: 'offer_approved', text: `The offer for ${offer.title} to ${candidate} is approved and can be extended.`, href }]);
    }
    if (creator && !creator.disabled && decision === 'reject') {
      await insertNotifications(tx, [{ userId: creator.id, kind: 'offer_approval_rejected', text: `${by.name} sent the offer for ${offer.title} to ${candidate} back: ${comment}`, href }]);
      emails.push(approvalRejectedMail({ to: creator.email, candidate, title: offer.title, approver: by.name, comment, url: `${site.publicUrl}${href}`, organization: site.organization }));
    }
    return { to: step.to };
  });
  for (const message of emails) await mail.send(message);
  return result;
}

/**
 * Extends an approved offer to the candidate until the end of `expiresOn` (UTC): they see it in
 * their account and get an email naming the title and the link (never the terms).
 */
export async function extendOffer({
  db,
  mail,
  applicationId,
  offerId,
  expiresOn,
  by,
  site,
  now = new Date(),
}: {
  db: Db;
  mail: Mail;
  applicationId: number;
  offerId: number | null;
  expiresOn: string;
  by: By;
  site: Site;
  now?: Date;
}): Promise<void> {
  if (!isDay(expiresOn)) throw new ValidationError('Enter the expiry date as YYYY-MM-DD', [{ field: 'expiresOn', message: 'Enter the expiry date as YYYY-MM-DD' }]);
  const expiresAt = expiryOfDay(expiresOn);
  const sent = await db.transaction(async (tx) => {
    const { offer, application } = await currentOffer(tx, applicationId, offerId);
    if (application.stage !== 'offer') throw new ConflictError('An offer can be extended only while the application is at the offer stage.');
    const step = offerStep({ status: offer.status, action: 'extend', approvals: [], now, expiresAt });
    if (!step.ok) throw refused(step.code === 'expiry_required' ? { ...step, message: 'Choose an expiry date in the future' } : step, 'expiresOn');
    await updateOffer(tx, offer.id, { status: step.to, expiresAt, extendedAt: now });
    await insertAudit(tx, {
      actor: { type: 'staff', id: by.id },
      action: 'offer.extended',
      subjectType: 'offer',
      subjectId: offer.id,
      before: { status: offer.status },
      after: { status: step.to, expiresAt: expiresAt.toISOString() },
    });
    const context = (await findOfferContext(tx, applicationId))!;
    return { offer, context };
  });
  if (sent.context.person.anonymizedAt) return;
  await mail.send(
    offerExtendedMail({
      to: sent.context.person.email,
      name: sent.context.person.name,
      title: sent.offer.title,
      expiresAt,
      url: `${site.publicUrl}${candidateOfferPath(sent.offer.id)}`,
      organization: site.organization,
    }),
  );
}

/** Rescinds an approved or extended offer with a reason (kept for staff). A candidate who had received it is told. */
export async function rescindOffer({
  db,
  mail,
  applicationId,
  offerId,
  reason: rawReason,
  by,
  site,
  now = new Date(),
}: {
  db: Db;
  mail: Mail;
  applicationId: number;
  offerId: number | null;
  reason: string;
  by: By;
  site: Site;
  now?: Date;
}): Promise<void> {
  const reason = rawReason.trim().slice(0, 2000);
  const done = await db.transaction(async (tx) => {
    const { offer } = await currentOffer(tx, applicationId, offerId);
    const step = offerStep({ status: offer.status, action: 'rescind', approvals: [], reason, now, expiresAt: offer.expiresAt });
    if (!step.ok) throw refused(step.code === 'reason_required' ? { ...step, message: 'Give the reason for rescinding the offer' } : step, 'reason');
    await updateOffer(tx, offer.id, { status: step.to, reason });
    await insertAudit(tx, { actor: { type: 'staff', id: by.id }, action: 'offer.rescinded', subjectType: 'offer', subjectId: offer.id, before: { status: offer.status }, after: { status: step.to, reason } });
    return { offer, context: (await findOfferContext(tx, applicationId))! };
  });
  if (done.offer.status !== 'extended' || done.context.person.anonymizedAt) return;
  await mail.send(
    offerRescindedMail({ to: done.context.person.email, name: done.context.person.name, title: done.offer.title, url: `${site.publicUrl}/account/offers`, organization: site.organization }),
  );
}

// ─────────────────────────────────────────────────────────────────────────────
// The letter
// ─────────────────────────────────────────────────────────────────────────────

async function letterOf(offer: OfferRow, candidate: string, site: Site, now: Date): Promise<{ filename: string; bytes: Buffer }> {
  const bytes = await renderOfferLetter({
    organization: site.organization,
    candidateName: candidate,
    ...termsOf(offer),
    expiresAt: offer.expiresAt,
    issuedAt: offer.extendedAt ?? now,
    answerUrl: `${site.publicUrl}${candidateOfferPath(offer.id)}`,
    draft: offer.extendedAt === null,
  });
  return { filename: letterFilename(offer.id, offer.title), bytes };
}

/** The letter of the application's current offer, for staff (a draft preview before it is extended). */
export async function staffOfferLetter({ db, applicationId, site, now = new Date() }: { db: Db; applicationId: number; site: Site; now?: Date }) {
  const context = await findOfferContext(db, applicationId);
  const offer = context ? (await listOffersOfApplication(db, applicationId))[0] : undefined;
  if (!context || !offer) throw new NotFoundError('This application has no offer.');
  return letterOf(offer, staffNameOf(context), site, now);
}

// ─────────────────────────────────────────────────────────────────────────────
// The candidate's side
// ─────────────────────────────────────────────────────────────────────────────

export interface CandidateOfferView {
  id: number;
  status: OfferStatus;
  terms: OfferTerms;
  jobTitle: string;
  expiresAt: Date | null;
  extendedAt: Date | null;
  answeredAt: Date | null;
  /** The candidate's own reason for declining; a rescind reason is staff's and never shown. */
  declineReason: string | null;
  /** Extended and not past its expiry: the forms show. */
  open: boolean;
  letter: boolean;
}

function candidateView(row: { offer: OfferRow; jobTitle: string }, now: Date): CandidateOfferView {
  const o = row.offer;
  return {
    id: o.id,
    status: o.status,
    terms: termsOf(o),
    jobTitle: row.jobTitle,
    expiresAt: o.expiresAt,
    extendedAt: o.extendedAt,
    answeredAt: o.answeredAt,
    declineReason: o.status === 'declined' ? o.reason : null,
    open: o.status === 'extended' && o.expiresAt !== null && o.expiresAt.getTime() > now.getTime(),
    letter: candidateLetterAvailable(o.status),
  };
}

/** The person's offers that were extended to them (never drafts or offers waiting for approval), newest first. */
export async function listCandidateOffers({ db, personId, now = new Date() }: { db: Db; personId: number; now?: Date }): Promise<CandidateOfferView[]> {
  const rows = await listOffersOfPerson(db, personId, CANDIDATE_VISIBLE_STATUSES);
  return rows.filter((r) => candidateSeesOffer(r.offer)).map((r) => candidateView(r, now));
}

/** One offer of the person's; anyone else's, or one not yet extended, is a 404. */
async function ownOffer(db: Db, offerId: number, personId: number) {
  const row = await findOfferWithPerson(db, offerId);
  if (!row || row.personId !== personId || !candidateSeesOffer(row.offer)) throw new NotFoundError('There is no such offer in your account.');
  return row;
}

export async function showCandidateOffer({ db, offerId, personId, now = new Date() }: { db: Db; offerId: number; personId: number; now?: Date }): Promise<CandidateOfferView> {
  return candidateView(await ownOffer(db, offerId, personId), now);
}

/** The letter of one of the person's offers, while it stands or once accepted; 404 otherwise. */
export async function candidateOfferLetter({ db, offerId, personId, site, now = new Date() }: { db: Db; offerId: number; personId: number; site: Site; now?: Date }) {
  const row = await ownOffer(db, offerId, personId);
  if (!candidateLetterAvailable(row.offer.status)) throw new NotFoundError('This offer has no letter to download.');
  return letterOf(row.offer, row.candidateName, site, now);
}

/**
 * The candidate accepts or declines (with an optional reason) an offer extended to them, before it
 * expires (409 after). Accepting is one transaction: the offer, the application hired (its
 * timeline step and audit event), one fewer open seat on the job and, at zero, the job closed as
 * filled through its lifecycle (status, history step, audit event). The job's hiring manager and
 * recruiters are then told (a notification and an email).
 */
export async function answerOffer({
  db,
  mail,
  offerId,
  personId,
  answer,
  reason: rawReason = '',
  site,
  now = new Date(),
}: {
  db: Db;
  mail: Mail;
  offerId: number;
  personId: number;
  answer: 'accept' | 'decline';
  reason?: string;
  site: Site;
  now?: Date;
}): Promise<{ closedAsFilled: boolean }> {
  const reason = rawReason.trim().slice(0, 2000);
  const done = await db.transaction(async (tx) => {
    // Locks in the order staff steps take them (application, then offer, then job), so the two never deadlock.
    const found = await findOfferWithPerson(tx, offerId);
    const application = found ? await lockApplication(tx, found.applicationId) : undefined;
    const offer = application ? await lockOffer(tx, offerId) : undefined;
    if (!offer || !application || application.personId !== personId || !candidateSeesOffer(offer)) throw new NotFoundError('There is no such offer in your account.');
    const step = offerStep({ status: offer.status, action: answer, approvals: [], now, expiresAt: offer.expiresAt });
    if (!step.ok) {
      throw new ConflictError(step.code === 'not_allowed' ? 'This offer can no longer be answered: it was already answered, withdrawn or has expired.' : step.message);
    }
    const candidate = { type: 'candidate' as const, id: personId };
    let closedAsFilled = false;
    let seats: { before: number; after: number } | null = null;
    if (answer === 'accept') {
      if (application.stage !== 'offer') throw new ConflictError('This application is no longer open, so the offer cannot be accepted. Contact your recruiter.');
      await markHired(tx, application);
      await insertAudit(tx, { actor: candidate, action: 'application.moved', subjectType: 'application', subjectId: application.id, before: { stage: application.stage }, after: { stage: 'hired' } });
      const job = await lockJobSeats(tx, application.jobId);
      if (job) {
        const after = headcountAfterAccept(job.headcount);
        seats = { before: job.headcount, after: after.headcount };
        await setHeadcount(tx, job.id, after.headcount);
        const closing = after.closeAsFilled ? transition(job.status, 'close_filled') : null;
        if (closing?.ok) {
          await setJobStatus(tx, job.id, closing.to, { post: false });
          if (job.status === 'open') await adjustTitleWords(tx, { remove: [job.title] });
          await insertSystemJobEvent(tx, { jobId: job.id, action: 'closed_filled', fromStatus: job.status, toStatus: closing.to, comment: `The last open seat was filled: offer ${offer.id} was accepted.` });
          await insertAudit(tx, {
            actor: { type: 'system' },
            action: 'job.closed_filled',
            subjectType: 'job',
            subjectId: job.id,
            before: { status: job.status },
            after: { status: closing.to, cause: { offerId: offer.id } },
          });
          closedAsFilled = true;
        }
      }
    }
    await updateOffer(tx, offer.id, { status: step.to, answeredAt: now, ...(answer === 'decline' ? { reason: reason || null } : {}) });
    await insertAudit(tx, {
      actor: candidate,
      action: answer === 'accept' ? 'offer.accepted' : 'offer.declined',
      subjectType: 'offer',
      subjectId: offer.id,
      before: { status: offer.status, ...(seats ? { headcount: seats.before } : {}) },
      after: { status: step.to, ...(seats ? { headcount: seats.after, jobClosedAsFilled: closedAsFilled } : {}), ...(answer === 'decline' && reason ? { reason } : {}) },
    });
    const context = (await findOfferContext(tx, offer.applicationId))!;
    const owners = await findOfferOwners(tx, application.jobId);
    const href = staffOfferPath(offer.applicationId);
    const name = staffNameOf(context);
    await insertNotifications(
      tx,
      owners.map((o) => ({ userId: o.id, kind: `offer_${step.to}`, text: `${name} ${step.to} the offer for ${offer.title}.${closedAsFilled ? ' The job is closed as filled.' : ''}`, href })),
    );
    return { owners, href, name, title: offer.title, outcome: step.to as 'accepted' | 'declined', closedAsFilled };
  });
  for (const owner of done.owners) {
    await mail.send(
      offerOutcomeMail({ to: owner.email, outcome: done.outcome, candidate: done.name, title: done.title, closedAsFilled: done.closedAsFilled, url: `${site.publicUrl}${done.href}`, organization: site.organization }),
    );
  }
  return { closedAsFilled: done.closedAsFilled };
}
