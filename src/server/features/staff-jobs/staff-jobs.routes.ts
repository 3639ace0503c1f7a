import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actionsFrom, isEditable } from '../../../domain/job-lifecycle.ts';
import { can, seesAllJobs, type TeamRole } from '../../../domain/policy.ts';
import type { FormError } from '../../../shared/contracts/account.ts';
import { JOB_STATUSES } from '../../../shared/contracts/jobs.ts';
import { jobFormPage } from '../../../web/staff/job-form.tsx';
import { jobNotEditablePage, staffJobPage, staffJobsPage } from '../../../web/staff/jobs.tsx';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { renderMarkdown } from '../../markdown.ts';
import type { StaffExtension, StaffScope, StaffUser } from '../staff/staff.scope.ts';
import {
  BLANK_QUESTION_ROWS,
  intentOf,
  jobFormValues,
  MAX_QUESTIONS,
  newJobValues,
  one,
  parseJobForm,
  questionRowCount,
  locationRowCount,
  type FormValues,
} from './staff-jobs.form.ts';
import {
  allowedActions,
  createStaffJob,
  ensureEditable,
  findStaffJob,
  jobFormOptions,
  listJobsForStaff,
  transitionStaffJob,
  updateStaffJob,
} from './staff-jobs.service.ts';

const listQuerySchema = z.object({
  q: z.string().trim().max(200).default(''),
  status: z
    .union([z.enum(JOB_STATUSES), z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  notice: z.string().optional(),
});

/** Messages after a redirect, by the `notice` of the URL (never text from the URL itself). */
const NOTICES: Record<string, string> = {
  created: 'The draft is saved. Submit it for approval when it is ready.',
  saved: 'Your changes are saved.',
  unchanged: 'Nothing was changed, so nothing was saved.',
  submit: 'Submitted for approval: the hiring manager has been told.',
  approve: 'Approved: the job is open and published.',
  send_back: 'Sent back to draft with your comment.',
  hold: 'The job is on hold: it no longer shows publicly or takes applications.',
  resume: 'The job is open again.',
  close_filled: 'The job is closed as filled.',
  cancel: 'The job is cancelled.',
};

const body = (request: FastifyRequest) => (request.body ?? {}) as FormValues;

/**
 * Jobs in the staff workspace: the list, the editor (new and edit, with a Markdown preview),
 * the job's own page with its history, and the lifecycle actions (submit, approve, send back,
 * hold, reopen, close). Every route is declared with the policy action it needs.
 */
export function staffJobsExtension(): StaffExtension {
  return (scope) => {
    const { db } = scope;

    scope.route({
      method: 'GET',
      url: '/staff/jobs',
      action: 'workspace.view',
      handler: async (request, reply, { user }) => {
        const parsed = listQuerySchema.safeParse(request.query);
        if (!parsed.success) throw new ValidationError('The filters could not be read.', parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
        const { q, status, page, notice } = parsed.data;
        const list = await listJobsForStaff({ db, actor: user, status, q, page });
        if (page > list.pageCount) throw new NotFoundError(`There is no page ${page}: the list has ${list.pageCount} page(s).`);
        const view = { ...list, filters: { q, status }, allJobs: seesAllJobs(user) };
        return scope.show(reply, staffJobsPage({ chrome: await scope.chrome(request, reply), view, canCreate: can(user, 'job.create'), notice: NOTICES[notice ?? ''] }));
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/jobs/new',
      action: 'job.create',
      handler: (request, reply, { user }) => showForm(scope, request, reply, { user, values: newJobValues(user), errors: [] }),
    });

    scope.route({
      method: 'POST',
      url: '/staff/jobs',
      action: 'job.create',
      handler: async (request, reply, { user }) => {
        const values = body(request);
        const intent = intentOf(values);
        if (intent !== 'save') return showForm(scope, request, reply, { user, values, errors: [], intent });
        const parsed = parseJobForm(values);
        if ('errors' in parsed) return showForm(scope, request, reply, { user, values, errors: parsed.errors, status: 400 });
        try {
          const { id } = await createStaffJob({ db, actor: user, form: parsed.data });
          return reply.redirect(`/staff/jobs/${id}?notice=created`, 303);
        } catch (error) {
          if (error instanceof ValidationError) return showForm(scope, request, reply, { user, values, errors: error.fields, status: 400 });
          throw error;
        }
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/jobs/:id',
      action: 'job.view',
      target: { kind: 'job', param: 'id' },
      handler: (request, reply, { user, jobId, teamRole }) => {
        const notice = NOTICES[(request.query as { notice?: string }).notice ?? ''];
        return showJob(scope, request, reply, { user, jobId: jobId!, teamRole, notice });
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/jobs/:id/transition',
      // Seeing the job is checked first; each action's own permission is checked by the service (403).
      action: 'job.view',
      target: { kind: 'job', param: 'id' },
      handler: async (request, reply, { user, jobId, teamRole }) => {
        const values = body(request);
        const comment = one(values, 'comment');
        try {
          const done = await transitionStaffJob({
            db,
            mail: scope.mail,
            actor: user,
            teamRole,
            id: jobId!,
            action: one(values, 'action'),
            comment,
            publicUrl: scope.config.publicUrl,
            organization: scope.organization(),
          });
          return reply.redirect(`/staff/jobs/${jobId}?notice=${done.action}`, 303);
        } catch (error) {
          if (error instanceof AppError && (error.status === 400 || error.status === 409)) {
            const errors = error.fields.length ? error.fields : [{ field: '', message: error.message }];
            return showJob(scope, request, reply, { user, jobId: jobId!, teamRole, errors, comment, status: error.status });
          }
          throw error;
        }
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/jobs/:id/edit',
      action: 'job.edit',
      target: { kind: 'job', param: 'id' },
      handler: async (request, reply, { user, jobId }) => {
        const detail = await findStaffJob({ db, id: jobId! });
        try {
          await ensureEditable({ db, id: jobId! });
        } catch (error) {
          if (error instanceof ConflictError) return notEditable(scope, request, reply, { id: jobId!, title: detail.job.title }, error.message);
          throw error;
        }
        return showForm(scope, request, reply, { user, jobId, values: jobFormValues(detail), errors: [] });
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/jobs/:id',
      action: 'job.edit',
      target: { kind: 'job', param: 'id' },
      handler: async (request, reply, { user, jobId }) => {
        const id = jobId!;
        const values = body(request);
        try {
          await ensureEditable({ db, id });
          const intent = intentOf(values);
          if (intent !== 'save') return await showForm(scope, request, reply, { user, jobId: id, values, errors: [], intent });
          const parsed = parseJobForm(values);
          if ('errors' in parsed) return await showForm(scope, request, reply, { user, jobId: id, values, errors: parsed.errors, status: 400 });
          const { changed } = await updateStaffJob({ db, actor: user, id, form: parsed.data });
          return reply.redirect(`/staff/jobs/${id}?notice=${changed.length ? 'saved' : 'unchanged'}`, 303);
        } catch (error) {
          if (error instanceof ValidationError) return showForm(scope, request, reply, { user, jobId: id, values, errors: error.fields, status: 400 });
          if (error instanceof ConflictError) return notEditable(scope, request, reply, { id, title: (await findStaffJob({ db, id })).job.title }, error.message);
          throw error;
        }
      },
    });
  };
}

/** Shows the job form: empty, prefilled, or again as typed (with errors, a preview or more question rows). */
async function showForm(
  scope: StaffScope,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { user: StaffUser; jobId?: number; values: FormValues; errors: FormError[]; intent?: 'preview' | 'more_questions' | 'save'; status?: number },
): Promise<FastifyReply> {
  const { db } = scope;
  const { values, intent } = options;
  const [choices, detail] = await Promise.all([
    jobFormOptions({ db, content: scope.content.current() }),
    options.jobId === undefined ? undefined : findStaffJob({ db, id: options.jobId }),
  ]);
  const rows = questionRowCount(values) + (intent === 'more_questions' ? 3 : 0);
  const page = jobFormPage({
    chrome: await scope.chrome(request, reply),
    ...(detail ? { job: { id: detail.job.id, title: detail.job.title, status: detail.job.status } } : {}),
    values,
    errors: options.errors,
    choices,
    questionRows: Math.min(rows, MAX_QUESTIONS + BLANK_QUESTION_ROWS),
    locationRows: locationRowCount(values),
    answers: Object.fromEntries((detail?.questions ?? []).map((q) => [q.id, q.answers])),
    ...(intent === 'preview' ? { preview: renderMarkdown(one(values, 'description')) } : {}),
    actorRole: options.user.role,
  });
  return scope.show(reply, page, options.status ?? 200);
}

/** Shows the staff page of a job, with the lifecycle actions this user may take. */
async function showJob(
  scope: StaffScope,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { user: StaffUser; jobId: number; teamRole: TeamRole | null; notice?: string; errors?: FormError[]; comment?: string; status?: number },
): Promise<FastifyReply> {
  const { user, teamRole } = options;
  const view = await findStaffJob({ db: scope.db, id: options.jobId });
  const page = staffJobPage({
    chrome: await scope.chrome(request, reply),
    view,
    actions: allowedActions(user, teamRole, actionsFrom(view.job.status)),
    canEdit: isEditable(view.job.status) && can(user, 'job.edit', { teamRole }),
    canBoard: can(user, 'pipeline.view', { teamRole }),
    ...(options.notice ? { notice: options.notice } : {}),
    errors: options.errors ?? [],
    comment: options.comment ?? '',
  });
  return scope.show(reply, page, options.status ?? 200);
}

/** The 409 answer to editing a job whose status does not allow it. */
async function notEditable(scope: StaffScope, request: FastifyRequest, reply: FastifyReply, job: { id: number; title: string }, message: string) {
  return scope.show(reply, jobNotEditablePage({ chrome: await scope.chrome(request, reply), job, message }), 409);
}
