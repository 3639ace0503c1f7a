import type { FormError } from '../../shared/contracts/account.ts';
import { APPLICATION_SOURCE_LABELS, type ApplicationSource } from '../../shared/contracts/apply.ts';
import { CANDIDATE_STATUS_LABELS, stageLabel, type CandidateStatus, type CandidateStep } from '../../domain/pipeline.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField } from '../account/forms.tsx';
import { boardPath, RejectFields } from './board.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

export interface ApplicationView {
  id: number;
  stage: string;
  source: string;
  daysInStage: number;
  rejectReason: string | null;
  createdAt: Date;
  confirmed: boolean;
  closed: boolean;
  job: { id: number; title: string; stages: string[] };
  anonymized: boolean;
  person: { name: string; email: string; phone: string | null; location: string | null; links: Array<{ label: string; url: string }> } | null;
  resume: { filename: string; contentType: string; size: number; hasFile: boolean; text: string } | null;
  answers: Array<{ label: string; value: string }>;
  events: Array<{ at: Date; kind: string; fromStage: string | null; toStage: string | null; who: string; detail: string | null }>;
  others: Array<{ id: number; jobTitle: string; stage: string; createdAt: Date }>;
  notes: Array<{ id: number; authorName: string; createdAt: Date; body: string }>;
  tags: string[];
  candidateView: { status: CandidateStatus; timeline: CandidateStep[] };
  may: { move: boolean; reject: boolean; note: boolean; tag: boolean; board: boolean; loop: boolean; offer: boolean };
  rejection: { subject: string; body: string };
}

/** What the forms of the page hold when one is shown again after a refusal. */
export interface ApplicationFormState {
  note?: string;
  tag?: string;
  to?: string;
  reject?: { reason: string; email: boolean; subject: string; body: string };
}

const day = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const moment = (at: Date) =>
  `${day(at)}, ${at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;

function When({ at, withTime = false }: { at: Date; withTime?: boolean }) {
  return <time dateTime={at.toISOString()}>{withTime ? moment(at) : day(at)}</time>;
}

const sourceLabel = (source: string) => APPLICATION_SOURCE_LABELS[source as ApplicationSource] ?? stageLabel(source);

const STEP: Record<'received' | 'confirmed' | 'withdrawn', string> = {
  received: 'We received your application',
  confirmed: 'You confirmed your application',
  withdrawn: 'You withdrew your application',
};

/** What a timeline event says, in words. */
function eventText(event: ApplicationView['events'][number]): string {
  switch (event.kind) {
    case 'applied':
      return 'applied';
    case 'confirmed':
      return 'confirmed the application from the emailed link';
    case 'withdrawn':
      return 'withdrew the application';
    case 'rejected':
      return `rejected it${event.fromStage ? ` at ${stageLabel(event.fromStage)}` : ''}`;
    case 'moved':
      return `moved it from ${event.fromStage ? stageLabel(event.fromStage) : 'nowhere'} to ${event.toStage ? stageLabel(event.toStage) : 'nowhere'}`;
    default:
      return event.toStage ? `${event.kind.replace(/_/g, ' ')} (${stageLabel(event.toStage)})` : event.kind.replace(/_/g, ' ');
  }
}

const kib = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KB`);

/**
 * One application for staff: the resume text and file, answers, links, the timeline, the
 * person's other applications, notes with @mentions, tags, moving and rejecting, and what the
 * candidate sees. Under anonymized screening, who it is stays hidden and the page says so.
 */
export function applicationPage({
  chrome,
  application: a,
  notice,
  errors = [],
  form = {},
}: {
  chrome: StaffChrome;
  application: ApplicationView;
  notice?: string | null;
  errors?: FormError[];
  form?: ApplicationFormState;
}): Page {
  const label = a.person?.name || `Candidate #${a.id}`;
  const path = `/staff/applications/${a.id}`;
  const error = (field: string) => errors.find((e) => e.field === field);
  const message = (field: string) => {
    const e = error(field);
    return e ? (
      <p className="field__error" id={`${field}-error`}>
        <span className="visually-hidden">Error: </span>
        {e.message}
      </p>
    ) : null;
  };
  const targets = a.job.stages.filter((s) => s !== a.stage);
  return staffPage({
    chrome,
    title: label,
    path,
    section: 'jobs',
    errors,
    lead: (
      <>
        For <a href={`/staff/jobs/${a.job.id}`}>{a.job.title}</a> · {stageLabel(a.stage)}
        {a.closed ? '' : `, ${a.daysInStage === 1 ? '1 day' : `${a.daysInStage} days`} in stage`} · {sourceLabel(a.source)} · applied <When at={a.createdAt} />
      </>
    ),
    actions: (
      <>
        {a.may.board ? (
          <a className="button button--outline" href={boardPath(a.job.id)}>
            Pipeline board
          </a>
        ) : null}
        {a.may.loop ? (
          <>
            <a className="button button--outline" href={`${path}/loop`}>
              Interview loop
            </a>
            <a className="button button--outline" href={`${path}/feedback`}>
              Feedback
            </a>
            <a className="button button--outline" href={`${path}/debrief`}>
              Debrief
            </a>
          </>
        ) : null}
        {a.may.offer ? (
          <a className="button button--outline" href={`${path}/offer`}>
            Offer
          </a>
        ) : null}
      </>
    ),
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {a.anonymized ? (
          <p className="notice application-anonymized">
            <strong>Anonymized screening.</strong> The candidate’s name, email, phone, links and resume file are hidden, and their resume text is shown without their
            name, contact details, links or any line naming a school, until the application is past screening.
          </p>
        ) : null}
        <div className="staff-grid staff-grid--two">
          <div>
            <section className="panel" aria-labelledby="resume-title">
              <h2 id="resume-title">Resume</h2>
              {a.resume ? (
                <>
                  {a.resume.hasFile && !a.anonymized ? (
                    <p>
                      <a href={`${path}/resume`}>
                        Open the resume file<span className="visually-hidden"> of {label}</span>
                      </a>{' '}
                      ({a.resume.filename}, {kib(a.resume.size)})
                    </p>
                  ) : null}
                  <h3 className="application-resume__title">Its text{a.anonymized ? ', anonymized' : ''}</h3>
                  {a.resume.text.trim() ? (
                    <pre className="application-resume" tabIndex={0} aria-labelledby="resume-title">
                      {a.resume.text}
                    </pre>
                  ) : (
                    <p>No text could be read from this resume.</p>
                  )}
                </>
              ) : (
                <p>No resume was sent with this application.</p>
              )}
            </section>

            <section className="panel" aria-labelledby="answers-title">
              <h2 id="answers-title">Screening answers</h2>
              {a.answers.length ? (
                <dl className="facts">
                  {a.answers.map((answer, i) => (
                    <div key={i}>
                      <dt>{answer.label}</dt>
                      <dd>{answer.value}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p>The job asked no screening questions.</p>
              )}
            </section>

            <section className="panel" aria-labelledby="timeline-title">
              <h2 id="timeline-title">Timeline</h2>
              <ol className="application-timeline">
                {a.events.map((event, i) => (
                  <li key={i}>
                    <When at={event.at} withTime />: {event.who} {eventText(event)}
                    {event.detail ? (
                      <>
                        {' '}
                        — <span className="application-timeline__detail">{event.detail}</span>
                      </>
                    ) : null}
                  </li>
                ))}
              </ol>
            </section>

            <section className="panel" aria-labelledby="notes-title" id="notes">
              <h2 id="notes-title">Notes</h2>
              {a.notes.length ? (
                <ol className="application-notes">
                  {a.notes.map((note) => (
                    <li key={note.id} className="application-note">
                      <p className="application-note__by">
                        {note.authorName}, <When at={note.createdAt} withTime />
                      </p>
                      <p className="application-note__body">{note.body}</p>
                    </li>
                  ))}
                </ol>
              ) : (
                <p>No notes yet.</p>
              )}
              {a.may.note ? (
                <form method="post" action={`${path}/notes`} className="application-form">
                  <CsrfField token={chrome.csrf} />
                  <div className={error('note-body') ? 'field field--error' : 'field'}>
                    <label htmlFor="note-body">Add a note</label>
                    <p className="field__hint" id="note-body-hint">
                      Write @ and a colleague’s name or email to let them know; admins and this job’s hiring team can be mentioned.
                    </p>
                    {message('note-body')}
                    <textarea
                      id="note-body"
                      name="body"
                      rows={4}
                      maxLength={5000}
                      defaultValue={form.note ?? ''}
                      aria-describedby={error('note-body') ? 'note-body-hint note-body-error' : 'note-body-hint'}
                      aria-invalid={error('note-body') ? true : undefined}
                    />
                  </div>
                  <button type="submit" className="button button--solid">
                    Add note
                  </button>
                </form>
              ) : null}
            </section>
          </div>

          <div>
            <section className="panel" aria-labelledby="candidate-title">
              <h2 id="candidate-title">Candidate</h2>
              {a.person ? (
                <dl className="facts">
                  <div>
                    <dt>Name</dt>
                    <dd>{a.person.name || 'Not given'}</dd>
                  </div>
                  <div>
                    <dt>Email</dt>
                    <dd>
                      <a href={`mailto:${a.person.email}`}>{a.person.email}</a>
                    </dd>
                  </div>
                  <div>
                    <dt>Phone</dt>
                    <dd>{a.person.phone || 'Not given'}</dd>
                  </div>
                  <div>
                    <dt>Location</dt>
                    <dd>{a.person.location || 'Not given'}</dd>
                  </div>
                  <div>
                    <dt>Links</dt>
                    <dd>
                      {a.person.links.length ? (
                        <ul className="link-list">
                          {a.person.links.map((link) => (
                            <li key={link.url}>
                              {link.label}:{' '}
                              {/^https?:\/\//i.test(link.url) ? (
                                <a href={link.url} rel="noopener noreferrer nofollow">
                                  {link.url}
                                </a>
                              ) : (
                                link.url
                              )}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        'None'
                      )}
                    </dd>
                  </div>
                </dl>
              ) : (
                <p>Hidden during anonymized screening.</p>
              )}
              {a.rejectReason ? (
                <p>
                  <strong>Rejected because:</strong> {a.rejectReason}
                </p>
              ) : null}
            </section>

            {!a.closed && (a.may.move || a.may.reject) ? (
              <section className="panel" aria-labelledby="move-title">
                <h2 id="move-title">Move or reject</h2>
                {a.may.move ? (
                  <form method="post" action={`${path}/move`} className="application-form">
                    <CsrfField token={chrome.csrf} />
                    <div className={error('app-to') ? 'field field--error' : 'field'}>
                      <label htmlFor="app-to">Move to</label>
                      {message('app-to')}
                      <select id="app-to" name="to" defaultValue={form.to ?? targets[0]} aria-describedby={error('app-to') ? 'app-to-error' : undefined}>
                        {targets.map((stage) => (
                          <option key={stage} value={stage}>
                            {stageLabel(stage)}
                          </option>
                        ))}
                      </select>
                    </div>
                    <button type="submit" className="button button--solid">
                      Move
                    </button>
                  </form>
                ) : null}
                {a.may.reject ? (
                  <details className="application-reject" open={errors.some((e) => e.field.startsWith('app-') && e.field !== 'app-to') || undefined}>
                    <summary>Reject this application</summary>
                    <form method="post" action={`${path}/reject`} className="application-form">
                      <CsrfField token={chrome.csrf} />
                      <RejectFields prefix="app" errors={errors} values={form.reject} rejection={a.rejection} />
                      <button type="submit" className="button button--danger">
                        Reject
                      </button>
                    </form>
                  </details>
                ) : null}
              </section>
            ) : null}

            <section className="panel" aria-labelledby="tags-title">
              <h2 id="tags-title">Tags</h2>
              {a.tags.length ? (
                <ul className="application-tags">
                  {a.tags.map((tag) => (
                    <li key={tag}>
                      <span className="status-tag">{tag}</span>
                      {a.may.tag ? (
                        <form method="post" action={`${path}/tags`} className="inline-form">
                          <CsrfField token={chrome.csrf} />
                          <input type="hidden" name="remove" value={tag} />
                          <button type="submit" className="button button--outline application-tags__remove">
                            Remove<span className="visually-hidden"> the tag {tag}</span>
                          </button>
                        </form>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>No tags.</p>
              )}
              {a.may.tag ? (
                <form method="post" action={`${path}/tags`} className="application-form">
                  <CsrfField token={chrome.csrf} />
                  <div className={error('tag') ? 'field field--error' : 'field'}>
                    <label htmlFor="tag">Add a tag</label>
                    {message('tag')}
                    <input
                      id="tag"
                      name="add"
                      type="text"
                      maxLength={40}
                      defaultValue={form.tag ?? ''}
                      aria-describedby={error('tag') ? 'tag-error' : undefined}
                      aria-invalid={error('tag') ? true : undefined}
                    />
                  </div>
                  <button type="submit" className="button button--solid">
                    Add tag
                  </button>
                </form>
              ) : null}
            </section>

            <section className="panel" aria-labelledby="sees-title">
              <h2 id="sees-title">What the candidate sees</h2>
              <p>
                Status: <strong>{CANDIDATE_STATUS_LABELS[a.candidateView.status]}</strong>
              </p>
              {a.confirmed ? null : <p className="field__hint">They see this in their account once they confirm the application from the emailed link.</p>}
              <ol className="link-list">
                {a.candidateView.timeline.map((step, i) => (
                  <li key={i}>
                    <When at={step.at} />: {step.kind === 'status' ? `Status: ${CANDIDATE_STATUS_LABELS[step.status]}` : STEP[step.kind]}
                  </li>
                ))}
              </ol>
            </section>

            <section className="panel" aria-labelledby="others-title">
              <h2 id="others-title">Other applications</h2>
              {a.anonymized ? (
                <p>Hidden during anonymized screening.</p>
              ) : a.others.length ? (
                <ul className="link-list">
                  {a.others.map((other) => (
                    <li key={other.id}>
                      <a href={`/staff/applications/${other.id}`}>{other.jobTitle}</a>: {stageLabel(other.stage)}, applied <When at={other.createdAt} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p>None on the jobs you can see.</p>
              )}
            </section>
          </div>
        </div>
      </>
    ),
  });
}
