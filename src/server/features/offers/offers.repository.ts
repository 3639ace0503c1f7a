import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { OfferStatus } from '../../../domain/offer.ts';
import type { JobStatus } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import {
  applicationEvents,
  applications,
  auditEvents,
  debriefs,
  jobEvents,
  jobs,
  jobTeam,
  loops,
  offerApprovalChains,
  offerApprovals,
  offers,
  people,
  staffNotifications,
  staffUsers,
  teams,
} from '../../db/schema/index.ts';

// SQL of offers: their terms, approval chains and approvals, the candidate's answer, and what an
// accepted offer changes (the application, the job's headcount and status). Writes take `tx`.

/** The terms staff write; money in the currency's units (up to two decimals). */
export interface OfferTerms {
  title: string;
  level: number;
  basePay: number;
  currency: string;
  payUnit: string;
  /** YYYY-MM-DD. */
  startDate: string;
  signOnBonus: number | null;
  equity: string | null;
  notes: string | null;
}

export type OfferRow = typeof offers.$inferSelect & { status: OfferStatus };

const asOffer = (row: typeof offers.$inferSelect): OfferRow => ({ ...row, status: row.status as OfferStatus });

// ── Approval chains ─────────────────────────────────────────────────────────

export type ChainScope = 'team' | 'job';

export async function listChains(db: Db): Promise<Array<{ scope: ChainScope; scopeKey: string; approverIds: number[]; updatedAt: Date }>> {
  const rows = await db
    .select({ scope: offerApprovalChains.scope, scopeKey: offerApprovalChains.scopeKey, approverIds: offerApprovalChains.approverIds, updatedAt: offerApprovalChains.updatedAt })
    .from(offerApprovalChains)
    .orderBy(asc(offerApprovalChains.scope), asc(offerApprovalChains.scopeKey));
  return rows.map((r) => ({ ...r, scope: r.scope as ChainScope }));
}

/** A chain's approvers, its row locked until the transaction ends; undefined when there is none. */
export async function lockChain(tx: Db, scope: ChainScope, scopeKey: string): Promise<number[] | undefined> {
  const [row] = await tx
    .select({ approverIds: offerApprovalChains.approverIds })
    .from(offerApprovalChains)
    .where(and(eq(offerApprovalChains.scope, scope), eq(offerApprovalChains.scopeKey, scopeKey)))
    .for('update');
  return row?.approverIds;
}

export async function putChain(tx: Db, scope: ChainScope, scopeKey: string, approverIds: number[]): Promise<void> {
  await tx
    .insert(offerApprovalChains)
    .values({ scope, scopeKey, approverIds })
    .onConflictDoUpdate({ target: [offerApprovalChains.scope, offerApprovalChains.scopeKey], set: { approverIds, updatedAt: sql`now()` } });
}

export async function deleteChain(tx: Db, scope: ChainScope, scopeKey: string): Promise<void> {
  await tx.delete(offerApprovalChains).where(and(eq(offerApprovalChains.scope, scope), eq(offerApprovalChains.scopeKey, scopeKey)));
}

/** The chains that apply to a job: its own and its team's (by slug). */
export async function findChainsForJob(db: Db, jobId: number, teamSlug: string): Promise<{ job: number[] | null; team: number[] | null }> {
  const rows = await db
    .select({ scope: offerApprovalChains.scope, approverIds: offerApprovalChains.approverIds })
    .from(offerApprovalChains)
    .where(
      sql`(${offerApprovalChains.scope} = 'job' and ${offerApprovalChains.scopeKey} = ${String(jobId)}) or (${offerApprovalChains.scope} = 'team' and ${offerApprovalChains.scopeKey} = ${teamSlug})`,
    );
  return { job: rows.find((r) => r.scope === 'job')?.approverIds ?? null, team: rows.find((r) => r.scope === 'team')?.approverIds ?? null };
}

export interface StaffPerson {
  id: number;
  name: string;
  email: string;
  role: string;
  disabled: boolean;
}

/** Staff by id, in no particular order (disabled ones too, so a chain can name them). */
export async function findStaffByIds(db: Db, ids: readonly number[]): Promise<StaffPerson[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(inArray(staffUsers.id, [...new Set(ids)]));
  return rows.map(({ disabledAt, ...r }) => ({ ...r, disabled: disabledAt !== null }));
}

/** Enabled staff by name: who may be put in a chain. */
export async function listEnabledStaff(db: Db): Promise<StaffPerson[]> {
  const rows = await db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email, role: staffUsers.role })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(asc(staffUsers.name), asc(staffUsers.id));
  return rows.map((r) => ({ ...r, disabled: false }));
}

export async function findJobTitles(db: Db, ids: readonly number[]): Promise<Map<number, { title: string; requisitionId: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: jobs.id, title: jobs.title, requisitionId: jobs.requisitionId }).from(jobs).where(inArray(jobs.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { title: r.title, requisitionId: r.requisitionId }]));
}

// ── Applications, jobs and offers ──────────────────────────────────────────

/** An application as the offer pages need it: its person, its job with its team, and the debrief's level. */
export async function findOfferContext(db: Db, applicationId: number) {
  const [row] = await db
    .select({
      id: applications.id,
      stage: applications.stage,
      personId: applications.personId,
      person: { name: people.name, email: people.email, anonymizedAt: people.anonymizedAt },
      job: {
        id: jobs.id,
        title: jobs.title,
        level: jobs.level,
        status: jobs.status,
        headcount: jobs.headcount,
        payCurrency: jobs.payCurrency,
        payUnit: jobs.payUnit,
        teamSlug: teams.slug,
        teamName: teams.name,
        anonymizedScreening: jobs.anonymizedScreening,
      },
      decisionLevel: debriefs.decisionLevel,
    })
    .from(applications)
    .innerJoin(people, eq(people.id, applications.personId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(teams, eq(teams.id, jobs.teamId))
    .leftJoin(loops, eq(loops.applicationId, applications.id))
    .leftJoin(debriefs, eq(debriefs.loopId, loops.id))
    .where(eq(applications.id, applicationId));
  return row ? { ...row, job: { ...row.job, status: row.job.status as JobStatus } } : undefined;
}

export type OfferContext = NonNullable<Awaited<ReturnType<typeof findOfferContext>>>;

/** The offers of an application, newest first. */
export async function listOffersOfApplication(db: Db, applicationId: number): Promise<OfferRow[]> {
  const rows = await db.select().from(offers).where(eq(offers.applicationId, applicationId)).orderBy(desc(offers.id));
  return rows.map(asOffer);
}

/** The application row, locked until the transaction ends (stage changes and new offers wait their turn). */
export async function lockApplication(tx: Db, applicationId: number): Promise<{ id: number; stage: string; personId: number; jobId: number } | undefined> {
  const [row] = await tx
    .select({ id: applications.id, stage: applications.stage, personId: applications.personId, jobId: applications.jobId })
    .from(applications)
    .where(eq(applications.id, applicationId))
    .for('update');
  return row;
}

/** The newest offer of an application, locked until the transaction ends. */
export async function lockLatestOffer(tx: Db, applicationId: number): Promise<OfferRow | undefined> {
  const [row] = await tx.select().from(offers).where(eq(offers.applicationId, applicationId)).orderBy(desc(offers.id)).limit(1).for('update');
  return row ? asOffer(row) : undefined;
}

/** An offer by id, locked until the transaction ends. */
export async function lockOffer(tx: Db, offerId: number): Promise<OfferRow | undefined> {
  const [row] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
  return row ? asOffer(row) : undefined;
}

export async function findOffer(db: Db, offerId: number): Promise<OfferRow | undefined> {
  const [row] = await db.select().from(offers).where(eq(offers.id, offerId));
  return row ? asOffer(row) : undefined;
}

export async function insertOffer(tx: Db, values: OfferTerms & { applicationId: number; createdBy: number }): Promise<number> {
  const [row] = await tx.insert(offers).values(values).returning({ id: offers.id });
  return row!.id;
}

export async function updateOffer(tx: Db, offerId: number, set: Partial<OfferTerms> & Partial<Pick<OfferRow, 'status' | 'expiresAt' | 'extendedAt' | 'answeredAt' | 'reason'>>): Promise<void> {
  await tx
    .update(offers)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(offers.id, offerId));
}

export interface ApprovalRow {
  position: number;
  approverId: number;
  approverName: string;
  approverEmail: string;
  status: 'pending' | 'approved' | 'rejected';
  comment: string | null;
  at: Date | null;
}

/** An offer's approvals in chain order, with each approver's name. */
export async function listApprovals(db: Db, offerId: number): Promise<ApprovalRow[]> {
  const rows = await db
    .select({
      position: offerApprovals.position,
      approverId: offerApprovals.approverId,
      approverName: staffUsers.name,
      approverEmail: staffUsers.email,
      status: offerApprovals.status,
      comment: offerApprovals.comment,
      at: offerApprovals.at,
    })
    .from(offerApprovals)
    .innerJoin(staffUsers, eq(staffUsers.id, offerApprovals.approverId))
    .where(eq(offerApprovals.offerId, offerId))
    .orderBy(asc(offerApprovals.position));
  return rows.map((r) => ({ ...r, status: r.status as ApprovalRow['status'] }));
}

/** Starts an offer's approvals afresh: the chain in order, every step pending (an earlier round is replaced). */
export async function replaceApprovals(tx: Db, offerId: number, approverIds: readonly number[]): Promise<void> {
  await tx.delete(offerApprovals).where(eq(offerApprovals.offerId, offerId));
  if (approverIds.length) await tx.insert(offerApprovals).values(approverIds.map((approverId, position) => ({ offerId, position, approverId, status: 'pending' })));
}

export async function setApproval(tx: Db, offerId: number, position: number, change: { status: 'approved' | 'rejected'; comment: string | null }): Promise<void> {
  await tx
    .update(offerApprovals)
    .set({ status: change.status, comment: change.comment, at: sql`now()` })
    .where(and(eq(offerApprovals.offerId, offerId), eq(offerApprovals.position, position)));
}

/** Offers waiting for approval whose next pending step is this user's, oldest first, with what an approver reads. */
export async function listOffersAwaiting(db: Db, userId: number) {
  const next = sql`(select a.approver_id from offer_approvals a where a.offer_id = ${offers.id} and a.status = 'pending' order by a.position limit 1)`;
  const rows = await db
    .select({
      offer: offers,
      applicationId: applications.id,
      stage: applications.stage,
      candidate: people.name,
      jobId: jobs.id,
      anonymizedScreening: jobs.anonymizedScreening,
      jobTitle: jobs.title,
      teamName: teams.name,
      submittedBy: staffUsers.name,
    })
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .innerJoin(people, eq(people.id, applications.personId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(teams, eq(teams.id, jobs.teamId))
    .leftJoin(staffUsers, eq(staffUsers.id, offers.createdBy))
    .where(and(eq(offers.status, 'pending_approval'), sql`${next} = ${userId}`))
    .orderBy(asc(offers.updatedAt), asc(offers.id));
  return rows.map((r) => ({ ...r, offer: asOffer(r.offer) }));
}

/** The hiring manager and recruiters of a job (enabled accounts): who hears of the candidate's answer. */
export async function findOfferOwners(db: Db, jobId: number): Promise<Array<{ id: number; name: string; email: string }>> {
  return db
    .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
    .from(jobTeam)
    .innerJoin(staffUsers, eq(staffUsers.id, jobTeam.userId))
    .where(and(eq(jobTeam.jobId, jobId), inArray(jobTeam.role, ['hiring_manager', 'recruiter']), isNull(staffUsers.disabledAt)))
    .orderBy(asc(staffUsers.id));
}

export async function insertNotifications(tx: Db, rows: Array<{ userId: number; kind: string; text: string; href: string }>): Promise<void> {
  if (rows.length) await tx.insert(staffNotifications).values(rows);
}

/** One audit event; `actor` says who: a member of staff, the candidate (a person id) or the system. */
export async function insertAudit(
  tx: Db,
  event: { actor: { type: 'staff' | 'candidate'; id: number } | { type: 'system' }; action: string; subjectType: string; subjectId: number | string; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.insert(auditEvents).values({
    actorType: event.actor.type,
    actorId: event.actor.type === 'system' ? null : event.actor.id,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: String(event.subjectId),
    before: event.before ?? null,
    after: event.after ?? null,
  });
}

/** Moves the application to hired with its timeline step, the candidate being the one who acted. */
export async function markHired(tx: Db, application: { id: number; stage: string; personId: number }): Promise<void> {
  await tx.update(applications).set({ stage: 'hired', stageEnteredAt: sql`now()`, updatedAt: sql`now()` }).where(eq(applications.id, application.id));
  await tx.insert(applicationEvents).values({
    applicationId: application.id,
    kind: 'moved',
    fromStage: application.stage,
    toStage: 'hired',
    actorType: 'candidate',
    actorId: application.personId,
    detail: 'Accepted the offer',
  });
}

/** The job's row, locked until the transaction ends: the headcount and status an accepted offer changes. */
export async function lockJobSeats(tx: Db, jobId: number): Promise<{ id: number; title: string; status: JobStatus; headcount: number } | undefined> {
  const [row] = await tx.select({ id: jobs.id, title: jobs.title, status: jobs.status, headcount: jobs.headcount }).from(jobs).where(eq(jobs.id, jobId)).for('update');
  return row ? { ...row, status: row.status as JobStatus } : undefined;
}

export async function setHeadcount(tx: Db, jobId: number, headcount: number): Promise<void> {
  await tx.update(jobs).set({ headcount, updatedAt: sql`now()` }).where(eq(jobs.id, jobId));
}

/** A step of the job's history written by no member of staff (the candidate's acceptance closed it). */
export async function insertSystemJobEvent(tx: Db, event: { jobId: number; action: string; fromStatus: JobStatus; toStatus: JobStatus; comment: string }): Promise<void> {
  await tx.insert(jobEvents).values({ ...event, actorId: null });
}

// ── The candidate's offers ─────────────────────────────────────────────────

const candidateColumns = {
  offer: offers,
  applicationId: applications.id,
  applicationStage: applications.stage,
  personId: applications.personId,
  candidateName: people.name,
  candidateEmail: people.email,
  anonymized: sql<boolean>`${people.anonymizedAt} is not null`,
  jobId: jobs.id,
  jobTitle: jobs.title,
};

/** A person's offers in the given statuses, newest first, with their job. */
export async function listOffersOfPerson(db: Db, personId: number, statuses: readonly OfferStatus[]) {
  const rows = await db
    .select(candidateColumns)
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .innerJoin(people, eq(people.id, applications.personId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.personId, personId), inArray(offers.status, [...statuses])))
    .orderBy(desc(offers.id));
  return rows.map((r) => ({ ...r, offer: asOffer(r.offer) }));
}

/** One offer with its application, person and job, whoever it belongs to (callers check). */
export async function findOfferWithPerson(db: Db, offerId: number) {
  const [row] = await db
    .select(candidateColumns)
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .innerJoin(people, eq(people.id, applications.personId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(offers.id, offerId));
  return row ? { ...row, offer: asOffer(row.offer) } : undefined;
}

export type OfferWithPerson = NonNullable<Awaited<ReturnType<typeof findOfferWithPerson>>>;

// ── Expiry ─────────────────────────────────────────────────────────────────

/** Extended offers whose expiry has passed at `now`, oldest first. */
export async function findLapsedOfferIds(db: Db, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: offers.id })
    .from(offers)
    .where(and(eq(offers.status, 'extended'), lte(offers.expiresAt, now)))
    .orderBy(asc(offers.expiresAt), asc(offers.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Marks the extended offers that expire within `windowMs` of `now` (and have not yet) as reminded,
 * in one statement, and answers them: a second sweep, or another node's, finds none of them again.
 */
export async function claimExpiringOffers(db: Db, options: { now: Date; windowMs: number }) {
  const until = new Date(options.now.getTime() + options.windowMs);
  const claimed = await db
    .update(offers)
    .set({ expiryReminderSentAt: options.now })
    .where(
      and(
        eq(offers.status, 'extended'),
        isNull(offers.expiryReminderSentAt),
        sql`${offers.expiresAt} > ${options.now.toISOString()}::timestamptz`,
        sql`${offers.expiresAt} <= ${until.toISOString()}::timestamptz`,
      ),
    )
    .returning({ id: offers.id });
  if (claimed.length === 0) return [];
  const rows = await db
    .select(candidateColumns)
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .innerJoin(people, eq(people.id, applications.personId))
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(inArray(offers.id, claimed.map((c) => c.id)))
    .orderBy(asc(offers.id));
  return rows.map((r) => ({ ...r, offer: asOffer(r.offer) }));
}
