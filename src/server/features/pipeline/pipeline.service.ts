import { can, identityHidden, seesAllJobs, type Actor, type TeamRole } from '../../../domain/policy.ts';
import {
  candidateStatus,
  candidateTimeline,
  checkMove,
  daysSince,
  EXITS,
  isClosed,
  mentionsIn,
  redactResume,
  stageLabel,
  stagesOf,
} from '../../../domain/pipeline.ts';
import { renderTemplate, type EmailTemplate } from '../../../domain/templates.ts';
import type { ApplicationView } from '../../../web/staff/application.tsx';
import type { BoardCardView } from '../../../web/staff/board.tsx';
import { APPLICATION_SOURCES } from '../../../shared/contracts/apply.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import { getEmailTemplate } from '../staff/settings.repository.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import {
  addTag,
  countByStage,
  findApplicationDetail,
  findBoard,
  findMatchingIds,
  findPipelineJob,
  insertNote,
  insertNotifications,
  listAnswers,
  listEvents,
  listMentionable,
  listNotes,
  listOtherApplications,
  listTags,
  lockApplicationsOfJob,
  moveApplications,
  removeTag,
  type BoardSort,
} from './pipeline.repository.ts';

/** Cards a column shows at most; the rest are a link away. */
export const CARDS_PER_COLUMN = 50;
/** The most applications one bulk action takes. */
export const MAX_BULK = 10_000;

/** What the board is filtered and sorted by, as read from its URL. */
export interface BoardFilters {
  /** Show only this stage (or exit), a page of it at a time. */
  stage?: string | undefined;
  source?: string | undefined;
  minDays?: number | undefined;
  words?: string | undefined;
  sort: BoardSort;
  page: number;
}

/** One card of the board (the page's own view type). */
export type BoardCard = BoardCardView;

export interface BoardData {
  job: { id: number; title: string; status: string; anonymizedScreening: boolean };
  /** The stages of the job's template, in order. */
  stages: string[];
  /** Applications per stage and exit, whatever the filters. */
  totals: Record<string, number>;
  /** Applications per stage and exit matching the filters. */
  matching: Record<string, number>;
  /** The listed stages with their cards, in order. */
  columns: Array<{ stage: string; cards: BoardCard[] }>;
  sources: string[];
  filters: BoardFilters;
  /** The rejection email the bulk form starts from. */
  rejection: EmailTemplate;
}

const filtered = (f: BoardFilters) => Boolean(f.source || f.words || (f.minDays && f.minDays > 0));

/** The pipeline board of a job: counts per stage and the first cards of each, filtered and sorted. */
export async function showBoard({ db, jobId, filters, organization }: { db: Db; jobId: number; filters: BoardFilters; organization: string }): Promise<BoardData> {
  const job = await findPipelineJob(db, jobId);
  if (!job) throw new NotFoundError('There is no such job.');
  const stages = stagesOf(job.stages);
  const all = [...stages, ...EXITS];
  const stage = filters.stage && all.includes(filters.stage) ? filters.stage : undefined;
  const listed = stage ? [stage] : stages;
  const page = stage ? filters.page : 1;
  const [board, totals, rejection] = await Promise.all([
    findBoard(db, {
      jobId,
      stages: listed,
      hiddenStages: all.filter((s) => identityHidden(job, s)),
      source: filters.source,
      minDays: filters.minDays,
      words: filters.words,
      sort: filters.sort,
      limit: CARDS_PER_COLUMN,
      offset: (page - 1) * CARDS_PER_COLUMN,
    }),
    // Without filters the matching counts are the totals; with them, the totals take one more (index-only) count.
    filtered(filters) ? countByStage(db, jobId) : undefined,
    rejectionDraft({ db, jobTitle: job.title, organization }),
  ]);
  const now = new Date();
  const columns = listed.map((s) => ({
    stage: s,
    cards: board.cards
      .filter((c) => c.stage === s)
      .map((c) => ({
        id: c.id,
        stage: c.stage,
        name: identityHidden(job, c.stage) ? null : c.name,
        source: c.source,
        daysInStage: daysSince(c.stageEnteredAt, now),
        tags: c.tags,
      })),
  }));
  return {
    job: { id: job.id, title: job.title, status: job.status, anonymizedScreening: job.anonymizedScreening },
    stages,
    totals: totals ?? board.matching,
    matching: board.matching,
    columns,
    sources: [...APPLICATION_SOURCES],
    filters: { ...filters, stage, page },
    rejection,
  };
}

/** Which applications a bulk action takes: the ones ticked, or every one of a stage matching the board's filters. */
export type Selection = { ids: readonly number[] } | { stage: string; filters: BoardFilters };

async function selectedIds(tx: Db, job: { id: number; anonymizedScreening: boolean }, stages: string[], selection: Selection): Promise<number[]> {
  if ('ids' in selection) {
    if (selection.ids.length === 0) throw nothingChosen('Tick at least one card, or choose every application of a stage.');
    if (selection.ids.length > MAX_BULK) throw nothingChosen(`Choose at most ${MAX_BULK.toLocaleString('en-US')} applications at once.`);
    return [...new Set(selection.ids)];
  }
  if (![...stages, ...EXITS].includes(selection.stage)) throw new ValidationError('Choose a stage of this job', [{ field: 'bulk-from', message: 'Choose a stage of this job' }]);
  const { filters } = selection;
  const hiddenStages = [...stages, ...EXITS].filter((s) => identityHidden(job, s));
  const ids = await findMatchingIds(tx, { jobId: job.id, stage: selection.stage, source: filters.source, minDays: filters.minDays, words: filters.words, hiddenStages, limit: MAX_BULK });
  if (ids.length === 0) throw nothingChosen(`No application in ${stageLabel(selection.stage)} matches the filters.`);
  return ids;
}

const nothingChosen = (message: string) => new ValidationError(message, [{ field: 'bulk-scope', message }]);

/** Who moves: the member of staff. */
export interface By {
  id: number;
  name: string;
}

function refusal(refused: Array<{ id: number; message: string }>, total: number): ConflictError {
  if (total === 1) return new ConflictError(refused[0]!.message);
  const byMessage = new Map<string, number[]>();
  for (const r of refused) byMessage.set(r.message, [...(byMessage.get(r.message) ?? []), r.id]);
  const parts = [...byMessage].map(([message, ids]) => `${message} (${ids.length === 1 ? 'application' : 'applications'} ${ids.slice(0, 5).map((id) => `#${id}`).join(', ')}${ids.length > 5 ? '…' : ''})`);
  return new ConflictError(`Nothing was changed: ${refused.length} of the ${total} chosen applications cannot be moved. ${parts.join(' ')}`);
}

/**
 * Moves applications of a job to another stage of its template, in one transaction: the rows
 * are locked, every move is checked (src/domain/pipeline.ts checkMove), and the stage, timeline
 * and audit events are written set-based. Applications already in that stage are left as they
 * are. Any refused move refuses the whole batch (409); an id not of this job is a 404.
 */
export async function moveApplicationsTo({
  db,
  jobId,
  selection,
  to,
  by,
}: {
  db: Db;
  jobId: number;
  selection: Selection;
  to: string;
  by: By;
}): Promise<{ moved: number; unchanged: number; counts: Record<string, number> }> {
  const result = await db.transaction(async (tx) => {
    const job = await findPipelineJob(tx, jobId);
    if (!job) throw new NotFoundError('There is no such job.');
    const stages = stagesOf(job.stages);
    const ids = await selectedIds(tx, job, stages, selection);
    const found = await lockApplicationsOfJob(tx, jobId, ids);
    if (found.length < ids.length) throw notOnJob(ids.length - found.length, ids.length);
    const unchanged = ids.length > 1 ? found.filter((r) => r.stage === to) : [];
    const moving = found.filter((r) => !unchanged.includes(r));
    const refused = moving.flatMap((r) => {
      const check = checkMove({ from: r.stage, to, stages });
      return check.ok ? [] : [{ id: r.id, message: check.message }];
    });
    if (refused.length) throw refusal(refused, ids.length);
    const moved = await moveApplications(tx, { jobId, ids: moving.map((r) => r.id), to, actorId: by.id, reason: null });
    return { moved: moved.length, unchanged: unchanged.length };
  });
  return { ...result, counts: await countByStage(db, jobId) };
}

function notOnJob(missing: number, total: number): NotFoundError {
  return new NotFoundError(total === 1 ? 'There is no such application on this job.' : `${missing} of the ${total} chosen applications are not on this job.`);
}

/** The rejection email as the form shows it: the saved template with the job and organization filled in, {{candidate_name}} left for each candidate. */
export async function rejectionDraft({ db, jobTitle, organization }: { db: Db; jobTitle: string; organization: string }): Promise<EmailTemplate> {
  const template = await getEmailTemplate(db, 'rejection');
  return renderTemplate(template, { job_title: jobTitle, organization });
}

/**
 * Rejects applications of a job with a reason, in one transaction (locked, checked, written
 * set-based like moves). With `email`, each candidate then gets it, their name filled in —
 * after the commit, and never a person whose data was erased.
 */
export async function rejectApplications({
  db,
  mail,
  jobId,
  selection,
  reason,
  email,
  organization,
  by,
}: {
  db: Db;
  mail: Mail;
  jobId: number;
  selection: Selection;
  reason: string;
  email: EmailTemplate | null;
  organization: string;
  by: By;
}): Promise<{ rejected: number; emailed: number }> {
  const { job, people } = await db.transaction(async (tx) => {
    const job = await findPipelineJob(tx, jobId);
    if (!job) throw new NotFoundError('There is no such job.');
    const stages = stagesOf(job.stages);
    const ids = await selectedIds(tx, job, stages, selection);
    const found = await lockApplicationsOfJob(tx, jobId, ids);
    if (found.length < ids.length) throw notOnJob(ids.length - found.length, ids.length);
    const refused = found.flatMap((r) => {
      const check = checkMove({ from: r.stage, to: 'rejected', stages, reason });
      return check.ok ? [] : [{ id: r.id, message: check.message }];
    });
    if (refused.length) throw refusal(refused, ids.length);
    await moveApplications(tx, { jobId, ids, to: 'rejected', actorId: by.id, reason: reason.trim() });
    return { job, people: found };
  });
  let emailed = 0;
  if (email) {
    for (const person of people) {
      if (person.anonymized) continue;
      const filled = renderTemplate(email, { candidate_name: person.name || 'candidate', job_title: job.title, organization });
      await mail.send(plainMail({ kind: 'application_rejected', to: person.email, subject: filled.subject, text: filled.body }));
      emailed += 1;
    }
  }
  return { rejected: people.length, emailed };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain-text message, with its HTML made of escaped paragraphs. */
function plainMail({ kind, to, subject, text }: { kind: string; to: string; subject: string; text: string }): OutgoingMail {
  const html = text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return { kind, to, subject, text, html };
}

// ---------------------------------------------------------------------------------------------
// The application page
// ---------------------------------------------------------------------------------------------

/** What the application page shows (the page's own view type). */
export type ApplicationData = ApplicationView;

function answerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

/** Everything the application page shows the viewer, with identity hidden under anonymized screening. */
export async function showApplication({
  db,
  applicationId,
  viewer,
  teamRole,
  organization,
}: {
  db: Db;
  applicationId: number;
  viewer: Actor;
  teamRole: TeamRole | null;
  organization: string;
}): Promise<ApplicationData> {
  const row = await findApplicationDetail(db, applicationId);
  if (!row) throw new NotFoundError('There is no such application.');
  const hidden = identityHidden(row.job, row.stage);
  const [answers, events, notes, tags, others, rejection] = await Promise.all([
    listAnswers(db, applicationId),
    listEvents(db, applicationId),
    listNotes(db, applicationId),
    listTags(db, applicationId),
    hidden ? Promise.resolve([]) : listOtherApplications(db, { personId: row.person.id, exceptId: applicationId, viewerId: viewer.id, allJobs: seesAllJobs(viewer) }),
    rejectionDraft({ db, jobTitle: row.job.title, organization }),
  ]);
  const person = row.person;
  const links = person.links ?? [];
  const resume = row.resume?.id
    ? {
        filename: row.resume.filename!,
        contentType: row.resume.contentType!,
        size: row.resume.size!,
        hasFile: Boolean(row.resume.storageKey),
        text: hidden ? redactResume(row.resume.text ?? '', { name: person.name, email: person.email, phone: person.phone, links: links.map((l) => l.url) }) : (row.resume.text ?? ''),
      }
    : null;
  const target = { teamRole };
  return {
    id: row.id,
    stage: row.stage,
    source: row.source,
    daysInStage: daysSince(row.stageEnteredAt),
    rejectReason: row.rejectReason,
    createdAt: row.createdAt,
    confirmed: row.confirmedAt !== null,
    closed: isClosed(row.stage),
    job: { id: row.job.id, title: row.job.title, stages: stagesOf(row.job.stages) },
    anonymized: hidden,
    person: hidden ? null : { name: person.name, email: person.email, phone: person.phone, location: person.location, links },
    resume,
    answers: answers.map((a) => ({ label: a.label, value: answerText(a.value) })),
    events: events.map((e) => ({
      at: e.at,
      kind: e.kind,
      fromStage: e.fromStage,
      toStage: e.toStage,
      who: e.actorType === 'staff' ? (e.actorName ?? 'A former member of staff') : e.actorType === 'candidate' ? 'The candidate' : 'The system',
      detail: e.detail,
    })),
    // An application that anonymized screening still hides is not listed: linking it to this person would say whose it is.
    others: others.filter((o) => !identityHidden(o.job, o.stage)).map((o) => ({ id: o.id, jobTitle: o.job.title, stage: o.stage, createdAt: o.createdAt })),
    notes,
    tags,
    candidateView: { status: candidateStatus(row.stage), timeline: candidateTimeline(events) },
    may: {
      move: can(viewer, 'application.move', target),
      reject: can(viewer, 'application.reject', target),
      note: can(viewer, 'application.note', target),
      tag: can(viewer, 'application.tag', target),
      board: can(viewer, 'pipeline.view', target),
      loop: can(viewer, 'loop.view', target),
      offer: can(viewer, 'offer.view', target),
    },
    rejection,
  };
}

/** The resume file of an application, for staff; hidden (403) while anonymized screening hides who it is. */
export async function readApplicationResume({ db, files, applicationId }: { db: Db; files: FileStore; applicationId: number }) {
  const row = await findApplicationDetail(db, applicationId);
  if (!row) throw new NotFoundError('There is no such application.');
  if (identityHidden(row.job, row.stage)) {
    throw new AppError(403, 'anonymized', 'The resume file stays hidden during anonymized screening. Its text, without the candidate’s identity, is on the application page.');
  }
  if (!row.resume?.id || !row.resume.storageKey) throw new NotFoundError('This application has no resume file.');
  return { bytes: await files.get(row.resume.storageKey), contentType: row.resume.contentType!, filename: row.resume.filename! };
}

export const MAX_NOTE = 5000;

/**
 * Adds a note. "@Name" or "@email" of an admin or of someone on the job's hiring team is a
 * mention: they get an in-app notification (in the same transaction) and an email after it.
 */
export async function addNote({
  db,
  mail,
  applicationId,
  body,
  by,
  publicUrl,
}: {
  db: Db;
  mail: Mail;
  applicationId: number;
  body: string;
  by: By;
  publicUrl: string;
}): Promise<{ noteId: number; mentioned: number }> {
  const text = body.trim();
  if (!text) throw new ValidationError('Write the note before adding it', [{ field: 'note-body', message: 'Write the note before adding it' }]);
  if (text.length > MAX_NOTE) throw new ValidationError(`A note is at most ${MAX_NOTE} characters`, [{ field: 'note-body', message: `A note is at most ${MAX_NOTE} characters` }]);
  const row = await findApplicationDetail(db, applicationId);
  if (!row) throw new NotFoundError('There is no such application.');
  const mentionable = await listMentionable(db, row.job.id);
  const mentioned = mentionsIn(text, mentionable).filter((id) => id !== by.id);
  const who = identityHidden(row.job, row.stage) ? `Candidate #${row.id}` : row.person.name || `Candidate #${row.id}`;
  const href = `/staff/applications/${row.id}`;
  const noteId = await db.transaction(async (tx) => {
    const id = await insertNote(tx, { applicationId, authorId: by.id, body: text, mentions: mentioned });
    await insertNotifications(
      tx,
      mentioned.map((userId) => ({ userId, kind: 'mention', text: `${by.name} mentioned you in a note on ${who} (${row.job.title})`, href })),
    );
    await recordStaffAudit(tx, { actorId: by.id, action: 'application.noted', subjectType: 'application', subjectId: applicationId, after: { noteId: id, mentions: mentioned } });
    return id;
  });
  const url = `${publicUrl.replace(/\/$/, '')}${href}`;
  for (const user of mentionable.filter((u) => mentioned.includes(u.id))) {
    await mail.send(
      plainMail({
        kind: 'staff_mention',
        to: user.email,
        subject: `${by.name} mentioned you on ${row.job.title}`,
        text: `${by.name} mentioned you in a note on ${who} for ${row.job.title}.\n\nOpen the application:\n${url}`,
      }),
    );
  }
  return { noteId, mentioned: mentioned.length };
}

export const MAX_TAG = 40;

/** "  Strong   Referral " → "strong referral": tags are compared and shown in one form. */
export function normalizeTag(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Adds or removes a tag, with an audit event holding the tags before and after. */
export async function tagApplication({
  db,
  applicationId,
  add,
  remove,
  by,
}: {
  db: Db;
  applicationId: number;
  add?: string | undefined;
  remove?: string | undefined;
  by: By;
}): Promise<{ changed: boolean }> {
  const tag = normalizeTag(add ?? remove ?? '');
  if (!tag) throw new ValidationError('Type a tag to add', [{ field: 'tag', message: 'Type a tag to add' }]);
  if (tag.length > MAX_TAG) throw new ValidationError(`A tag is at most ${MAX_TAG} characters`, [{ field: 'tag', message: `A tag is at most ${MAX_TAG} characters` }]);
  return db.transaction(async (tx) => {
    const before = await listTags(tx, applicationId);
    const changed = add !== undefined ? await addTag(tx, applicationId, tag) : await removeTag(tx, applicationId, tag);
    if (changed) {
      const after = await listTags(tx, applicationId);
      await recordStaffAudit(tx, {
        actorId: by.id,
        action: add !== undefined ? 'application.tagged' : 'application.untagged',
        subjectType: 'application',
        subjectId: applicationId,
        before: { tags: before },
        after: { tags: after },
      });
    }
    return { changed };
  });
}
