import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FormError } from '../../../shared/contracts/account.ts';
import { debriefPage, debriefPath, type DebriefFormState } from '../../../web/staff/debrief.tsx';
import { redirectOrShowAgain } from '../staff/forms.ts';
import type { StaffContext, StaffExtension, StaffScope } from '../staff/staff.scope.ts';
import { decideDebrief, openDebrief, recordFinalVote, showDebrief, type DebriefReader } from './debrief.service.ts';

/** A form field as a trimmed-length-limited string ('' when missing; the first of a repeated name). */
const text = (max: number) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().catch('')).transform((v) => v.replace(/\r\n?/g, '\n').slice(0, max));

const openForm = z.object({ earlyReason: text(2000) });
const voteForm = z.object({ vote: text(40), reason: text(2000) });
const decideForm = z.object({ decision: text(20), level: text(4), recycleJob: text(12), note: text(4000), memo: text(20000) });

const noticeQuery = z.object({ notice: z.enum(['opened', 'voted', 'decided']).optional().catch(undefined) });

const NOTICES = {
  opened: 'The debrief is open. Everyone in the loop and the job’s recruiters were emailed a link.',
  voted: 'Your final vote is recorded.',
  decided: 'The decision is recorded. The loop’s members and the job’s recruiters were emailed it.',
} as const;

/** A whole number from a form field, or undefined when it is blank or not one. */
const wholeNumber = (raw: string): number | undefined => (/^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : undefined);

/**
 * The debrief room of an application's loop, as one staff extension: the page ('debrief.view':
 * loop members, the job's hiring manager and recruiters, admins), and opening, voting and
 * deciding ('debrief.act': loop members; which member may do what is src/domain/debrief.ts's).
 */
export function debriefExtension(): StaffExtension {
  return (scope: StaffScope) => {
    const { db } = scope;
    const reader = (context: StaffContext): DebriefReader => ({ id: context.user.id, role: context.user.role, teamRole: context.teamRole, loopMember: context.loopMember ?? false });
    const by = (context: StaffContext) => ({ id: context.user.id, role: context.user.role });
    const mail = () => ({ mail: scope.mail, publicUrl: scope.config.publicUrl, organization: scope.organization() });

    async function render(
      request: FastifyRequest,
      reply: FastifyReply,
      context: StaffContext,
      options: { errors?: FormError[]; form?: DebriefFormState; status?: number } = {},
    ) {
      const view = await showDebrief({ db, applicationId: context.applicationId!, reader: reader(context) });
      const kind = noticeQuery.parse(request.query ?? {}).notice;
      const notice = options.errors?.length || !kind ? null : NOTICES[kind];
      return scope.show(reply, debriefPage({ chrome: await scope.chrome(request, reply), view, errors: options.errors ?? [], form: options.form ?? {}, notice }), options.status ?? 200);
    }

    /** Runs a change, then back to the page with a notice; a refusal shows the page again with the form as typed. */
    async function attempt(request: FastifyRequest, reply: FastifyReply, context: StaffContext, form: DebriefFormState, notice: keyof typeof NOTICES, change: () => Promise<unknown>) {
      return redirectOrShowAgain(
        reply,
        async () => {
          await change();
          return `${debriefPath(context.applicationId!)}?notice=${notice}`;
        },
        (errors, status) => render(request, reply, context, { errors, form, status }),
      );
    }

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id/debrief',
      action: 'debrief.view',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => render(request, reply, context),
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/debrief/open',
      action: 'debrief.act',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const form = openForm.parse(request.body ?? {});
        return attempt(request, reply, context, form, 'opened', () =>
          openDebrief({ db, applicationId: context.applicationId!, by: by(context), earlyReason: form.earlyReason, mail: mail() }),
        );
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/debrief/vote',
      action: 'debrief.act',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const form = voteForm.parse(request.body ?? {});
        return attempt(request, reply, context, form, 'voted', () =>
          recordFinalVote({ db, applicationId: context.applicationId!, by: by(context), vote: form.vote || undefined, reason: form.reason }),
        );
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/debrief/decide',
      action: 'debrief.act',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const form = decideForm.parse(request.body ?? {});
        // Only what the chosen decision needs is passed on: a level sent with a no hire means nothing.
        const request_ = {
          decision: form.decision || undefined,
          level: form.decision === 'hire' ? wholeNumber(form.level) : undefined,
          recycleJobId: form.decision === 'recycle' ? wholeNumber(form.recycleJob) : undefined,
          note: form.decision === 'recycle' ? form.note : undefined,
          memo: form.memo,
        };
        return attempt(request, reply, context, form, 'decided', () => decideDebrief({ db, applicationId: context.applicationId!, by: by(context), request: request_, mail: mail() }));
      },
    });
  };
}
