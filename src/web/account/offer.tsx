import { offerTermRows, type OfferStatus, type OfferTermsText } from '../../domain/offer.ts';
import type { FormError } from '../../shared/contracts/account.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField } from './forms.tsx';
import { accountPage } from './layout.tsx';

/** An offer as the candidate sees it (never a draft, never one waiting for approval). */
export interface CandidateOfferItem {
  id: number;
  status: OfferStatus;
  terms: OfferTermsText & { notes: string | null };
  jobTitle: string;
  expiresAt: Date | null;
  extendedAt: Date | null;
  answeredAt: Date | null;
  declineReason: string | null;
  /** Extended and not past its expiry: it can be answered. */
  open: boolean;
  /** The letter can be downloaded. */
  letter: boolean;
}

/** What the candidate is told of each status. */
const STATUS_TEXT: Record<OfferStatus, string> = {
  draft: 'Being prepared',
  pending_approval: 'Being prepared',
  approved: 'Being prepared',
  extended: 'Waiting for your answer',
  accepted: 'You accepted this offer',
  declined: 'You declined this offer',
  rescinded: 'Withdrawn by us',
  expired: 'Expired',
};

const day = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{day(at)}</time>;
}

/** What the candidate reads of an offer's state: its status in words, with the date that matters. */
export function statusText(offer: Pick<CandidateOfferItem, 'status' | 'open' | 'expiresAt'>): string {
  if (offer.status === 'extended' && !offer.open) return 'Expired';
  return STATUS_TEXT[offer.status];
}

/** The terms as a description list; shared by the candidate's page and the staff pages. */
export function TermsList({ terms }: { terms: OfferTermsText & { notes: string | null } }) {
  return (
    <dl className="offer-terms">
      {offerTermRows(terms).map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      {terms.notes ? (
        <div>
          <dt>Notes</dt>
          <dd className="offer-terms__notes">{terms.notes}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The offers on /account and /account/offers, newest first; nothing at all when there are none. */
export function OffersSection({ offers, headingLevel = 2 }: { offers: CandidateOfferItem[]; headingLevel?: 2 | 3 }) {
  if (offers.length === 0) return null;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="section" aria-labelledby="offers-title">
      <Heading id="offers-title">Your offers</Heading>
      <ul className="link-list offer-list">
        {offers.map((offer) => (
          <li key={offer.id}>
            <a href={`/account/offers/${offer.id}`}>{offer.terms.title}</a> — {statusText(offer)}
            {offer.status === 'extended' && offer.open && offer.expiresAt ? (
              <>
                {' '}
                (answer by <When at={offer.expiresAt} />)
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** /account/offers: every offer extended to the candidate. */
export function candidateOffersPage({ organization, offers }: { organization: string; offers: CandidateOfferItem[] }): Page {
  return accountPage({
    organization,
    title: 'Your offers',
    path: '/account/offers',
    children: (
      <>
        {offers.length === 0 ? <p>You have no offers yet. When we extend one to you, it appears here and we email you.</p> : <OffersSection offers={offers} headingLevel={2} />}
        <p>
          <a href="/account">Back to your account</a>
        </p>
      </>
    ),
  });
}

export const ANSWER_NOTICES: Record<string, string> = {
  accepted: 'Thank you: you accepted the offer. Welcome aboard! Your recruiter will be in touch about your first day.',
  declined: 'You declined the offer. Thank you for letting us know.',
};

/**
 * One offer: its terms, when it expires, the letter, and — while it can be answered — the two
 * forms: accept (a box to tick, so a stray press accepts nothing) and decline (a reason if they wish).
 */
export function candidateOfferPage({
  organization,
  csrf,
  offer,
  errors = [],
  reason = '',
  notice,
}: {
  organization: string;
  csrf: string;
  offer: CandidateOfferItem;
  /** Why an answer was refused; a message with no field is about the offer as a whole (say, it expired). */
  errors?: FormError[];
  /** The decline reason as typed, shown again. */
  reason?: string;
  notice?: string | undefined;
}): Page {
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const confirmError = errorOf('confirm');
  const base = `/account/offers/${offer.id}`;
  return accountPage({
    organization,
    title: `Your offer: ${offer.terms.title}`,
    path: base,
    state: { values: {}, errors },
    lead: `Status: ${statusText(offer)}.`,
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <section className="section" aria-labelledby="terms-title">
          <h2 id="terms-title">The terms</h2>
          <TermsList terms={offer.terms} />
          {offer.letter ? (
            <p>
              <a href={`${base}/letter.pdf`}>Download the offer letter (PDF)</a>
            </p>
          ) : null}
        </section>
        <section className="section" aria-labelledby="when-title">
          <h2 id="when-title">Dates</h2>
          <ul className="link-list">
            {offer.extendedAt ? (
              <li>
                Offered on <When at={offer.extendedAt} />
              </li>
            ) : null}
            {offer.expiresAt && (offer.status === 'extended' || offer.status === 'expired') ? (
              <li>
                {offer.open ? 'Open until the end of ' : 'Expired at the end of '}
                <When at={offer.expiresAt} /> (UTC)
              </li>
            ) : null}
            {offer.answeredAt ? (
              <li>
                Answered on <When at={offer.answeredAt} />
              </li>
            ) : null}
          </ul>
          {offer.declineReason ? <p>Your reason: {offer.declineReason}</p> : null}
          {offer.status === 'extended' && !offer.open ? <p>This offer can no longer be answered. If you are still interested, contact your recruiter.</p> : null}
        </section>
        {offer.open ? (
          <>
            <section className="section" aria-labelledby="accept-title">
              <h2 id="accept-title">Accept the offer</h2>
              <form method="post" action={`${base}/accept`} className="account-form" noValidate>
                <CsrfField token={csrf} />
                <div className={confirmError ? 'field field--error' : 'field'}>
                  {confirmError ? (
                    <p id="confirm-error" className="field__error">
                      <span className="visually-hidden">Error: </span>
                      {confirmError}
                    </p>
                  ) : null}
                  <div className="choice__option">
                    <input type="checkbox" id="confirm" name="confirm" value="yes" required aria-invalid={confirmError ? true : undefined} aria-describedby={confirmError ? 'confirm-error' : undefined} />
                    <label htmlFor="confirm">I have read the terms above and accept this offer</label>
                  </div>
                </div>
                <button type="submit" className="button button--solid">
                  Accept the offer
                </button>
              </form>
            </section>
            <section className="section" aria-labelledby="decline-title">
              <h2 id="decline-title">Decline the offer</h2>
              <form method="post" action={`${base}/decline`} className="account-form" noValidate>
                <CsrfField token={csrf} />
                <div className={errorOf('reason') ? 'field field--error' : 'field'}>
                  <label htmlFor="reason">
                    Why are you declining? <span className="field__optional">(optional)</span>
                  </label>
                  <p id="reason-hint" className="field__hint">
                    Only the hiring team reads it. It helps us make better offers.
                  </p>
                  {errorOf('reason') ? (
                    <p id="reason-error" className="field__error">
                      <span className="visually-hidden">Error: </span>
                      {errorOf('reason')}
                    </p>
                  ) : null}
                  <textarea id="reason" name="reason" rows={4} defaultValue={reason} aria-describedby={errorOf('reason') ? 'reason-hint reason-error' : 'reason-hint'} />
                </div>
                <button type="submit" className="button button--outline">
                  Decline the offer
                </button>
              </form>
            </section>
          </>
        ) : null}
        <p>
          <a href="/account/offers">All your offers</a> · <a href="/account">Your account</a>
        </p>
      </>
    ),
  });
}
