import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { STAR_PARTS } from '../../../domain/feedback.ts';
import { draftSavedNotice, feedbackFormPage, loopFeedbackPage, type FeedbackFormView, type LoopFeedbackView, type SubmittedRevision } from '../../../web/staff/feedback.tsx';
import { feedbackFormPath, kitPage, kitPrintPage } from '../../../web/staff/kit.tsx';
import { ValidationError } from '../../errors.ts';
import type { StaffContext, StaffExtension, StaffScope } from '../staff/staff.scope.ts';
import { readLoopFeedback, saveDraft, showFeedbackForm, showKit, submitFeedback, type FeedbackInput } from './feedback.service.ts';

const FIELD = new RegExp(`^e\\.([a-z0-9][a-z0-9-]{0,99})\\.(${[...STAR_PARTS, 'signal'].join('|')})$`);
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/**
 * The feedback form's fields: `e.<principle>.<situation|task|action|result|signal>` and `vote`.
 * Anything else is ignored; the service fits the rest to the interview's principles.
 */
export function parseFeedbackForm(body: unknown): FeedbackInput {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const bySlug = new Map<string, Record<string, unknown>>();
  for (const [key, raw] of Object.entries(fields)) {
    const match = FIELD.exec(key);
    const value = first(raw);
    if (!match || typeof value !== 'string') continue;
    const [, slug, part] = match as unknown as [string, string, string];
    const entry = bySlug.get(slug) ?? { principle: slug };
    entry[part] = value;
    bySlug.set(slug, entry);
  }
  const vote = first(fields.vote);
  return { evidence: [...bySlug.values()], vote: typeof vote === 'string' ? vote : null };
}

const formNotice = z.object({ notice: z.enum(['draft', 'submitted', 'unchanged']).optional().catch(undefined) });

function noticeFor(kind: 'draft' | 'submitted' | 'unchanged' | undefined, form: FeedbackFormView): string | null {
  switch (kind) {
    case 'draft':
      return form.savedAt ? draftSavedNotice(form.savedAt) : null;
    case 'submitted':
      return 'Your feedback is submitted. The loop’s members see it once they have submitted their own.';
    case 'unchanged':
      return `Nothing changed since revision ${form.revision}, so no new revision was made.`;
    default:
      return null;
  }
}

/** A revision as the JSON API gives it. */
const revisionJson = (r: SubmittedRevision) => ({ revision: r.revision, submittedAt: r.submittedAt.toISOString(), vote: r.vote, evidence: r.evidence });

/** The loop's feedback as JSON: the same sealed view as the page, feedback only where the reader may read it. */
function loopFeedbackJson(loop: LoopFeedbackView) {
  return {
    applicationId: loop.applicationId,
    view: loop.view,
    debriefOpen: loop.debriefOpen,
    members: loop.members.map((m) => ({
      interviewId: m.interviewId,
      interviewer: { id: m.interviewerId, name: m.name },
      role: m.role,
      cancelled: m.cancelled,
      submitted: m.submitted,
      ...(m.feedback ? { feedback: { ...revisionJson(m.feedback.latest), earlier: m.feedback.earlier.map(revisionJson) } } : {}),
    })),
  };
}

/**
 * Interview kits, the feedback form (drafts, submits, revisions) and the sealed loop feedback,
 * as one staff extension. Every route goes through scope.route: session, CSRF and the policy
 * ('interview.kit', 'feedback.write' only for the interview's own interviewer, 'feedback.read')
 * are checked before a handler runs; the sealing rule then decides what a reader sees.
 */
export function feedbackExtension(): StaffExtension {
  return (scope: StaffScope) => {
    const { db } = scope;

    async function renderForm(
      request: FastifyRequest,
      reply: FastifyReply,
      context: StaffContext,
      options: { typed?: FeedbackInput; errors?: Array<{ field: string; message: string }>; notice?: 'draft' | 'submitted' | 'unchanged' | undefined; status?: number },
    ) {
      const form = await showFeedbackForm({ db, interviewId: context.interviewId!, ...(options.typed ? { typed: options.typed } : {}) });
      const chrome = await scope.chrome(request, reply);
      return scope.show(
        reply,
        feedbackFormPage({ chrome, form, errors: options.errors ?? [], notice: noticeFor(options.notice, form), script: scope.scripts.feedback }),
        options.status ?? 200,
      );
    }

    scope.route({
      method: 'GET',
      url: '/staff/interviews/:id/kit',
      action: 'interview.kit',
      target: { kind: 'interview', param: 'id' },
      handler: async (request, reply, context) => {
        const kit = await showKit({ db, interviewId: context.interviewId!, viewer: context.user, teamRole: context.teamRole });
        return scope.show(reply, kitPage({ chrome: await scope.chrome(request, reply), kit }));
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/interviews/:id/kit/print',
      action: 'interview.kit',
      target: { kind: 'interview', param: 'id' },
      handler: async (_request, reply, context) => {
        const kit = await showKit({ db, interviewId: context.interviewId!, viewer: context.user, teamRole: context.teamRole });
        return scope.show(reply, kitPrintPage({ kit, organization: scope.organization() }));
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/interviews/:id/feedback',
      action: 'feedback.write',
      target: { kind: 'interview', param: 'id' },
      handler: (request, reply, context) => renderForm(request, reply, context, { notice: formNotice.parse(request.query ?? {}).notice }),
    });

    scope.route({
      method: 'POST',
      url: '/staff/interviews/:id/feedback',
      action: 'feedback.write',
      target: { kind: 'interview', param: 'id' },
      handler: async (request, reply, context) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const input = parseFeedbackForm(body);
        const path = feedbackFormPath(context.interviewId!);
        try {
          if (first(body.intent) === 'submit') {
            const { unchanged } = await submitFeedback({ db, interviewId: context.interviewId!, by: context.user, input });
            return reply.redirect(`${path}?notice=${unchanged ? 'unchanged' : 'submitted'}`, 303);
          }
          await saveDraft({ db, interviewId: context.interviewId!, by: context.user, input });
          return reply.redirect(`${path}?notice=draft`, 303);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          return renderForm(request, reply, context, { typed: input, errors: error.fields, status: 400 });
        }
      },
    });

    // For src/web/client/feedback.ts: the same fields as the form, answered in JSON.
    scope.route({
      method: 'POST',
      url: '/staff/interviews/:id/feedback/draft',
      action: 'feedback.write',
      target: { kind: 'interview', param: 'id' },
      handler: async (request, reply, context) => {
        const { savedAt } = await saveDraft({ db, interviewId: context.interviewId!, by: context.user, input: parseFeedbackForm(request.body) });
        return reply.header('cache-control', 'no-store').send({ ok: true, savedAt: savedAt.toISOString(), message: draftSavedNotice(savedAt) });
      },
    });

    const reader = (context: StaffContext) => ({ ...context.user, teamRole: context.teamRole, loopMember: context.loopMember ?? false });

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id/feedback',
      action: 'feedback.read',
      target: { kind: 'application', param: 'id' },
      handler: async (request, reply, context) => {
        const loop = await readLoopFeedback({ db, applicationId: context.applicationId!, reader: reader(context) });
        return scope.show(reply, loopFeedbackPage({ chrome: await scope.chrome(request, reply), loop }));
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/api/applications/:id/feedback',
      action: 'feedback.read',
      target: { kind: 'application', param: 'id' },
      handler: async (_request, reply, context) => {
        const loop = await readLoopFeedback({ db, applicationId: context.applicationId!, reader: reader(context) });
        return reply.header('cache-control', 'no-store').send(loopFeedbackJson(loop));
      },
    });
  };
}

