import type { FormError } from '../../shared/contracts/account.ts';
import {
  MAX_PART_LENGTH,
  SIGNAL_LABELS,
  SIGNALS,
  STAR_HINTS,
  STAR_LABELS,
  STAR_PARTS,
  VOTE_HINTS,
  VOTE_LABELS,
  VOTES,
  type Evidence,
  type FeedbackContent,
  type Vote,
} from '../../domain/feedback.ts';
import { CsrfField } from '../account/forms.tsx';
import type { Page } from '../careers/pages.tsx';
import { feedbackFormPath, kitPath, loopFeedbackPath, roleLabel, WhenAndWhere, type InterviewWhen } from './kit.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** One submitted revision of someone's feedback. */
export interface SubmittedRevision {
  revision: number;
  submittedAt: Date;
  vote: Vote | null;
  evidence: Evidence[];
}

/** What the feedback form of one interview shows. */
export interface FeedbackFormView {
  interviewId: number;
  candidateLabel: string;
  jobTitle: string;
  role: string;
  when: InterviewWhen;
  cancelled: boolean;
  /** The loop is decided: feedback can no longer change. */
  closed: boolean;
  principles: Array<{ slug: string; name: string; summary: string }>;
  /** Names of the assigned principles and of any in earlier revisions, by slug. */
  principleNames: Record<string, string>;
  /** The working copy, or what was typed when a form is shown again. */
  content: FeedbackContent;
  status: 'not_started' | 'draft' | 'submitted';
  /** The latest submitted revision's number; 0 before the first submit. */
  revision: number;
  submittedAt: Date | null;
  /** When the working copy was last saved. */
  savedAt: Date | null;
  /** After a submit: the working copy differs from the submitted revision. */
  unsubmittedChanges: boolean;
  /** Every submitted revision, newest first. */
  revisions: SubmittedRevision[];
}

/** The loop's feedback as one reader may see it (src/domain/sealing.ts decided how much). */
export interface LoopFeedbackView {
  applicationId: number;
  candidateLabel: string;
  jobTitle: string;
  view: 'full' | 'status';
  debriefOpen: boolean;
  readerIsMember: boolean;
  principleNames: Record<string, string>;
  members: Array<{
    interviewId: number;
    interviewerId: number;
    name: string;
    role: string;
    cancelled: boolean;
    submitted: boolean;
    own: boolean;
    /** The latest submitted revision and the earlier ones; null when not submitted or not the reader's to see. */
    feedback: { latest: SubmittedRevision; earlier: SubmittedRevision[] } | null;
  }>;
}

/**
 * The name of a form field: `e.<principle>.<part or signal>` or `vote`. Errors use the same
 * names, plus `e.<principle>.evidence` for "no part written" (shown on the first part).
 */
export const evidenceName = (slug: string, part: string) => `e.${slug}.${part}`;

/** The id of the element a field's name points the error summary to (the first radio of a group). */
export function feedbackFieldId(name: string): string {
  if (name === 'vote') return `fb-vote-${VOTES[0]}`;
  const match = /^e\.([^.]+)\.([a-z_]+)$/.exec(name);
  if (!match) return name;
  const [, slug, part] = match;
  if (part === 'signal') return `fb-${slug}-signal-${SIGNALS[0]}`;
  return `fb-${slug}-${part === 'evidence' ? STAR_PARTS[0] : part}`;
}

const formatUtc = (at: Date) =>
  `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}, ${at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' })} UTC`;
const hhmm = (at: Date) => at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });

/** A moment in UTC, with its machine-readable time. */
export function At({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{formatUtc(at)}</time>;
}

/** A refused field's message, read out with an "Error:" prefix; nothing when the field is fine. */
export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

/**
 * The feedback form of one interview: per assigned principle the evidence in four parts and a
 * signal, then the overall vote. "Save draft" keeps it as typed; "Submit feedback" checks it
 * and adds a revision. With JavaScript, src/web/client/feedback.ts saves drafts as you type.
 */
export function feedbackFormPage({
  chrome,
  form: f,
  errors = [],
  notice = null,
  script,
}: {
  chrome: StaffChrome;
  form: FeedbackFormView;
  errors?: FormError[];
  notice?: string | null;
  script?: string | undefined;
}): Page {
  const path = feedbackFormPath(f.interviewId);
  // Errors arrive keyed by field name; the summary links to element ids.
  const byName = new Map(errors.map((e) => [e.field, e.message]));
  const summary = errors.map((e) => ({ field: e.field ? feedbackFieldId(e.field) : '', message: e.message }));
  const writable = !f.cancelled && !f.closed;
  return staffPage({
    chrome,
    title: `Feedback: ${f.candidateLabel}`,
    path,
    section: 'none',
    errors: summary,
    scripts: writable && script ? [script] : [],
    lead: (
      <>
        Your interview{f.role === 'interviewer' ? '' : ` as ${roleLabel(f.role).toLowerCase()}`} for {f.jobTitle}
      </>
    ),
    actions: (
      <a className="button button--outline" href={kitPath(f.interviewId)}>
        Interview kit
      </a>
    ),
    children: (
      <div className="feedback">
        <StatusLine form={f} notice={notice} />
        <WhenAndWhere when={f.when} cancelled={f.cancelled} />
        {f.closed ? <p className="notice">The loop is decided, so this feedback can no longer change.</p> : null}
        {writable ? (
          <form method="post" action={path} className="feedback-form" data-feedback-autosave="" data-draft-url={`${path}/draft`} noValidate>
            <CsrfField token={chrome.csrf} />
            <p className="field__hint">
              Write what the candidate said and did, not your impression of them. Each principle needs at least one part of the evidence and a signal; the
              feedback needs your overall vote. No one in the loop sees your feedback before they submit their own.
            </p>
            {f.principles.map((p, index) => {
              const e = f.content.evidence.find((x) => x.principle === p.slug);
              const evidenceError = byName.get(evidenceName(p.slug, 'evidence'));
              const signalError = byName.get(evidenceName(p.slug, 'signal'));
              return (
                <fieldset key={p.slug} className="form-section feedback-principle">
                  <legend>
                    {index + 1}. {p.name}
                  </legend>
                  {p.summary ? <p className="field__hint">{p.summary}</p> : null}
                  <FieldMessage id={`fb-${p.slug}-evidence-error`} message={evidenceError} />
                  {STAR_PARTS.map((part) => {
                    const id = `fb-${p.slug}-${part}`;
                    const tooLong = byName.get(evidenceName(p.slug, part));
                    const shown = part === 'situation' ? evidenceError : undefined;
                    const describedBy = [`${id}-hint`, shown ? `fb-${p.slug}-evidence-error` : '', tooLong ? `${id}-error` : ''].filter(Boolean).join(' ');
                    return (
                      <div key={part} className={tooLong || shown ? 'field field--error' : 'field'}>
                        <label htmlFor={id}>
                          {STAR_LABELS[part]}
                          <span className="visually-hidden"> ({p.name})</span>
                        </label>
                        <p className="field__hint" id={`${id}-hint`}>
                          {STAR_HINTS[part]}
                        </p>
                        <FieldMessage id={`${id}-error`} message={tooLong} />
                        <textarea
                          id={id}
                          name={evidenceName(p.slug, part)}
                          rows={4}
                          maxLength={MAX_PART_LENGTH}
                          defaultValue={e?.[part] ?? ''}
                          aria-describedby={describedBy}
                          aria-invalid={tooLong || shown ? true : undefined}
                        />
                      </div>
                    );
                  })}
                  <fieldset className="choice feedback-signal" aria-describedby={signalError ? `fb-${p.slug}-signal-error` : undefined}>
                    <legend>Signal for {p.name}</legend>
                    <FieldMessage id={`fb-${p.slug}-signal-error`} message={signalError} />
                    <div className="feedback-options">
                      {SIGNALS.map((s) => (
                        <div key={s} className="choice__option">
                          <input
                            type="radio"
                            id={`fb-${p.slug}-signal-${s}`}
                            name={evidenceName(p.slug, 'signal')}
                            value={s}
                            defaultChecked={e?.signal === s}
                          />
                          <label htmlFor={`fb-${p.slug}-signal-${s}`}>{SIGNAL_LABELS[s]}</label>
                        </div>
                      ))}
                    </div>
                  </fieldset>
                </fieldset>
              );
            })}
            <fieldset className="form-section feedback-vote" aria-describedby={byName.get('vote') ? 'fb-vote-error' : undefined}>
              <legend>Overall vote</legend>
              <FieldMessage id="fb-vote-error" message={byName.get('vote')} />
              {VOTES.map((v) => (
                <div key={v} className="choice__option">
                  <input type="radio" id={`fb-vote-${v}`} name="vote" value={v} defaultChecked={f.content.vote === v} />
                  <label htmlFor={`fb-vote-${v}`}>
                    {VOTE_LABELS[v]} <span className="field__hint feedback-vote__hint">— {VOTE_HINTS[v]}</span>
                  </label>
                </div>
              ))}
            </fieldset>
            <div className="feedback-actions">
              <button type="submit" name="intent" value="draft" className="button button--outline">
                Save draft
              </button>
              <button type="submit" name="intent" value="submit" className="button button--solid">
                {f.status === 'submitted' ? 'Submit a new revision' : 'Submit feedback'}
              </button>
            </div>
          </form>
        ) : null}
        <RevisionHistory revisions={f.revisions} names={f.principleNames} />
      </div>
    ),
  });
}

function StatusLine({ form: f, notice }: { form: FeedbackFormView; notice: string | null }) {
  const standing =
    f.status === 'submitted' && f.submittedAt
      ? f.unsubmittedChanges
        ? `Revision ${f.revision} is submitted. You have changes that are not submitted: the loop sees revision ${f.revision} until you submit again.`
        : `Submitted: revision ${f.revision}.`
      : f.status === 'draft'
        ? 'Draft: not submitted yet.'
        : 'Not started.';
  return (
    <div className="feedback-status">
      <p className="feedback-status__standing">{standing}</p>
      {/* The enhancement script writes "Draft saved at HH:MM" here; the server writes its notices here too. */}
      <p id="feedback-live" className="feedback-status__live" role="status" aria-live="polite">
        {notice ?? ''}
      </p>
    </div>
  );
}

/** The evidence of one feedback, read-only: per principle its signal and the four STAR parts. Shared with the debrief. */
export function EvidenceList({ evidence, names, headingLevel }: { evidence: Evidence[]; names: Record<string, string>; headingLevel: 3 | 4 | 5 }) {
  const Heading = (['h3', 'h4', 'h5'] as const)[headingLevel - 3]!;
  return (
    <>
      {evidence.map((e) => (
        <div key={e.principle} className="feedback-evidence">
          <Heading className="feedback-evidence__title">
            {names[e.principle] ?? e.principle}: <span className="status-tag">{e.signal ? SIGNAL_LABELS[e.signal] : 'No signal'}</span>
          </Heading>
          <dl className="feedback-star">
            {STAR_PARTS.map((part) => (
              <div key={part}>
                <dt>{STAR_LABELS[part]}</dt>
                <dd>{e[part].trim() ? e[part] : <span className="feedback-star__none">Nothing written</span>}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </>
  );
}

function RevisionHistory({ revisions, names }: { revisions: SubmittedRevision[]; names: Record<string, string> }) {
  return (
    <section className="panel feedback-history" aria-labelledby="feedback-history-title">
      <h2 id="feedback-history-title">Your submitted revisions</h2>
      {revisions.length === 0 ? (
        <p>Nothing submitted yet.</p>
      ) : (
        <ul className="feedback-revisions">
          {revisions.map((r) => (
            <li key={r.revision}>
              <details>
                <summary>
                  Revision {r.revision}, submitted <At at={r.submittedAt} /> · {r.vote ? VOTE_LABELS[r.vote] : 'no vote'}
                </summary>
                <EvidenceList evidence={r.evidence} names={names} headingLevel={3} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One interview in the "who has submitted" table: whether its feedback is in, never what it says. */
export interface SubmissionRow {
  interviewId: number;
  name: string;
  role: string;
  cancelled: boolean;
  submitted: boolean;
  own: boolean;
}

/**
 * Who has submitted, interview by interview, with a link to the reader's own feedback form. The
 * loop feedback page links a name to its feedback below and offers to revise; the debrief only
 * offers to write a missing one.
 */
export function SubmittedTable<Row extends SubmissionRow>({
  titleId,
  column,
  words,
  rows,
  anchor = () => null,
  revise = false,
}: {
  titleId: string;
  column: string;
  words: { done: string; missing: string };
  rows: Row[];
  anchor?: (row: Row) => string | null;
  revise?: boolean;
}) {
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Who has submitted</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Interviewer</th>
            <th scope="col">Role</th>
            <th scope="col">{column}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const href = anchor(r);
            const ownLink = r.own && !r.cancelled ? (r.submitted ? (revise ? 'Revise yours' : null) : 'Write yours') : null;
            return (
              <tr key={r.interviewId}>
                <th scope="row">
                  {href ? <a href={href}>{r.name}</a> : r.name}
                  {r.own ? ' (you)' : ''}
                </th>
                <td>
                  {roleLabel(r.role)}
                  {r.cancelled ? ' (cancelled)' : ''}
                </td>
                <td>
                  {r.cancelled ? 'Not needed' : r.submitted ? words.done : words.missing}
                  {ownLink ? (
                    <>
                      {' · '}
                      <a href={feedbackFormPath(r.interviewId)}>{ownLink}</a>
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The notice after saving a draft without JavaScript. */
export const draftSavedNotice = (at: Date) => `Draft saved at ${hhmm(at)} UTC.`;

/**
 * A loop's feedback, sealed: under "status" only who has submitted (and the reader's own
 * feedback); under "full" every submitted feedback with its evidence, vote and earlier revisions.
 */
export function loopFeedbackPage({ chrome, loop }: { chrome: StaffChrome; loop: LoopFeedbackView }): Page {
  const shown = loop.members.filter((m) => m.feedback);
  const explain =
    loop.view === 'full'
      ? loop.debriefOpen
        ? 'The debrief is open: every submitted feedback is shown.'
        : 'You have submitted your own feedback, so every submitted feedback is shown.'
      : loop.readerIsMember
        ? 'Feedback is sealed: you see who has submitted, and your own feedback. Everyone else’s opens to you once you submit yours, or when the debrief opens.'
        : 'Feedback is sealed: you see who has submitted. The feedback itself opens when the debrief opens.';
  return staffPage({
    chrome,
    title: `Loop feedback: ${loop.candidateLabel}`,
    path: loopFeedbackPath(loop.applicationId),
    section: 'none',
    lead: <>For {loop.jobTitle}</>,
    actions: (
      <a className="button button--outline" href={`/staff/applications/${loop.applicationId}/debrief`}>
        Debrief room
      </a>
    ),
    children: (
      <div className="feedback">
        <p className="notice">{explain}</p>
        <SubmittedTable
          titleId="loop-status-title"
          column="Submitted"
          words={{ done: 'Yes', missing: 'No' }}
          rows={loop.members}
          anchor={(m) => (m.feedback ? `#feedback-${m.interviewId}` : null)}
          revise
        />
        {shown.map((m) => {
          const fb = m.feedback!;
          return (
            <section key={m.interviewId} id={`feedback-${m.interviewId}`} className="panel feedback-read" aria-labelledby={`feedback-${m.interviewId}-title`}>
              <h2 id={`feedback-${m.interviewId}-title`}>
                {m.name}
                {m.own ? ' (you)' : ''} · {roleLabel(m.role)}
              </h2>
              <p>
                <strong>Vote: {fb.latest.vote ? VOTE_LABELS[fb.latest.vote] : 'none'}</strong> · revision {fb.latest.revision}, submitted <At at={fb.latest.submittedAt} />
              </p>
              <EvidenceList evidence={fb.latest.evidence} names={loop.principleNames} headingLevel={3} />
              {fb.earlier.length ? (
                <details className="feedback-earlier">
                  <summary>Earlier revisions ({fb.earlier.length})</summary>
                  {fb.earlier.map((r) => (
                    <div key={r.revision} className="feedback-earlier__revision">
                      <h3>
                        Revision {r.revision}, submitted <At at={r.submittedAt} /> · {r.vote ? VOTE_LABELS[r.vote] : 'no vote'}
                      </h3>
                      <EvidenceList evidence={r.evidence} names={loop.principleNames} headingLevel={4} />
                    </div>
                  ))}
                </details>
              ) : null}
            </section>
          );
        })}
      </div>
    ),
  });
}
