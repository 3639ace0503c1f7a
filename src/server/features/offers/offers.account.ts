import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANSWER_NOTICES, candidateOfferPage, candidateOffersPage } from '../../../web/account/offer.tsx';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { AccountExtension } from '../accounts/accounts.routes.ts';
import { CSRF_FIELD } from '../accounts/csrf.ts';
import type { Candidate } from '../accounts/sessions.ts';
import type { Mail } from '../mail/mail.types.ts';
import { parseId } from '../staff/staff.scope.ts';
import { REASON_MAX, text } from './offers.form.ts';
import { sendPdf } from './offers.routes.ts';
import { answerOffer, candidateOfferLetter, listCandidateOffers, showCandidateOffer } from './offers.service.ts';

/** What the candidate's offer pages need, wired by hand in buildApp. */
export interface OffersAccountDeps {
  db: Db;
  mail: Mail;
  /** The site's address, for the letter's answer link and the emails to staff. */
  publicUrl: string;
}

type Body = Record<string, unknown>;

/**
 * The candidate's offers, as pages in the account scope: the list, one offer with its terms, its
 * letter (PDF) and the accept and decline forms. Only the signed-in person's own offers, only once
 * extended, and only once their address is confirmed; anything else is a 404.
 */
export function offersAccountExtension(deps: OffersAccountDeps): AccountExtension {
  return ({ app, csrf, show, organization }) => {
    // deps are read per request, not here: tests fill them in once the database exists.
    const site = () => ({ publicUrl: deps.publicUrl, organization: organization() });

    /** The signed-in candidate with a confirmed address; signed out goes to sign-in (null), unconfirmed sees nothing (404). */
    function owner(request: FastifyRequest, reply: FastifyReply, { post }: { post: boolean }): Candidate | null {
      const candidate = request.candidate;
      if (!candidate) {
        void reply.redirect('/account/sign-in', 303);
        return null;
      }
      if (post) csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: true });
      if (!candidate.emailVerified) throw new NotFoundError('There is no such offer in your account.');
      return candidate;
    }

    const offerIdOf = (request: FastifyRequest) => {
      const id = parseId((request.params as Record<string, string>).id);
      if (id === undefined) throw new NotFoundError('There is no such offer in your account.');
      return id;
    };

    app.get('/account/offers', async (request, reply) => {
      const candidate = request.candidate;
      if (!candidate) return reply.redirect('/account/sign-in', 303);
      const offers = candidate.emailVerified ? await listCandidateOffers({ db: deps.db, personId: candidate.personId }) : [];
      return show(reply, candidateOffersPage({ organization: organization(), offers }));
    });

    app.get<{ Params: { id: string }; Querystring: { notice?: string } }>('/account/offers/:id', async (request, reply) => {
      const candidate = owner(request, reply, { post: false });
      if (!candidate) return reply;
      const offer = await showCandidateOffer({ db: deps.db, offerId: offerIdOf(request), personId: candidate.personId });
      return show(reply, candidateOfferPage({ organization: organization(), csrf: csrf.token(request, reply), offer, notice: ANSWER_NOTICES[request.query.notice ?? ''] }));
    });

    app.get('/account/offers/:id/letter.pdf', async (request, reply) => {
      const candidate = owner(request, reply, { post: false });
      if (!candidate) return reply;
      const { filename, bytes } = await candidateOfferLetter({ db: deps.db, offerId: offerIdOf(request), personId: candidate.personId, site: site() });
      return sendPdf(reply, filename, bytes);
    });

    for (const answer of ['accept', 'decline'] as const) {
      app.post(`/account/offers/:id/${answer}`, async (request, reply) => {
        const candidate = owner(request, reply, { post: true });
        if (!candidate) return reply;
        const offerId = offerIdOf(request);
        const body = (request.body ?? {}) as Body;
        const reason = text(body.reason, REASON_MAX + 200);
        const again = async (errors: Array<{ field: string; message: string }>, status: number) => {
          const offer = await showCandidateOffer({ db: deps.db, offerId, personId: candidate.personId });
          return show(reply, candidateOfferPage({ organization: organization(), csrf: csrf.token(request, reply), offer, errors, reason }), status);
        };
        if (answer === 'accept' && text(body.confirm, 10) !== 'yes') return again([{ field: 'confirm', message: 'Tick the box to confirm that you accept the offer' }], 400);
        if (reason.trim().length > REASON_MAX) return again([{ field: 'reason', message: `Keep your reason to ${REASON_MAX} characters` }], 400);
        try {
          await answerOffer({ db: deps.db, mail: deps.mail, offerId, personId: candidate.personId, answer, reason, site: site() });
        } catch (error) {
          if (error instanceof ConflictError) return again([{ field: '', message: error.message }], 409);
          throw error;
        }
        return reply.redirect(`/account/offers/${offerId}?notice=${answer === 'accept' ? 'accepted' : 'declined'}`, 303);
      });
    }
  };
}
