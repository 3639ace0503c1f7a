import type { Page } from '../careers/pages.tsx';
import { NameList, staffPage, type StaffChrome } from './layout.tsx';

/** An interview's time and place, as booked. */
export interface InterviewWhen {
  startsAt: Date | null;
  durationMinutes: number | null;
  /** The IANA zone it was booked in, to show it as it was chosen; null shows UTC only. */
  timeZone: string | null;
  room: string | null;
  /** Only http(s) addresses reach the view. */
  videoUrl: string | null;
}

export interface KitPrinciple {
  slug: string;
  name: string;
  summary: string;
  questions: Array<{ question: string; followUps: string[]; strongEvidence: string }>;
}

/** What an interview kit shows. It never carries anyone's feedback. */
export interface KitView {
  interviewId: number;
  applicationId: number;
  role: string;
  cancelled: boolean;
  when: InterviewWhen;
  interviewerName: string;
  /** The kit is the reader's own interview: it links to their feedback form. */
  isMine: boolean;
  /** Where the reader's own feedback stands (their interview only). */
  myFeedback: { status: 'not_started' | 'draft' | 'submitted'; revision: number } | null;
  /** The reader may open the loop's feedback page (what it shows is sealed there). */
  mayReadFeedback: boolean;
  job: { title: string; teamName: string | null; level: number };
  candidate: {
    /** The name, or "Candidate #id" while anonymized screening hides it. */
    label: string;
    anonymized: boolean;
    location: string | null;
    links: Array<{ label: string; url: string }>;
    answers: Array<{ label: string; value: string }>;
    /** The resume's text (anonymized when the candidate is); null without a resume. */
    resumeText: string | null;
  };
  principles: KitPrinciple[];
  /** The loop's other interviews: who, in what role, covering which principles. */
  others: Array<{ name: string; role: string; principles: string[]; cancelled: boolean }>;
}

export const INTERVIEW_ROLE_LABELS: Record<string, string> = {
  interviewer: 'Interviewer',
  bar_raiser: 'Bar raiser',
  hiring_manager: 'Hiring manager',
  shadow: 'Shadow',
};

export const roleLabel = (role: string) => INTERVIEW_ROLE_LABELS[role] ?? role.replace(/_/g, ' ');

export const kitPath = (interviewId: number) => `/staff/interviews/${interviewId}/kit`;
export const feedbackFormPath = (interviewId: number) => `/staff/interviews/${interviewId}/feedback`;
export const loopFeedbackPath = (applicationId: number) => `/staff/applications/${applicationId}/feedback`;

/** "Tuesday 10 June 2025, 09:00 (Europe/Berlin)", or in UTC when the zone is unknown. */
export function formatInterviewTime(at: Date, timeZone: string | null): string {
  const zone = timeZone && validZone(timeZone) ? timeZone : 'UTC';
  const date = at.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: zone });
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone });
  return `${date}, ${time} (${zone === 'UTC' ? 'UTC' : zone})`;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** When and where, in words; shared with the feedback form. */
export function WhenAndWhere({ when, cancelled }: { when: InterviewWhen; cancelled: boolean }) {
  if (cancelled) return <p className="notice">This interview was cancelled.</p>;
  return (
    <dl className="facts kit-when">
      <div>
        <dt>When</dt>
        <dd>
          {when.startsAt ? (
            <>
              <time dateTime={when.startsAt.toISOString()}>{formatInterviewTime(when.startsAt, when.timeZone)}</time>
              {when.durationMinutes ? `, ${when.durationMinutes} minutes` : ''}
            </>
          ) : (
            'Not scheduled yet'
          )}
        </dd>
      </div>
      <div>
        <dt>Where</dt>
        <dd>
          {when.room ? when.room : null}
          {when.room && when.videoUrl ? ' · ' : null}
          {when.videoUrl ? <a href={when.videoUrl}>Video call link</a> : null}
          {!when.room && !when.videoUrl ? 'Not set yet' : null}
        </dd>
      </div>
    </dl>
  );
}

/** The content of a kit, shared by the workspace page and the print view. */
function KitContent({ kit }: { kit: KitView }) {
  const c = kit.candidate;
  return (
    <>
      <section className="kit-section" aria-labelledby="kit-interview">
        <h2 id="kit-interview">The interview</h2>
        <p>
          {kit.interviewerName} · {roleLabel(kit.role)} · for {kit.job.title}
          {kit.job.teamName ? ` (${kit.job.teamName})` : ''}, level {kit.job.level}
        </p>
        <WhenAndWhere when={kit.when} cancelled={kit.cancelled} />
      </section>

      <section className="kit-section" aria-labelledby="kit-principles">
        <h2 id="kit-principles">Principles to assess</h2>
        {kit.principles.length === 0 ? <p>No principles are assigned to this interview yet.</p> : null}
        {kit.principles.map((p) => (
          <article key={p.slug} className="kit-principle" aria-labelledby={`kit-p-${p.slug}`}>
            <h3 id={`kit-p-${p.slug}`}>{p.name}</h3>
            {p.summary ? <p className="kit-principle__summary">{p.summary}</p> : null}
            {p.questions.length === 0 ? (
              <p className="kit-principle__empty">No questions in the bank for this principle yet</p>
            ) : (
              <ol className="kit-questions">
                {p.questions.map((q, i) => (
                  <li key={i} className="kit-question">
                    <p className="kit-question__text">{q.question}</p>
                    {q.followUps.length ? (
                      <>
                        <p className="kit-question__label">Follow-ups</p>
                        <ul className="kit-question__followups">
                          {q.followUps.map((f, j) => (
                            <li key={j}>{f}</li>
                          ))}
                        </ul>
                      </>
                    ) : null}
                    {q.strongEvidence ? (
                      <p className="kit-question__strong">
                        <strong>Strong evidence: </strong>
                        {q.strongEvidence}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </article>
        ))}
      </section>

      <section className="kit-section" aria-labelledby="kit-loop">
        <h2 id="kit-loop">The rest of the loop</h2>
        {kit.others.length === 0 ? (
          <p>No other interviews in this loop.</p>
        ) : (
          <table className="data-table">
            <caption className="visually-hidden">Who else interviews the candidate and which principles they cover</caption>
            <thead>
              <tr>
                <th scope="col">Interviewer</th>
                <th scope="col">Role</th>
                <th scope="col">Principles they cover</th>
              </tr>
            </thead>
            <tbody>
              {kit.others.map((o, i) => (
                <tr key={i}>
                  <th scope="row">{o.name}</th>
                  <td>
                    {roleLabel(o.role)}
                    {o.cancelled ? ' (cancelled)' : ''}
                  </td>
                  <td><NameList names={o.principles} empty="None assigned" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="kit-section" aria-labelledby="kit-candidate">
        <h2 id="kit-candidate">The candidate</h2>
        {c.anonymized ? (
          <p className="notice">
            <strong>Anonymized.</strong> The candidate’s name, contact details and links are hidden, and the resume is shown without them.
          </p>
        ) : null}
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{c.label}</dd>
          </div>
          {c.location ? (
            <div>
              <dt>Location</dt>
              <dd>{c.location}</dd>
            </div>
          ) : null}
          {c.links.length ? (
            <div>
              <dt>Links</dt>
              <dd>
                <ul className="kit-links">
                  {c.links.map((l, i) => (
                    <li key={i}>
                      <a href={l.url}>{l.label || l.url}</a>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
          {c.answers.map((a, i) => (
            <div key={`a${i}`}>
              <dt>{a.label}</dt>
              <dd>{a.value}</dd>
            </div>
          ))}
        </dl>
        <h3 className="kit-resume__title">Resume</h3>
        {c.resumeText === null ? (
          <p>No resume was sent with this application.</p>
        ) : c.resumeText.trim() ? (
          <pre className="kit-resume" tabIndex={0} aria-label="Resume text">
            {c.resumeText}
          </pre>
        ) : (
          <p>No text could be read from this resume.</p>
        )}
      </section>
    </>
  );
}

/**
 * An interview kit in the workspace: the interview, the assigned principles with the bank's
 * questions, who else covers what, and the candidate with their resume. The interview's own
 * interviewer gets a link to their feedback form.
 */
export function kitPage({ chrome, kit }: { chrome: StaffChrome; kit: KitView }): Page {
  const feedbackStatus = kit.myFeedback
    ? kit.myFeedback.status === 'submitted'
      ? `Your feedback is submitted (revision ${kit.myFeedback.revision}).`
      : kit.myFeedback.status === 'draft'
        ? 'You have a draft of your feedback.'
        : 'You have not started your feedback.'
    : null;
  return staffPage({
    chrome,
    title: `Interview kit: ${kit.candidate.label}`,
    path: kitPath(kit.interviewId),
    section: 'none',
    lead: (
      <>
        {kit.interviewerName}’s interview{kit.role === 'interviewer' ? '' : ` as ${roleLabel(kit.role).toLowerCase()}`} for {kit.job.title}
      </>
    ),
    actions: (
      <>
        {kit.isMine && !kit.cancelled ? (
          <a className="button button--solid" href={feedbackFormPath(kit.interviewId)}>
            {kit.myFeedback?.status === 'submitted' ? 'Revise your feedback' : 'Write your feedback'}
          </a>
        ) : null}
        <a className="button button--outline" href={`${kitPath(kit.interviewId)}/print`}>
          Printable kit
        </a>
        {kit.mayReadFeedback ? (
          <a className="button button--outline" href={loopFeedbackPath(kit.applicationId)}>
            Loop feedback
          </a>
        ) : null}
      </>
    ),
    children: (
      <div className="kit">
        {feedbackStatus ? (
          <p className="notice" role="status">
            {feedbackStatus}
          </p>
        ) : null}
        <KitContent kit={kit} />
      </div>
    ),
  });
}

/** The same kit for paper: no workspace navigation, one column, a print stylesheet (staff-feedback.css). */
export function kitPrintPage({ kit, organization }: { kit: KitView; organization: string }): Page {
  const title = `Interview kit: ${kit.candidate.label}`;
  return {
    meta: { title, description: `${title} in the ${organization} hiring workspace.`, path: `${kitPath(kit.interviewId)}/print`, noindex: true },
    body: (
      <main id="main" className="kit kit--print">
        <p className="kit-print__back">
          <a href={kitPath(kit.interviewId)}>Back to the kit</a> · Use your browser’s Print command to print this page.
        </p>
        <h1>{title}</h1>
        <p className="kit-print__confidential">Confidential: for the interview loop of {organization}. Shred after the debrief.</p>
        <KitContent kit={kit} />
      </main>
    ),
  };
}
