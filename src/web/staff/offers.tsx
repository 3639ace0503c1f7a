import type { ReactNode } from 'react';
import { OFFER_STATUS_LABELS, type OfferStatus, type OfferTermsText } from '../../domain/offer.ts';
import { stageLabel } from '../../domain/pipeline.ts';
import type { FormError } from '../../shared/contracts/account.ts';
import { LEVELS, PAY_UNIT_LABELS, PAY_UNITS } from '../../shared/contracts/jobs.ts';
import { CsrfField, LabelledField } from '../account/forms.tsx';
import { TermsList } from '../account/offer.tsx';
import type { Page } from '../careers/pages.tsx';
import { ActionForm, staffPage, type StaffChrome } from './layout.tsx';

// ── View data ───────────────────────────────────────────────────────────────

export type Terms = OfferTermsText & { notes: string | null };

/** The terms form as typed, every field a string. */
export interface TermsValues {
  title: string;
  level: string;
  basePay: string;
  currency: string;
  payUnit: string;
  startDate: string;
  signOnBonus: string;
  equity: string;
  notes: string;
}

export interface ApprovalStepView {
  position: number;
  approverId: number;
  approverName: string;
  status: 'pending' | 'approved' | 'rejected';
  comment: string | null;
  at: Date | null;
}

export interface OfferView {
  id: number;
  status: OfferStatus;
  terms: Terms;
  expiresAt: Date | null;
  extendedAt: Date | null;
  answeredAt: Date | null;
  /** Why it was declined (the candidate's) or rescinded (staff's). */
  reason: string | null;
  createdAt: Date;
  approvals: ApprovalStepView[];
  /** Extended, but past its expiry (the hourly sweep will mark it expired). */
  lapsed: boolean;
}

export interface StaffOfferView {
  application: { id: number; stage: string; candidate: string; job: { id: number; title: string; teamName: string; headcount: number; status: string } };
  /** The newest offer, if any. */
  current: OfferView | null;
  /** The offers before it, newest first. */
  earlier: OfferView[];
  /** The chain a submit would copy now, in order, and where it comes from. */
  chain: { source: 'job' | 'team' | 'none'; approvers: Array<{ id: number; name: string }> };
  /** What a new draft starts from. */
  defaults: TermsValues;
  may: { manage: boolean; draft: boolean };
}

/** What the offer page's forms hold when one is shown again after a refusal. */
export interface OfferFormState {
  terms?: TermsValues;
  expiresOn?: string;
  reason?: string;
}

export interface ApprovalItemView {
  offer: OfferView;
  applicationId: number;
  candidate: string;
  job: { id: number; title: string; teamName: string };
  submittedBy: string | null;
}

export interface ChainView {
  scope: 'team' | 'job';
  key: string;
  label: string;
  approvers: Array<{ id: number; name: string; disabled: boolean }>;
}

export interface ChainsView {
  teams: ChainView[];
  jobs: ChainView[];
  staff: Array<{ id: number; name: string; role: string }>;
}

/** The chain form refused, as typed: which chain, and the approver ids chosen per place. */
export interface ChainFormState {
  scope: 'team' | 'job';
  key: string;
  approvers: string[];
}

// ── Small pieces ────────────────────────────────────────────────────────────

const dateTime = (at: Date) =>
  at.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
const dayOnly = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function At({ at, day = false }: { at: Date; day?: boolean }) {
  return <time dateTime={at.toISOString()}>{day ? dayOnly(at) : dateTime(at)}</time>;
}

/** The status as a tag whose words carry the meaning (not its colour). */
function StatusTag({ status, lapsed = false }: { status: OfferStatus; lapsed?: boolean }) {
  return <span className={`status-tag offer-status offer-status--${status}`}>{lapsed ? 'Expired (not yet swept)' : OFFER_STATUS_LABELS[status]}</span>;
}

function FieldError({ errors, field }: { errors: FormError[]; field: string }) {
  const message = errors.find((e) => e.field === field)?.message;
  return message ? (
    <p className="field__error" id={`${field}-error`}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  ) : null;
}

/** A field's label with "(optional)" when it may stay empty. */
const fieldLabel = (label: string, optional: boolean) => (
  <>
    {label}
    {optional ? <span className="field__optional"> (optional)</span> : null}
  </>
);

function Input({
  name,
  label,
  value,
  errors,
  hint,
  optional = false,
  type = 'text',
  inputMode,
  className,
}: {
  name: string;
  label: string;
  value: string;
  errors: FormError[];
  hint?: ReactNode;
  optional?: boolean;
  type?: 'text' | 'date';
  inputMode?: 'decimal';
  className?: string;
}) {
  return (
    <LabelledField
      name={name}
      label={fieldLabel(label, optional)}
      hint={hint}
      errors={errors}
      className={className}
      control={(props) => <input {...props} name={name} type={type} defaultValue={value} inputMode={inputMode} autoComplete="off" />}
    />
  );
}

function TextArea({ name, label, value, errors, hint, optional = false, rows = 4 }: { name: string; label: string; value: string; errors: FormError[]; hint?: ReactNode; optional?: boolean; rows?: number }) {
  return (
    <LabelledField
      name={name}
      label={fieldLabel(label, optional)}
      hint={hint}
      errors={errors}
      control={(props) => <textarea {...props} name={name} rows={rows} defaultValue={value} />}
    />
  );
}

function Select({ name, label, value, errors, options }: { name: string; label: string; value: string; errors: FormError[]; options: Array<{ value: string; label: string }> }) {
  return (
    <LabelledField
      name={name}
      label={label}
      errors={errors}
      control={(props) => (
        <select {...props} name={name} defaultValue={value}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

// ── The offer page of an application ────────────────────────────────────────

export const offerPath = (applicationId: number) => `/staff/applications/${applicationId}/offer`;

function TermsForm({ action, csrf, offerId, values, errors, submit }: { action: string; csrf: string; offerId: number | null; values: TermsValues; errors: FormError[]; submit: string }) {
  return (
    <form method="post" action={action} className="offer-form" noValidate>
      <CsrfField token={csrf} />
      <input type="hidden" name="offer" value={offerId === null ? '' : String(offerId)} />
      <Input name="title" label="Job title" value={values.title} errors={errors} />
      <Select name="level" label="Level" value={values.level} errors={errors} options={LEVELS.map((l) => ({ value: String(l.value), label: `${l.label} (level ${l.value})` }))} />
      <fieldset className="form-section offer-form__pay">
        <legend>Base pay</legend>
        <Input name="basePay" label="Amount" value={values.basePay} errors={errors} inputMode="decimal" hint="Digits, with up to two decimals: 185000 or 42.50." />
        <Input name="currency" label="Currency" value={values.currency} errors={errors} hint="Three letters, such as USD or EUR." className="offer-form__short" />
        <Select name="payUnit" label="Paid" value={values.payUnit} errors={errors} options={PAY_UNITS.map((u) => ({ value: u, label: PAY_UNIT_LABELS[u] }))} />
      </fieldset>
      <Input name="startDate" label="Start date" type="date" value={values.startDate} errors={errors} hint="YYYY-MM-DD, today or later." />
      <Input name="signOnBonus" label="Sign-on bonus" value={values.signOnBonus} errors={errors} inputMode="decimal" optional hint="In the same currency. Leave empty for none." />
      <Input name="equity" label="Equity" value={values.equity} errors={errors} optional hint="As the letter should say it, for example “2,000 restricted stock units vesting over four years”." />
      <TextArea name="notes" label="Notes" value={values.notes} errors={errors} optional hint="Printed in the letter: relocation, benefits, anything the candidate should know. Up to 2,000 characters." rows={5} />
      <button type="submit" className="button button--solid">
        {submit}
      </button>
    </form>
  );
}

function ApprovalSteps({ approvals }: { approvals: ApprovalStepView[] }) {
  if (approvals.length === 0) return null;
  return (
    <table className="data-table offer-approvals">
      <caption className="visually-hidden">Approvals, in order</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Approver</th>
          <th scope="col">Decision</th>
          <th scope="col">Comment</th>
        </tr>
      </thead>
      <tbody>
        {approvals.map((a) => (
          <tr key={a.position}>
            <td>{a.position + 1}</td>
            <th scope="row">{a.approverName}</th>
            <td>
              {a.status === 'pending' ? 'Waiting' : a.status === 'approved' ? 'Approved' : 'Rejected'}
              {a.at ? (
                <>
                  {' '}
                  <At at={a.at} />
                </>
              ) : null}
            </td>
            <td>{a.comment ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OfferFacts({ offer }: { offer: OfferView }) {
  return (
    <ul className="link-list">
      <li>
        Drafted <At at={offer.createdAt} />
      </li>
      {offer.extendedAt ? (
        <li>
          Extended <At at={offer.extendedAt} />
        </li>
      ) : null}
      {offer.expiresAt ? (
        <li>
          Open until the end of <At at={offer.expiresAt} day /> (UTC)
        </li>
      ) : null}
      {offer.answeredAt ? (
        <li>
          Answered <At at={offer.answeredAt} />
        </li>
      ) : null}
      {offer.reason ? <li>{offer.status === 'rescinded' ? 'Reason for rescinding' : 'The candidate’s reason'}: {offer.reason}</li> : null}
    </ul>
  );
}

function ChainNote({ chain }: { chain: StaffOfferView['chain'] }) {
  if (chain.source === 'none') return <p>No approval chain applies to this job or its team: submitting approves the offer at once.</p>;
  return (
    <p>
      Submitting sends it to {chain.source === 'job' ? 'this job’s' : 'the team’s'} approval chain, in order: {chain.approvers.map((a) => a.name).join(' → ')}.
    </p>
  );
}

export function offerPage({
  chrome,
  view,
  errors = [],
  form = {},
  notice = null,
}: {
  chrome: StaffChrome;
  view: StaffOfferView;
  errors?: FormError[];
  form?: OfferFormState;
  notice?: string | null;
}): Page {
  const { application: app, current, may } = view;
  const path = offerPath(app.id);
  const csrf = chrome.csrf;
  const hiddenOffer: Record<string, string> = current ? { offer: String(current.id) } : {};
  const status = current?.status;
  return staffPage({
    chrome,
    title: `Offer: ${app.candidate}`,
    path,
    section: 'jobs',
    errors,
    lead: `${app.job.title} · ${app.job.teamName} · application at ${stageLabel(app.stage)}`,
    actions: (
      <>
        <a className="button button--outline" href={`/staff/applications/${app.id}`}>
          Application
        </a>
        {current ? (
          <a className="button button--outline" href={`${path}/letter.pdf`}>
            Offer letter (PDF)
          </a>
        ) : null}
      </>
    ),
    children: (
      <div className="offer-page">
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {current ? (
          <section className="panel" aria-labelledby="current-title">
            <h2 id="current-title">
              Current offer <StatusTag status={current.status} lapsed={current.lapsed} />
            </h2>
            <OfferFacts offer={current} />
            {status === 'draft' && may.manage ? (
              <>
                <p>The offer is a draft: change its terms here, then submit it.</p>
                <TermsForm action={path} csrf={csrf} offerId={current.id} values={form.terms ?? termsValuesOf(current.terms)} errors={errors} submit="Save the draft" />
              </>
            ) : (
              <TermsList terms={current.terms} />
            )}
            <ApprovalSteps approvals={current.approvals} />
          </section>
        ) : null}

        {current && may.manage && status === 'draft' ? (
          <section className="panel" aria-labelledby="submit-title">
            <h2 id="submit-title">Submit for approval</h2>
            <ChainNote chain={view.chain} />
            <ActionForm action={`${path}/submit`} csrf={csrf} label="Submit the offer" hidden={hiddenOffer} />
          </section>
        ) : null}

        {current && may.manage && status === 'approved' ? (
          <section className="panel" aria-labelledby="extend-title">
            <h2 id="extend-title">Extend the offer to the candidate</h2>
            <p>The candidate sees it in their account, with the letter, and gets an email naming the job title and the link (never the terms).</p>
            <form method="post" action={`${path}/extend`} className="offer-form" noValidate>
              <CsrfField token={csrf} />
              <input type="hidden" name="offer" value={String(current.id)} />
              <Input name="expiresOn" label="Open until" type="date" value={form.expiresOn ?? ''} errors={errors} hint="YYYY-MM-DD. The candidate can answer until the end of that day, UTC." />
              <button type="submit" className="button button--solid">
                Extend the offer
              </button>
            </form>
          </section>
        ) : null}

        {current && may.manage && (status === 'approved' || status === 'extended') ? (
          <section className="panel" aria-labelledby="rescind-title">
            <h2 id="rescind-title">Rescind the offer</h2>
            <form method="post" action={`${path}/rescind`} className="offer-form" noValidate>
              <CsrfField token={csrf} />
              <input type="hidden" name="offer" value={String(current.id)} />
              <TextArea
                name="reason"
                label="Reason"
                value={form.reason ?? ''}
                errors={errors}
                hint={status === 'extended' ? 'Kept for the hiring team and the audit log. The candidate is told the offer was withdrawn, not why.' : 'Kept for the hiring team and the audit log.'}
                rows={3}
              />
              <button type="submit" className="button button--danger">
                Rescind the offer
              </button>
            </form>
          </section>
        ) : null}

        {may.draft ? (
          <section className="panel" aria-labelledby="draft-title">
            <h2 id="draft-title">{current ? 'Draft a new offer' : 'Draft an offer'}</h2>
            <ChainNote chain={view.chain} />
            <TermsForm action={path} csrf={csrf} offerId={null} values={form.terms ?? view.defaults} errors={current && status === 'draft' ? [] : errors} submit="Save the draft" />
          </section>
        ) : null}

        {!current && !may.draft ? (
          <p>{app.stage === 'offer' ? 'No offer has been drafted yet.' : `There is no offer. One can be drafted once the application reaches the offer stage (it is at ${stageLabel(app.stage)}).`}</p>
        ) : null}

        {view.earlier.length ? (
          <section aria-labelledby="earlier-title">
            <h2 id="earlier-title">Earlier offers</h2>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Offer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Drafted</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {view.earlier.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">
                      {o.terms.title}, level {o.terms.level}
                    </th>
                    <td>
                      <StatusTag status={o.status} />
                    </td>
                    <td>
                      <At at={o.createdAt} />
                    </td>
                    <td>{o.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </div>
    ),
  });
}

/** The terms as the form shows them. */
export function termsValuesOf(terms: Terms): TermsValues {
  return {
    title: terms.title,
    level: String(terms.level),
    basePay: String(terms.basePay),
    currency: terms.currency,
    payUnit: terms.payUnit,
    startDate: terms.startDate,
    signOnBonus: terms.signOnBonus === null ? '' : String(terms.signOnBonus),
    equity: terms.equity ?? '',
    notes: terms.notes ?? '',
  };
}

// ── Offers waiting for the user's approval ──────────────────────────────────

export function approvalsPage({
  chrome,
  items,
  errors = [],
  comments = {},
  notice = null,
}: {
  chrome: StaffChrome;
  items: ApprovalItemView[];
  errors?: FormError[];
  /** Comments as typed, per offer, when a form is shown again. */
  comments?: Record<number, string>;
  notice?: string | null;
}): Page {
  return staffPage({
    chrome,
    title: 'Offers to approve',
    path: '/staff/offers',
    section: 'offers',
    errors,
    lead: 'Offers whose next approval is yours. Approving hands the offer to the next approver, or approves it after the last one; rejecting sends it back to draft with your comment.',
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {items.length === 0 ? <p>No offer is waiting for your approval.</p> : null}
        {items.map((item) => {
          const id = item.offer.id;
          const field = `comment-${id}`;
          return (
            <section key={id} id={`offer-${id}`} className="panel" aria-labelledby={`offer-${id}-title`}>
              <h2 id={`offer-${id}-title`}>
                {item.candidate}: {item.offer.terms.title}
              </h2>
              <p>
                {item.job.title} · {item.job.teamName}
                {item.submittedBy ? ` · drafted by ${item.submittedBy}` : ''}
              </p>
              <TermsList terms={item.offer.terms} />
              <ApprovalSteps approvals={item.offer.approvals} />
              <div className="offer-decide">
                <ActionForm action={`/staff/offers/${id}/approve`} csrf={chrome.csrf} label="Approve" />
                <form method="post" action={`/staff/offers/${id}/reject`} className="offer-form" noValidate>
                  <CsrfField token={chrome.csrf} />
                  <TextArea name={field} label="Comment" value={comments[id] ?? ''} errors={errors} hint="Needed to reject: say what should change." rows={3} />
                  <button type="submit" className="button button--danger">
                    Reject and send back
                  </button>
                </form>
              </div>
            </section>
          );
        })}
      </>
    ),
  });
}

// ── Approval chains (admins) ────────────────────────────────────────────────

export const CHAIN_PLACES = 6;

function ChainForm({ chain, staff, csrf, errors, typed }: { chain: ChainView; staff: ChainsView['staff']; csrf: string; errors: FormError[]; typed: string[] | undefined }) {
  const id = `chain-${chain.scope}-${chain.key}`;
  const chosen = typed ?? chain.approvers.map((a) => String(a.id));
  const error = errors.find((e) => e.field === id)?.message;
  return (
    <form method="post" action="/staff/offers/approval-chains" className="offer-form">
      <CsrfField token={csrf} />
      <input type="hidden" name="scope" value={chain.scope} />
      <input type="hidden" name="key" value={chain.key} />
      <fieldset className="form-section" id={id} aria-describedby={error ? `${id}-error` : undefined}>
        <legend>Approvers of {chain.label}, in order</legend>
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            <span className="visually-hidden">Error: </span>
            {error}
          </p>
        ) : null}
        <div className="offer-chain__places">
          {Array.from({ length: CHAIN_PLACES }, (_, i) => (
            <div className="field" key={i}>
              <label htmlFor={`${id}-${i + 1}`}>Approver {i + 1}</label>
              <select id={`${id}-${i + 1}`} name="approver" defaultValue={chosen[i] ?? ''}>
                <option value="">— nobody —</option>
                {staff.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      </fieldset>
      <button type="submit" className="button button--solid">
        Save the chain<span className="visually-hidden"> of {chain.label}</span>
      </button>
    </form>
  );
}

function chainSummary(chain: ChainView): string {
  if (chain.approvers.length === 0) return 'no approval needed';
  return chain.approvers.map((a) => (a.disabled ? `${a.name} (disabled, skipped)` : a.name)).join(' → ');
}

export function approvalChainsPage({
  chrome,
  view,
  errors = [],
  typed,
  notice = null,
}: {
  chrome: StaffChrome;
  view: ChainsView;
  errors?: FormError[];
  /** The refused form as typed. */
  typed?: ChainFormState & { job?: string };
  notice?: string | null;
}): Page {
  const typedFor = (chain: ChainView) => (typed && typed.scope === chain.scope && typed.key === chain.key ? typed.approvers : undefined);
  const addingJob = typed?.scope === 'job' && !view.jobs.some((j) => j.key === typed.key);
  return staffPage({
    chrome,
    title: 'Offer approval chains',
    path: '/staff/offers/approval-chains',
    section: 'settings',
    errors,
    lead: 'Who approves offers before they go to candidates, in order. A job’s own chain wins over its team’s; with neither, an offer is approved when it is submitted. Changing a chain affects offers submitted afterwards.',
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <section aria-labelledby="teams-title">
          <h2 id="teams-title">Per team</h2>
          {view.teams.map((chain) => (
            <details key={chain.key} className="panel offer-chain" open={Boolean(typedFor(chain))}>
              <summary>
                <strong>{chain.label}</strong>: {chainSummary(chain)}
              </summary>
              <ChainForm chain={chain} staff={view.staff} csrf={chrome.csrf} errors={errors} typed={typedFor(chain)} />
            </details>
          ))}
        </section>
        <section aria-labelledby="jobs-title">
          <h2 id="jobs-title">Per job</h2>
          {view.jobs.length === 0 ? <p>No job has a chain of its own.</p> : null}
          {view.jobs.map((chain) => (
            <details key={chain.key} className="panel offer-chain" open={Boolean(typedFor(chain))}>
              <summary>
                <strong>{chain.label}</strong>: {chainSummary(chain)}
              </summary>
              <ChainForm chain={chain} staff={view.staff} csrf={chrome.csrf} errors={errors} typed={typedFor(chain)} />
              <p className="field__hint">Choose nobody in every place and save to remove the job’s chain: its team’s then applies.</p>
            </details>
          ))}
          <details className="panel offer-chain" open={addingJob}>
            <summary>
              <strong>Give a job its own chain</strong>
            </summary>
            <form method="post" action="/staff/offers/approval-chains" className="offer-form">
              <CsrfField token={chrome.csrf} />
              <input type="hidden" name="scope" value="job" />
              <Input name="job" label="Job id" value={addingJob ? (typed?.job ?? '') : ''} errors={errors} hint="The number in the job’s address, e.g. 100042." />
              <fieldset className="form-section" id="chain-job-new">
                <legend>Approvers, in order</legend>
                <FieldError errors={errors} field="chain-job-new" />
                <div className="offer-chain__places">
                  {Array.from({ length: CHAIN_PLACES }, (_, i) => (
                    <div className="field" key={i}>
                      <label htmlFor={`chain-job-new-${i + 1}`}>Approver {i + 1}</label>
                      <select id={`chain-job-new-${i + 1}`} name="approver" defaultValue={addingJob ? (typed?.approvers[i] ?? '') : ''}>
                        <option value="">— nobody —</option>
                        {view.staff.map((s) => (
                          <option key={s.id} value={String(s.id)}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                </div>
              </fieldset>
              <button type="submit" className="button button--solid">
                Save the job’s chain
              </button>
            </form>
          </details>
        </section>
      </>
    ),
  });
}
