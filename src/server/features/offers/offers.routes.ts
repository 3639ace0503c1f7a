import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FormError } from '../../../shared/contracts/account.ts';
import { approvalChainsPage, approvalsPage, offerPage, offerPath, type ChainFormState, type OfferFormState } from '../../../web/staff/offers.tsx';
import { AppError, ValidationError } from '../../errors.ts';
import { parseId, type StaffContext, type StaffExtension, type StaffScope } from '../staff/staff.scope.ts';
import { parseTerms, readTermsValues, REASON_MAX, text } from './offers.form.ts';
import {
  decideApproval,
  extendOffer,
  listOffersToApprove,
  rescindOffer,
  saveApprovalChain,
  saveOfferTerms,
  showApprovalChains,
  showStaffOffer,
  staffOfferLetter,
  submitOffer,
  type By,
  type Site,
} from './offers.service.ts';
import { shownAgain } from '../staff/forms.ts';

type Body = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  created: 'The offer is drafted. Check its terms, then submit it for approval.',
  saved: 'The draft is saved.',
  submitted: 'The offer is submitted. The first approver has been told.',
  approved: 'The offer is submitted and, with no approval chain, approved at once. You can extend it to the candidate.',
  extended: 'The offer is extended. The candidate was emailed a link to it in their account.',
  rescinded: 'The offer is rescinded.',
  'chain-saved': 'The approval chain is saved.',
  'chain-unchanged': 'Nothing changed.',
  decided: 'Thank you: your decision is recorded.',
};

const noticeOf = (query: unknown) => {
  const key = (query as Record<string, unknown> | undefined)?.notice;
  return typeof key === 'string' ? (NOTICES[key] ?? null) : null;
};

/** The offer a form showed: null for a new one, or its id; anything else cannot match and is refused as stale. */
const shownOffer = (body: Body): number | null => {
  const raw = text(body.offer, 20).trim();
  return raw === '' ? null : (parseId(raw) ?? -1);
};

/** Form values that may repeat (the chain's places), as a list of strings. */
const many = (raw: unknown): string[] => (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');

const fieldsOf = (error: AppError): FormError[] => (error.fields.length ? error.fields : [{ field: '', message: error.message }]);

/**
 * Offers in the staff workspace: an application's offer (draft, submit, extend, rescind, the
 * letter), the approvals waiting for the signed-in user, and the approval chains (admins). Every
 * route goes through scope.route: the session, the CSRF token and the policy first.
 */
export function offersExtension(): StaffExtension {
  return (scope: StaffScope) => {
    const { db, mail, config } = scope;
    const by = (context: StaffContext): By => ({ id: context.user.id, name: context.user.name, role: context.user.role });
    const site = (): Site => ({ publicUrl: config.publicUrl, organization: scope.organization() });
    const teams = () => scope.content.current()?.teams.map(({ slug, name }) => ({ slug, name })) ?? [];

    async function renderOffer(request: FastifyRequest, reply: FastifyReply, context: StaffContext, options: { errors?: FormError[]; form?: OfferFormState; status?: number } = {}) {
      const view = await showStaffOffer({ db, applicationId: context.applicationId!, viewer: context.user, teamRole: context.teamRole });
      const chrome = await scope.chrome(request, reply);
      const page = offerPage({ chrome, view, errors: options.errors ?? [], form: options.form ?? {}, notice: options.errors?.length ? null : noticeOf(request.query) });
      return scope.show(reply, page, options.status ?? 200);
    }

    /** Runs a change and goes back to the page with a notice; a refusal shows the page again with the form as typed. */
    async function attempt(request: FastifyRequest, reply: FastifyReply, context: StaffContext, form: OfferFormState, change: () => Promise<string>) {
      try {
        const notice = await change();
        return reply.redirect(`${offerPath(context.applicationId!)}?notice=${notice}`, 303);
      } catch (error) {
        if (!shownAgain(error)) throw error;
        return renderOffer(request, reply, context, { errors: fieldsOf(error), form, status: error.status });
      }
    }

    const onApplication = { kind: 'application', param: 'id' } as const;

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id/offer',
      action: 'offer.view',
      target: onApplication,
      handler: (request, reply, context) => renderOffer(request, reply, context),
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/offer',
      action: 'offer.manage',
      target: onApplication,
      handler: (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const values = readTermsValues(body);
        const { terms, errors } = parseTerms(values, new Date());
        if (!terms) return renderOffer(request, reply, context, { errors, form: { terms: values }, status: 400 });
        return attempt(request, reply, context, { terms: values }, async () => {
          const saved = await saveOfferTerms({ db, applicationId: context.applicationId!, offerId: shownOffer(body), terms, by: by(context) });
          return saved.created ? 'created' : 'saved';
        });
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/offer/submit',
      action: 'offer.manage',
      target: onApplication,
      handler: (request, reply, context) =>
        attempt(request, reply, context, {}, async () => {
          const { to } = await submitOffer({ db, mail, applicationId: context.applicationId!, offerId: shownOffer((request.body ?? {}) as Body), by: by(context), site: site() });
          return to === 'approved' ? 'approved' : 'submitted';
        }),
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/offer/extend',
      action: 'offer.manage',
      target: onApplication,
      handler: (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const expiresOn = text(body.expiresOn, 20).trim();
        return attempt(request, reply, context, { expiresOn }, async () => {
          await extendOffer({ db, mail, applicationId: context.applicationId!, offerId: shownOffer(body), expiresOn, by: by(context), site: site() });
          return 'extended';
        });
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/offer/rescind',
      action: 'offer.manage',
      target: onApplication,
      handler: (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const reason = text(body.reason, REASON_MAX + 200);
        return attempt(request, reply, context, { reason }, async () => {
          if (reason.trim().length > REASON_MAX) throw new ValidationError(`Keep the reason to ${REASON_MAX} characters`, [{ field: 'reason', message: `Keep the reason to ${REASON_MAX} characters` }]);
          await rescindOffer({ db, mail, applicationId: context.applicationId!, offerId: shownOffer(body), reason, by: by(context), site: site() });
          return 'rescinded';
        });
      },
    });

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id/offer/letter.pdf',
      action: 'offer.view',
      target: onApplication,
      handler: async (_request, reply, context) => {
        const { filename, bytes } = await staffOfferLetter({ db, applicationId: context.applicationId!, site: site() });
        return sendPdf(reply, filename, bytes);
      },
    });

    // ── Approvers ───────────────────────────────────────────────────────────

    async function renderApprovals(request: FastifyRequest, reply: FastifyReply, context: StaffContext, options: { errors?: FormError[]; comments?: Record<number, string>; status?: number } = {}) {
      const items = await listOffersToApprove({ db, userId: context.user.id });
      const chrome = await scope.chrome(request, reply);
      const page = approvalsPage({ chrome, items, errors: options.errors ?? [], comments: options.comments ?? {}, notice: options.errors?.length ? null : noticeOf(request.query) });
      return scope.show(reply, page, options.status ?? 200);
    }

    scope.route({ method: 'GET', url: '/staff/offers', action: 'workspace.view', handler: (request, reply, context) => renderApprovals(request, reply, context) });

    for (const decision of ['approve', 'reject'] as const) {
      scope.route({
        method: 'POST',
        url: `/staff/offers/:id/${decision}`,
        action: 'workspace.view',
        handler: async (request, reply, context) => {
          const offerId = parseId((request.params as Record<string, string>).id);
          if (offerId === undefined) throw new AppError(404, 'not_found', 'There is no such offer.');
          const comment = text(((request.body ?? {}) as Body)[`comment-${offerId}`], 2200);
          try {
            await decideApproval({ db, mail, offerId, decision, comment, by: by(context), site: site() });
            return reply.redirect('/staff/offers?notice=decided', 303);
          } catch (error) {
            if (!shownAgain(error)) throw error;
            return renderApprovals(request, reply, context, { errors: fieldsOf(error), comments: { [offerId]: comment }, status: error.status });
          }
        },
      });
    }

    // ── Approval chains (admins) ────────────────────────────────────────────

    async function renderChains(request: FastifyRequest, reply: FastifyReply, options: { errors?: FormError[]; typed?: ChainFormState & { job?: string }; status?: number } = {}) {
      const view = await showApprovalChains({ db, teams: teams() });
      const chrome = await scope.chrome(request, reply);
      const page = approvalChainsPage({ chrome, view, errors: options.errors ?? [], ...(options.typed ? { typed: options.typed } : {}), notice: options.errors?.length ? null : noticeOf(request.query) });
      return scope.show(reply, page, options.status ?? 200);
    }

    scope.route({ method: 'GET', url: '/staff/offers/approval-chains', action: 'settings.manage', handler: (request, reply) => renderChains(request, reply) });

    scope.route({
      method: 'POST',
      url: '/staff/offers/approval-chains',
      action: 'settings.manage',
      handler: async (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const scopeName: 'team' | 'job' | null = text(body.scope, 10) === 'job' ? 'job' : text(body.scope, 10) === 'team' ? 'team' : null;
        // The "give a job its own chain" form names the job in a field; the others carry their key.
        const adding = body.job !== undefined;
        const key = (adding ? text(body.job, 20) : text(body.key, 200)).trim();
        const places = many(body.approver).map((v) => v.trim().slice(0, 20));
        const typed: ChainFormState & { job?: string } = { scope: scopeName ?? 'team', key, approvers: places, ...(adding ? { job: key } : {}) };
        const field = adding ? 'chain-job-new' : `chain-${scopeName}-${key}`;
        if (!scopeName) return renderChains(request, reply, { errors: [{ field: '', message: 'Choose a team or a job' }], status: 400 });
        const chosen = places.filter((v) => v !== '');
        const ids = chosen.map((v) => parseId(v));
        if (ids.some((id) => id === undefined)) return renderChains(request, reply, { errors: [{ field, message: 'Choose approvers from the list of staff' }], typed, status: 400 });
        try {
          const { changed } = await saveApprovalChain({ db, scope: scopeName, key, approverIds: ids as number[], teams: teams(), by: by(context) });
          return reply.redirect(`/staff/offers/approval-chains?notice=${changed ? 'chain-saved' : 'chain-unchanged'}`, 303);
        } catch (error) {
          if (!shownAgain(error)) throw error;
          // The service names the approvers' field by scope and key; the add form's fieldset has its own.
          const errors = fieldsOf(error).map((e) => (e.field.startsWith('chain-') ? { ...e, field } : e));
          return renderChains(request, reply, { errors, typed, status: error.status });
        }
      },
    });
  };
}

/** Sends a PDF to be shown in the browser: never cached, with a file name any system accepts. */
export function sendPdf(reply: FastifyReply, filename: string, bytes: Buffer): FastifyReply {
  return reply
    .code(200)
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(bytes);
}
