import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { LEVELS, levelLabel } from '../../shared/contracts/jobs.ts';
import { DECISION_LABELS, DECISIONS, type Decision } from '../../domain/debrief.ts';
import { SIGNAL_LABELS, VOTE_LABELS, VOTES, type Evidence, type Signal, type Vote } from '../../domain/feedback.ts';
import { CsrfField, LabelledField } from '../account/forms.tsx';
import type { Page } from '../careers/pages.tsx';
import { At, EvidenceList, FieldMessage, SubmittedTable, type SubmissionRow } from './feedback.tsx';
import { loopFeedbackPath, roleLabel } from './kit.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** One interviewer's latest submitted feedback, as the debrief shows it. */
export interface DebriefFeedback {
  interviewId: number;
  interviewerId: number;
  name: string;
  role: string;
  own: boolean;
  revision: number;
  submittedAt: Date;
  vote: Vote | null;
  evidence: Evidence[];
}

/** A member of the loop in the votes table. */
export interface DebriefMember {
  id: number;
  name: string;
  /** Their roles in the loop ("hiring_manager" alone for a hiring manager who does not interview). */
  roles: string[];
  own: boolean;
  /** The vote of their submitted feedback; null without one (no interview, or nothing submitted). */
  firstVote: Vote | null;
  finalVote: Vote | null;
  reason: string | null;
}

/** What the debrief page of an application's loop shows one reader. */
export interface DebriefView {
  applicationId: number;
  candidateLabel: string;
  jobTitle: string;
  jobLevel: number;
  open: boolean;
  opened: { at: Date; byName: string | null; earlyReason: string | null } | null;
  /** Interviews that are not cancelled, and how many of them have submitted feedback. */
  counts: { interviews: number; submitted: number };
  /** Who has submitted, interview by interview (never what). */
  interviews: SubmissionRow[];
  reader: {
    isMember: boolean;
    isBarRaiser: boolean;
    /** The "Open the debrief" button: every feedback is in and the reader is a member. */
    mayOpen: boolean;
    /** The bar raiser's "Open the debrief early" form. */
    mayOpenEarly: boolean;
    mayVote: boolean;
    mayDecide: boolean;
  };
  /** Once open: principles in the grid's order, with names. */
  principles: Array<{ slug: string; name: string }>;
  feedback: DebriefFeedback[];
  members: DebriefMember[];
  decision: {
    decision: Decision;
    level: number | null;
    recycleJob: { id: number; title: string } | null;
    recycledApplicationId: number | null;
    note: string | null;
    memo: string;
    at: Date;
    byName: string | null;
    secondsToDecision: number | null;
  } | null;
  /** For the bar raiser's recycle choice: open jobs other than this one. */
  openJobs: Array<{ id: number; title: string }>;
  /** A recycled loop: the feedback of the loop it came from, when the sealing rule lets the reader see it. */
  earlier: {
    applicationId: number;
    jobTitle: string;
    decision: Decision | null;
    /** False while the reader may not see it yet (they see why instead). */
    shown: boolean;
    principles: Array<{ slug: string; name: string }>;
    feedback: DebriefFeedback[];
  } | null;
}

/** What the forms were given, kept when a form is shown again. */
export interface DebriefFormState {
  earlyReason?: string;
  vote?: string;
  reason?: string;
  decision?: string;
  level?: string;
  recycleJob?: string;
  note?: string;
  memo?: string;
}

export const debriefPath = (applicationId: number) => `/staff/applications/${applicationId}/debrief`;

/** Field ids the error summary links to. */
export const DEBRIEF_FIELDS = {
  earlyReason: 'debrief-early-reason',
  vote: `debrief-vote-${VOTES[0]}`,
  reason: 'debrief-vote-reason',
  decision: `debrief-decision-${DECISIONS[0]}`,
  level: 'debrief-level',
  recycleJob: 'debrief-recycle-job',
  note: 'debrief-note',
  memo: 'debrief-memo',
} as const;

/** "2 days 3 hours", "45 minutes": how long the decision took after the last interview. */
export function durationWords(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const part = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${part(days, 'day')} ${part(hours, 'hour')}` : part(days, 'day');
  if (hours > 0) return minutes > 0 ? `${part(hours, 'hour')} ${part(minutes, 'minute')}` : part(hours, 'hour');
  return part(minutes, 'minute');
}

/** The decision in words: "Hire at level 5 (Senior)", "No hire", "Recycle: considered for …". */
export function decisionWords(d: { decision: Decision; level: number | null; recycleJob: { title: string } | null }): string {
  if (d.decision === 'hire') return d.level ? `Hire at level ${d.level} (${levelLabel(d.level)})` : 'Hire';
  if (d.decision === 'no_hire') return 'No hire';
  return d.recycleJob ? `Recycle: considered for ${d.recycleJob.title}` : 'Recycle';
}

/** The message of a refused field, or undefined. */
const messageOf = (errors: FormError[], field: string) => errors.find((e) => e.field === field)?.message;

const roleWords = (roles: string[]) => roles.map((r) => (r === 'hiring_manager_only' ? 'Hiring manager (not interviewing)' : roleLabel(r))).join(', ');

/**
 * The debrief room of an application's loop. Before it opens: who has submitted (never what)
 * and the way to open it. Once open: every submitted feedback side by side, the principle ×
 * interviewer grid of signals, first and final votes, the vote form for members and the
 * decision form for the bar raiser; once decided, the decision, which stands.
 */
export function debriefPage({
  chrome,
  view: v,
  errors = [],
  form = {},
  notice = null,
}: {
  chrome: StaffChrome;
  view: DebriefView;
  errors?: FormError[];
  form?: DebriefFormState;
  notice?: string | null;
}): Page {
  return staffPage({
    chrome,
    title: `Debrief: ${v.candidateLabel}`,
    path: debriefPath(v.applicationId),
    section: 'none',
    errors,
    wide: v.open,
    lead: <>For {v.jobTitle}</>,
    actions: (
      <a className="button button--outline" href={loopFeedbackPath(v.applicationId)}>
        Loop feedback
      </a>
    ),
    children: (
      <div className="debrief">
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {v.open ? <OpenRoom v={v} csrf={chrome.csrf} errors={errors} form={form} /> : <Sealed v={v} csrf={chrome.csrf} errors={errors} form={form} />}
        {v.earlier ? <EarlierLoop earlier={v.earlier} /> : null}
      </div>
    ),
  });
}

function Sealed({ v, csrf, errors, form }: { v: DebriefView; csrf: string; errors: FormError[]; form: DebriefFormState }) {
  const allIn = v.counts.interviews > 0 && v.counts.submitted >= v.counts.interviews;
  return (
    <>
      <p className="notice">
        The debrief has not opened yet. Feedback stays sealed until it does: here you see only who has submitted ({v.counts.submitted} of {v.counts.interviews}).
        {allIn ? ' Every feedback is in, so anyone in the loop can open the debrief.' : ' It opens when every feedback is in, or earlier when the bar raiser opens it with a reason.'}
      </p>
      <WhoHasSubmitted v={v} />
      {v.reader.mayOpen ? (
        <section className="panel" aria-labelledby="debrief-open-title">
          <h2 id="debrief-open-title">Open the debrief</h2>
          <p>Everyone in the loop and the job’s recruiters are emailed a link. Once it is open, everyone on the loop sees all the feedback.</p>
          <form method="post" action={`${debriefPath(v.applicationId)}/open`}>
            <CsrfField token={csrf} />
            <button type="submit" className="button button--solid">
              Open the debrief
            </button>
          </form>
        </section>
      ) : null}
      {v.reader.mayOpenEarly ? (
        <section className="panel" aria-labelledby="debrief-early-title">
          <h2 id="debrief-early-title">Open the debrief early</h2>
          <form method="post" action={`${debriefPath(v.applicationId)}/open`} noValidate>
            <CsrfField token={csrf} />
            <LabelledField
              name={DEBRIEF_FIELDS.earlyReason}
              label="Why it opens before every feedback is in"
              hint={
                <>
                  As the bar raiser you may open it with {v.counts.interviews - v.counts.submitted} feedback still missing. Your reason is kept with the debrief and in the audit log.
                </>
              }
              errors={errors}
              control={(props) => <textarea {...props} name="earlyReason" rows={3} maxLength={2000} required defaultValue={form.earlyReason ?? ''} />}
            />
            <button type="submit" className="button button--solid">
              Open the debrief early
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}

function WhoHasSubmitted({ v }: { v: DebriefView }) {
  return <SubmittedTable titleId="debrief-submitted-title" column="Feedback" words={{ done: 'Submitted', missing: 'Not yet' }} rows={v.interviews} />;
}

function OpenRoom({ v, csrf, errors, form }: { v: DebriefView; csrf: string; errors: FormError[]; form: DebriefFormState }) {
  const opened = v.opened;
  return (
    <>
      {opened ? (
        <p className="notice">
          The debrief opened <At at={opened.at} />
          {opened.byName ? `, opened by ${opened.byName}` : ''}.
          {opened.earlyReason ? ` It opened before every feedback was in (${v.counts.submitted} of ${v.counts.interviews}): “${opened.earlyReason}”` : ''}
        </p>
      ) : null}
      {v.decision ? <DecisionPanel v={v} /> : null}
      <div className="debrief-top">
        <VotesTable v={v} />
        <div className="debrief-forms">
          {v.reader.mayVote ? <VoteForm v={v} csrf={csrf} errors={errors} form={form} /> : null}
          {v.reader.mayDecide ? <DecisionForm v={v} csrf={csrf} errors={errors} form={form} /> : null}
          {!v.decision && !v.reader.isBarRaiser ? <p className="field__hint">The bar raiser records the decision. A no hire from the bar raiser cannot be overridden.</p> : null}
        </div>
      </div>
      <SignalGrid principles={v.principles} feedback={v.feedback} id="debrief-grid" caption="Signals by principle and interviewer" />
      <SideBySide feedback={v.feedback} principles={v.principles} id="debrief-feedback" title="All submitted feedback" />
      <WhoHasSubmitted v={v} />
    </>
  );
}

function DecisionPanel({ v }: { v: DebriefView }) {
  const d = v.decision!;
  return (
    <section className="panel debrief-decision" aria-labelledby="debrief-decision-title">
      <h2 id="debrief-decision-title">Decision: {decisionWords(d)}</h2>
      <p>
        Recorded by {d.byName ?? 'the bar raiser'} on <At at={d.at} />
        {d.secondsToDecision !== null ? `, ${durationWords(d.secondsToDecision)} after the last interview` : ''}.{' '}
        <strong>{d.decision === 'no_hire' ? 'The bar raiser’s no hire stands: nobody can override it.' : 'The decision stands and cannot be changed.'}</strong>
      </p>
      {d.decision === 'recycle' && d.recycledApplicationId ? (
        <p>
          A new application (#{d.recycledApplicationId}) for {d.recycleJob?.title ?? 'the chosen job'} was made; its loop sees this loop’s feedback.
        </p>
      ) : null}
      {d.note ? (
        <>
          <h3>Note on the other job or level</h3>
          <p className="debrief-text">{d.note}</p>
        </>
      ) : null}
      <h3>Decision memo</h3>
      <p className="debrief-text">{d.memo}</p>
    </section>
  );
}

function VoteText({ vote, closed }: { vote: Vote | null; closed: boolean }) {
  return vote ? <>{VOTE_LABELS[vote]}</> : <span className="debrief-none">{closed ? 'None recorded' : 'Not yet'}</span>;
}

function VotesTable({ v }: { v: DebriefView }) {
  return (
    <section className="panel" aria-labelledby="debrief-votes-title">
      <h2 id="debrief-votes-title">Votes</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">First vote (in their feedback)</th>
            <th scope="col">Final vote</th>
          </tr>
        </thead>
        <tbody>
          {v.members.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                {m.name}
                {m.own ? ' (you)' : ''}
                <span className="debrief-role">{roleWords(m.roles)}</span>
              </th>
              <td>{m.firstVote ? VOTE_LABELS[m.firstVote] : <span className="debrief-none">{m.roles.includes('hiring_manager_only') ? 'None (did not interview)' : 'None submitted'}</span>}</td>
              <td>
                <VoteText vote={m.finalVote} closed={v.decision !== null} />
                {m.finalVote && m.firstVote && m.finalVote !== m.firstVote ? (
                  <>
                    {' '}
                    <span className="status-tag">Changed</span>
                    {m.reason ? <span className="debrief-reason">Why: {m.reason}</span> : null}
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function VoteForm({ v, csrf, errors, form }: { v: DebriefView; csrf: string; errors: FormError[]; form: DebriefFormState }) {
  const me = v.members.find((m) => m.own);
  const chosen = form.vote ?? me?.finalVote ?? me?.firstVote ?? '';
  const voteError = messageOf(errors, DEBRIEF_FIELDS.vote);
  return (
    <section className="panel" aria-labelledby="debrief-vote-title">
      <h2 id="debrief-vote-title">{me?.finalVote ? 'Change your final vote' : 'Your final vote'}</h2>
      <form method="post" action={`${debriefPath(v.applicationId)}/vote`} noValidate>
        <CsrfField token={csrf} />
        <fieldset className="choice" aria-describedby={voteError ? 'debrief-vote-error' : 'debrief-vote-hint'}>
          <legend>Final vote</legend>
          <p className="field__hint" id="debrief-vote-hint">
            {me?.firstVote ? `Your feedback voted ${VOTE_LABELS[me.firstVote].toLowerCase()}. A different final vote needs a reason.` : 'You have no vote in submitted feedback, so no reason is needed.'}
          </p>
          <FieldMessage id="debrief-vote-error" message={voteError} />
          {VOTES.map((vote) => (
            <div key={vote} className="choice__option">
              <input type="radio" id={`debrief-vote-${vote}`} name="vote" value={vote} defaultChecked={chosen === vote} />
              <label htmlFor={`debrief-vote-${vote}`}>{VOTE_LABELS[vote]}</label>
            </div>
          ))}
        </fieldset>
        <LabelledField
          name={DEBRIEF_FIELDS.reason}
          label={
            <>
              Why your vote changed <span className="field__optional">(only when it differs from your feedback)</span>
            </>
          }
          errors={errors}
          control={(props) => <textarea {...props} name="reason" rows={3} maxLength={2000} defaultValue={form.reason ?? me?.reason ?? ''} />}
        />
        <button type="submit" className="button button--solid">
          Record my final vote
        </button>
      </form>
    </section>
  );
}

function DecisionForm({ v, csrf, errors, form }: { v: DebriefView; csrf: string; errors: FormError[]; form: DebriefFormState }) {
  const decisionError = messageOf(errors, DEBRIEF_FIELDS.decision);
  const level = form.level ?? String(v.jobLevel);
  return (
    <section className="panel" aria-labelledby="debrief-decide-title">
      <h2 id="debrief-decide-title">Record the decision</h2>
      <p>As the bar raiser you record the decision, once. It is final: nobody, you included, can change it afterwards.</p>
      <form method="post" action={`${debriefPath(v.applicationId)}/decide`} noValidate className="debrief-decide">
        <CsrfField token={csrf} />
        <fieldset className="choice" aria-describedby={decisionError ? 'debrief-decision-error' : undefined}>
          <legend>Decision</legend>
          <FieldMessage id="debrief-decision-error" message={decisionError} />
          {DECISIONS.map((d) => (
            <div key={d} className="choice__option">
              <input type="radio" id={`debrief-decision-${d}`} name="decision" value={d} defaultChecked={form.decision === d} />
              <label htmlFor={`debrief-decision-${d}`}>{DECISION_LABELS[d]}</label>
            </div>
          ))}
        </fieldset>
        <fieldset className="form-section">
          <legend>For a hire</legend>
          <LabelledField
            name={DEBRIEF_FIELDS.level}
            label="Level to hire at"
            hint={
              <>
                The job is at level {v.jobLevel} ({levelLabel(v.jobLevel)}).
              </>
            }
            errors={errors}
            control={(props) => (
              <select {...props} name="level" defaultValue={level}>
                {LEVELS.map((l) => (
                  <option key={l.value} value={String(l.value)}>
                    {l.value} — {l.label}
                  </option>
                ))}
              </select>
            )}
          />
        </fieldset>
        <fieldset className="form-section">
          <legend>For a recycle</legend>
          <LabelledField
            name={DEBRIEF_FIELDS.recycleJob}
            label="Job to consider the candidate for"
            hint={v.openJobs.length ? 'Open jobs other than this one. A new application is made for it, and its loop sees this loop’s feedback.' : 'There is no other open job at the moment.'}
            errors={errors}
            control={(props) => (
              <select {...props} name="recycleJob" defaultValue={form.recycleJob ?? ''}>
                <option value="">Choose a job</option>
                {v.openJobs.map((j) => (
                  <option key={j.id} value={String(j.id)}>
                    {j.title} (#{j.id})
                  </option>
                ))}
              </select>
            )}
          />
          <LabelledField
            name={DEBRIEF_FIELDS.note}
            label="Note: why the candidate fits that job or level"
            errors={errors}
            control={(props) => <textarea {...props} name="note" rows={3} maxLength={4000} defaultValue={form.note ?? ''} />}
          />
        </fieldset>
        <LabelledField
          name={DEBRIEF_FIELDS.memo}
          label="Decision memo"
          hint="The evidence the decision rests on, principle by principle. It is kept with the debrief."
          errors={errors}
          control={(props) => <textarea {...props} name="memo" rows={6} maxLength={20000} required defaultValue={form.memo ?? ''} />}
        />
        <button type="submit" className="button button--solid">
          Record the decision
        </button>
      </form>
    </section>
  );
}

const SIGNAL_CLASS: Record<Signal, string> = {
  strong: 'debrief-signal--strong',
  good: 'debrief-signal--good',
  mixed: 'debrief-signal--mixed',
  concerning: 'debrief-signal--concerning',
  not_assessed: 'debrief-signal--none',
};

/** The principle × interviewer grid: the signal in words in each cell (the shading only repeats it). */
function SignalGrid({
  principles,
  feedback,
  id,
  caption,
  nested = false,
}: {
  principles: Array<{ slug: string; name: string }>;
  feedback: DebriefFeedback[];
  id: string;
  caption: string;
  /** Inside another h2 section: headings one level down. */
  nested?: boolean;
}) {
  if (feedback.length === 0) return <p>No feedback was submitted.</p>;
  const Heading = nested ? 'h3' : 'h2';
  return (
    <section className="panel debrief-grid" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`}>{caption}</Heading>
      <div className="debrief-scroll" role="region" aria-labelledby={`${id}-title`} tabIndex={0}>
        <table className="data-table debrief-grid__table">
          <caption className="visually-hidden">{caption}: each row a principle, each column an interviewer; an empty cell means the principle was not theirs to assess.</caption>
          <thead>
            <tr>
              <th scope="col">Principle</th>
              {feedback.map((f) => (
                <th key={f.interviewId} scope="col">
                  {f.name}
                  <span className="debrief-role">{roleLabel(f.role)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {principles.map((p) => (
              <tr key={p.slug}>
                <th scope="row">{p.name}</th>
                {feedback.map((f) => {
                  const e = f.evidence.find((x) => x.principle === p.slug);
                  if (!e) {
                    return (
                      <td key={f.interviewId} className="debrief-signal debrief-signal--absent">
                        <span aria-hidden="true">—</span>
                        <span className="visually-hidden">Not assigned</span>
                      </td>
                    );
                  }
                  return (
                    <td key={f.interviewId} className={`debrief-signal ${e.signal ? SIGNAL_CLASS[e.signal] : 'debrief-signal--none'}`}>
                      {e.signal ? SIGNAL_LABELS[e.signal] : 'No signal'}
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">Vote</th>
              {feedback.map((f) => (
                <td key={f.interviewId}>
                  <strong>{f.vote ? VOTE_LABELS[f.vote] : 'None'}</strong>
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Every submitted feedback in columns, each with its evidence per principle in STAR parts. */
function SideBySide({
  feedback,
  principles,
  id,
  title,
  nested = false,
}: {
  feedback: DebriefFeedback[];
  principles: Array<{ slug: string; name: string }>;
  id: string;
  title: string;
  nested?: boolean;
}) {
  if (feedback.length === 0) return null;
  const names = Object.fromEntries(principles.map((p) => [p.slug, p.name]));
  const [Title, Card] = nested ? (['h3', 'h4'] as const) : (['h2', 'h3'] as const);
  return (
    <section aria-labelledby={`${id}-title`}>
      <Title id={`${id}-title`}>{title}</Title>
      <div className="debrief-columns" role="region" aria-labelledby={`${id}-title`} tabIndex={0}>
        {feedback.map((f) => (
          <article key={f.interviewId} className="panel debrief-card" aria-labelledby={`${id}-${f.interviewId}`}>
            <Card id={`${id}-${f.interviewId}`}>
              {f.name}
              {f.own ? ' (you)' : ''}
              <span className="debrief-role">{roleLabel(f.role)}</span>
            </Card>
            <p>
              <strong>Vote: {f.vote ? VOTE_LABELS[f.vote] : 'none'}</strong>
              <br />
              Revision {f.revision}, submitted <At at={f.submittedAt} />
            </p>
            <EvidenceList evidence={f.evidence} names={names} headingLevel={nested ? 5 : 4} />
          </article>
        ))}
      </div>
    </section>
  );
}

function EarlierLoop({ earlier }: { earlier: NonNullable<DebriefView['earlier']> }) {
  let body: ReactNode;
  if (!earlier.shown) {
    body = <p>It is sealed like this loop’s feedback: it opens to you once you have submitted your own feedback in this loop, or when this loop’s debrief opens.</p>;
  } else {
    body = (
      <>
        <SignalGrid principles={earlier.principles} feedback={earlier.feedback} id="debrief-earlier-grid" caption="Signals in the earlier loop" nested />
        <SideBySide feedback={earlier.feedback} principles={earlier.principles} id="debrief-earlier-feedback" title="Feedback in the earlier loop" nested />
      </>
    );
  }
  return (
    <section className="debrief-earlier" aria-labelledby="debrief-earlier-title">
      <h2 id="debrief-earlier-title">Feedback from the earlier loop</h2>
      <p>
        This application was recycled from application #{earlier.applicationId} for {earlier.jobTitle}
        {earlier.decision ? ` (decision: ${DECISION_LABELS[earlier.decision].toLowerCase()})` : ''}.
      </p>
      {body}
    </section>
  );
}
