import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../../../domain/policy.ts';
import { stageLabel } from '../../../domain/pipeline.ts';
import type { FormError } from '../../../shared/contracts/account.ts';
import { applicationPage, type ApplicationFormState } from '../../../web/staff/application.tsx';
import { BOARD_SORTS, boardPage, boardPath, boardQuery, type BulkFormState } from '../../../web/staff/board.tsx';
import { AppError } from '../../errors.ts';
import type { StaffContext, StaffExtension, StaffScope } from '../staff/staff.scope.ts';
import {
  addNote,
  moveApplicationsTo,
  readApplicationResume,
  rejectApplications,
  showApplication,
  showBoard,
  tagApplication,
  type BoardFilters,
  type Selection,
} from './pipeline.service.ts';
import { shownAgain } from '../staff/forms.ts';

type Body = Record<string, unknown>;

/** A trimmed text field, or undefined when absent or blank. */
const text = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().max(max).optional()).catch(undefined);

/** The board's URL query. Nonsense in a filter is ignored rather than refused: it is a link someone may have edited. */
const filtersSchema = z.object({
  stage: text(60),
  source: text(60),
  days: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(3650).optional()).catch(undefined),
  q: text(200),
  sort: z.enum(BOARD_SORTS).catch('newest'),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});

function parseFilters(raw: unknown): BoardFilters {
  const f = filtersSchema.parse(raw ?? {});
  return { stage: f.stage, source: f.source, minDays: f.days || undefined, words: f.q, sort: f.sort, page: f.page };
}

/** The filters a form carried back in its `back` field ("?stage=screen&sort=name"). */
function filtersFromBack(back: unknown): BoardFilters {
  const query = typeof back === 'string' ? back.replace(/^\?/, '').slice(0, 2000) : '';
  return parseFilters(Object.fromEntries(new URLSearchParams(query)));
}

const noticeSchema = z.object({
  notice: z.enum(['moved', 'bulk-moved', 'bulk-rejected', 'rejected', 'noted', 'tagged', 'untagged']).optional().catch(undefined),
  to: text(60),
  n: z.coerce.number().int().min(0).optional().catch(undefined),
  same: z.coerce.number().int().min(0).optional().catch(undefined),
  emailed: z.coerce.number().int().min(0).optional().catch(undefined),
  mentioned: z.coerce.number().int().min(0).optional().catch(undefined),
});

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The status message after a change, from the query string of the redirect. */
function noticeOf(raw: unknown): string | null {
  const q = noticeSchema.parse(raw ?? {});
  const to = q.to ? stageLabel(q.to) : 'the stage';
  const emailed = q.emailed ? ` and emailed ${plural(q.emailed, 'candidate', 'candidates')}` : '';
  switch (q.notice) {
    case 'moved':
      return `Moved to ${to}.`;
    case 'bulk-moved':
      return `Moved ${plural(q.n ?? 0, 'application', 'applications')} to ${to}.${q.same ? ` ${plural(q.same, 'was', 'were')} already there.` : ''}`;
    case 'bulk-rejected':
      return `Rejected ${plural(q.n ?? 0, 'application', 'applications')}${emailed}.`;
    case 'rejected':
      return q.emailed ? 'Rejected, and the candidate was emailed.' : 'Rejected.';
    case 'noted':
      return q.mentioned ? `Note added; ${plural(q.mentioned, 'colleague was', 'colleagues were')} notified.` : 'Note added.';
    case 'tagged':
      return 'Tag added.';
    case 'untagged':
      return 'Tag removed.';
    default:
      return null;
  }
}

const withNotice = (url: string, params: Record<string, string | number>) => {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
};

const moveSchema = z.object({
  applicationId: z.coerce.number().int().positive().max(2_147_483_647),
  to: z.string().trim().min(1).max(60),
});

const idList = (raw: unknown): number[] =>
  (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => (typeof v === 'string' && /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647 ? [Number(v)] : []));

const str = (v: unknown, max = 10_000) => (typeof v === 'string' ? v.slice(0, max) : '');

/** The rejection fields of a form: reason, and the email when ticked; the problems named per field. */
function readRejection(body: Body, prefix: string): { values: { reason: string; email: boolean; subject: string; body: string }; errors: FormError[] } {
  const values = { reason: str(body.reason, 1000), email: body.email === 'yes', subject: str(body.subject, 200), body: str(body.body) };
  const errors: FormError[] = [];
  if (!values.reason.trim()) errors.push({ field: `${prefix}-reason`, message: 'Give the reason for rejecting' });
  if (values.email && !values.subject.trim()) errors.push({ field: `${prefix}-subject`, message: 'Give the email a subject, or untick “Email the candidate”' });
  if (values.email && !values.body.trim()) errors.push({ field: `${prefix}-body`, message: 'Write the email, or untick “Email the candidate”' });
  return { values, errors };
}

const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');


/**
 * The pipeline board of a job and the application page, as one staff extension. Every route is
 * declared through scope.route, so the session, CSRF token and policy are checked first.
 */
export function pipelineExtension(): StaffExtension {
  return (scope: StaffScope) => {
    const { db, mail } = scope;
    const by = (context: StaffContext) => ({ id: context.user.id, name: context.user.name });

    async function renderBoard(
      request: FastifyRequest,
      reply: FastifyReply,
      context: StaffContext,
      options: { filters: BoardFilters; notice?: string | null; errors?: FormError[]; bulk?: BulkFormState; status?: number },
    ) {
      const board = await showBoard({ db, jobId: context.jobId!, filters: options.filters, organization: scope.organization() });
      const chrome = await scope.chrome(request, reply);
      const may = { move: can(context.user, 'application.move', context), reject: can(context.user, 'application.reject', context) };
      return scope.show(
        reply,
        boardPage({
          chrome,
          board,
          may,
          notice: options.notice ?? null,
          errors: options.errors ?? [],
          ...(options.bulk ? { bulk: options.bulk } : {}),
          rejection: board.rejection,
          script: scope.scripts.board,
        }),
        options.status ?? 200,
      );
    }

    scope.route({
      method: 'GET',
      url: '/staff/jobs/:id/board',
      action: 'pipeline.view',
      target: { kind: 'job', param: 'id' },
      handler: (request, reply, context) => renderBoard(request, reply, context, { filters: parseFilters(request.query), notice: noticeOf(request.query) }),
    });

    scope.route({
      method: 'POST',
      url: '/staff/jobs/:id/board/move',
      action: 'application.move',
      target: { kind: 'job', param: 'id' },
      handler: async (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const filters = filtersFromBack(body.back);
        const parsed = moveSchema.safeParse(body);
        const json = wantsJson(request);
        if (!parsed.success) {
          const error = new AppError(400, 'invalid_input', 'Choose the application and the stage to move it to.');
          if (json) throw error;
          return renderBoard(request, reply, context, { filters, errors: [{ field: '', message: error.message }], status: 400 });
        }
        const { applicationId, to } = parsed.data;
        try {
          const result = await moveApplicationsTo({ db, jobId: context.jobId!, selection: { ids: [applicationId] }, to, by: by(context) });
          if (json) return reply.header('cache-control', 'no-store').send({ ok: true, stage: to, counts: result.counts });
          return reply.redirect(withNotice(`${boardPath(context.jobId!)}${boardQuery(filters)}`, { notice: 'moved', to }), 303);
        } catch (error) {
          if (json || !shownAgain(error)) throw error;
          return renderBoard(request, reply, context, { filters, errors: [{ field: `move-${applicationId}`, message: error.message }], status: error.status });
        }
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/jobs/:id/board/bulk',
      action: 'application.move',
      target: { kind: 'job', param: 'id' },
      handler: async (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const filters = filtersFromBack(body.back);
        const op = body.op === 'reject' ? 'reject' : body.op === 'move' ? 'move' : null;
        if (op === 'reject' && !can(context.user, 'application.reject', context)) {
          throw new AppError(403, 'forbidden', 'Your role does not allow rejecting applications on this job.');
        }
        const rejection = readRejection(body, 'bulk');
        const bulk: BulkFormState = {
          ids: idList(body.ids),
          scope: body.scope === 'stage' ? 'stage' : 'selected',
          from: str(body.from, 60),
          to: str(body.to, 60),
          ...rejection.values,
        };
        const errors: FormError[] = [];
        if (!op) errors.push({ field: 'bulk-scope', message: 'Choose “Move them” or “Reject them”' });
        if (op === 'move' && !bulk.to) errors.push({ field: 'bulk-to', message: 'Choose the stage to move them to' });
        if (op === 'reject') errors.push(...rejection.errors);
        if (bulk.scope === 'selected' && bulk.ids.length === 0) errors.push({ field: 'bulk-scope', message: 'Tick at least one card, or choose every application of a stage' });
        const again = (errs: FormError[], status: number) => renderBoard(request, reply, context, { filters, errors: errs, bulk, status });
        if (errors.length) return again(errors, 400);
        const selection: Selection = bulk.scope === 'stage' ? { stage: bulk.from, filters } : { ids: bulk.ids };
        const back = `${boardPath(context.jobId!)}${boardQuery(filters)}`;
        try {
          if (op === 'move') {
            const result = await moveApplicationsTo({ db, jobId: context.jobId!, selection, to: bulk.to, by: by(context) });
            return reply.redirect(withNotice(back, { notice: 'bulk-moved', n: result.moved, to: bulk.to, ...(result.unchanged ? { same: result.unchanged } : {}) }), 303);
          }
          const result = await rejectApplications({
            db,
            mail,
            jobId: context.jobId!,
            selection,
            reason: bulk.reason,
            email: bulk.email ? { subject: bulk.subject, body: bulk.body } : null,
            organization: scope.organization(),
            by: by(context),
          });
          return reply.redirect(withNotice(back, { notice: 'bulk-rejected', n: result.rejected, emailed: result.emailed }), 303);
        } catch (error) {
          if (!shownAgain(error)) throw error;
          return again(error.fields.length ? error.fields : [{ field: 'bulk-scope', message: error.message }], error.status);
        }
      },
    });

    async function renderApplication(
      request: FastifyRequest,
      reply: FastifyReply,
      context: StaffContext,
      options: { notice?: string | null; errors?: FormError[]; form?: ApplicationFormState; status?: number } = {},
    ) {
      const application = await showApplication({ db, applicationId: context.applicationId!, viewer: context.user, teamRole: context.teamRole, organization: scope.organization() });
      const chrome = await scope.chrome(request, reply);
      return scope.show(
        reply,
        applicationPage({ chrome, application, notice: options.notice ?? null, errors: options.errors ?? [], form: options.form ?? {} }),
        options.status ?? 200,
      );
    }

    const applicationPath = (context: StaffContext) => `/staff/applications/${context.applicationId!}`;

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id',
      action: 'application.view',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => renderApplication(request, reply, context, { notice: noticeOf(request.query) }),
    });

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id/resume',
      action: 'application.file',
      target: { kind: 'application', param: 'id' },
      handler: async (_request, reply, context) => {
        const file = await readApplicationResume({ db, files: scope.files, applicationId: context.applicationId! });
        const pdf = file.contentType === 'application/pdf';
        return reply
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', disposition(pdf ? 'inline' : 'attachment', file.filename))
          .type(file.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : file.contentType)
          .send(file.bytes);
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/notes',
      action: 'application.note',
      target: { kind: 'application', param: 'id' },
      handler: async (request, reply, context) => {
        const note = str(((request.body ?? {}) as Body).body, 20_000);
        try {
          const result = await addNote({ db, mail, applicationId: context.applicationId!, body: note, by: by(context), publicUrl: scope.config.publicUrl });
          return reply.redirect(`${withNotice(applicationPath(context), { notice: 'noted', mentioned: result.mentioned })}#notes`, 303);
        } catch (error) {
          if (!shownAgain(error)) throw error;
          return renderApplication(request, reply, context, { errors: error.fields, form: { note }, status: error.status });
        }
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/tags',
      action: 'application.tag',
      target: { kind: 'application', param: 'id' },
      handler: async (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const add = typeof body.add === 'string' ? body.add.slice(0, 200) : undefined;
        const remove = add === undefined && typeof body.remove === 'string' ? body.remove.slice(0, 200) : undefined;
        try {
          await tagApplication({ db, applicationId: context.applicationId!, add, remove, by: by(context) });
          return reply.redirect(withNotice(applicationPath(context), { notice: add !== undefined ? 'tagged' : 'untagged' }), 303);
        } catch (error) {
          if (!shownAgain(error)) throw error;
          return renderApplication(request, reply, context, { errors: error.fields, form: { tag: add ?? '' }, status: error.status });
        }
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/move',
      action: 'application.move',
      target: { kind: 'application', param: 'id' },
      handler: async (request, reply, context) => {
        const to = str(((request.body ?? {}) as Body).to, 60).trim();
        if (!to) return renderApplication(request, reply, context, { errors: [{ field: 'app-to', message: 'Choose the stage to move it to' }], status: 400 });
        try {
          await moveApplicationsTo({ db, jobId: context.jobId!, selection: { ids: [context.applicationId!] }, to, by: by(context) });
          return reply.redirect(withNotice(applicationPath(context), { notice: 'moved', to }), 303);
        } catch (error) {
          if (!shownAgain(error)) throw error;
          return renderApplication(request, reply, context, { errors: [{ field: 'app-to', message: error.message }], form: { to }, status: error.status });
        }
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/reject',
      action: 'application.reject',
      target: { kind: 'application', param: 'id' },
      handler: async (request, reply, context) => {
        const { values, errors } = readRejection((request.body ?? {}) as Body, 'app');
        if (errors.length) return renderApplication(request, reply, context, { errors, form: { reject: values }, status: 400 });
        try {
          const result = await rejectApplications({
            db,
            mail,
            jobId: context.jobId!,
            selection: { ids: [context.applicationId!] },
            reason: values.reason,
            email: values.email ? { subject: values.subject, body: values.body } : null,
            organization: scope.organization(),
            by: by(context),
          });
          return reply.redirect(withNotice(applicationPath(context), { notice: 'rejected', emailed: result.emailed }), 303);
        } catch (error) {
          if (!shownAgain(error)) throw error;
          return renderApplication(request, reply, context, {
            errors: [{ field: 'app-reason', message: error.message }],
            form: { reject: values },
            status: error.status,
          });
        }
      },
    });
  };
}

/** inline or attachment, with an ASCII fallback name and the exact name in RFC 5987 form. */
function disposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
