import { CANDIDATE_STATUS_LABELS, type CandidateStatus } from '../../domain/pipeline.ts';
import type { FormState } from '../../shared/contracts/account.ts';
import { jobPath } from '../../shared/contracts/jobs.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField, Field, Submit } from './forms.tsx';
import { accountPage } from './layout.tsx';

/** One step of an application, as the candidate is told it (never an internal stage). */
export type TimelineView = { at: Date; kind: 'received' | 'confirmed' | 'withdrawn' } | { at: Date; kind: 'status'; status: CandidateStatus };

export interface ApplicationView {
  id: number;
  job: { id: number; slug: string; title: string };
  status: CandidateStatus;
  active: boolean;
  appliedAt: Date;
  timeline: TimelineView[];
}

export interface ResumeView {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

/** "25 November 2026", the same on every server. */
const day = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{day(at)}</time>;
}

const STEP: Record<'received' | 'confirmed' | 'withdrawn', string> = {
  received: 'We received your application',
  confirmed: 'You confirmed your application',
  withdrawn: 'You withdrew your application',
};

const stepText = (step: TimelineView) => (step.kind === 'status' ? `Status: ${CANDIDATE_STATUS_LABELS[step.status]}` : STEP[step.kind]);

/** The applications on /account, newest first; `undefined` while the address is not verified. */
export function ApplicationsSection({ applications }: { applications: ApplicationView[] | undefined }) {
  return (
    <section className="section" aria-labelledby="applications-title">
      <h2 id="applications-title">Your applications</h2>
      {applications === undefined ? (
        <p>Once you confirm your email address, your applications and their status appear here.</p>
      ) : applications.length === 0 ? (
        <p>
          You have not applied to any job with this email address yet. <a href="/jobs">Look at our open jobs</a>.
        </p>
      ) : (
        <ol className="results__list">
          {applications.map((application) => (
            <li key={application.id} className="result" aria-labelledby={`application-${application.id}`}>
              <h3 className="result__title" id={`application-${application.id}`}>
                <a href={jobPath(application.job)}>{application.job.title}</a>
              </h3>
              <p className="result__meta">
                <span>
                  Status: <strong>{CANDIDATE_STATUS_LABELS[application.status]}</strong>
                </span>
                <span>
                  Applied <When at={application.appliedAt} />
                </span>
              </p>
              <h4 className="visually-hidden">Timeline of your application for {application.job.title}</h4>
              <ol className="link-list">
                {application.timeline.map((step, i) => (
                  <li key={i}>
                    <When at={step.at} />: {stepText(step)}
                  </li>
                ))}
              </ol>
              {application.active ? (
                <p>
                  <a className="button button--solid" href={`/account/applications/${application.id}/withdraw`}>
                    Withdraw<span className="visually-hidden"> your application for {application.job.title}</span>
                  </a>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The confirm step before withdrawing: says what it means and asks for one press. */
export function withdrawPage({
  organization,
  csrf,
  application,
}: {
  organization: string;
  csrf: string;
  application: { id: number; job: { id: number; slug: string; title: string } };
}): Page {
  return accountPage({
    organization,
    title: 'Withdraw your application',
    path: `/account/applications/${application.id}/withdraw`,
    lead: `You are about to withdraw your application for ${application.job.title}. We will stop considering you for this job. You can apply again later while the job is open.`,
    children: (
      <>
        <form method="post" action={`/account/applications/${application.id}/withdraw`} className="account-form">
          <CsrfField token={csrf} />
          <Submit>Withdraw my application</Submit>
        </form>
        <p>
          <a href="/account">No, keep my application</a>
        </p>
      </>
    ),
  });
}

/** The profile form: what was typed (or saved) by field, and the problems with it. */
export interface ProfileFormState {
  values: Partial<Record<'email' | 'name' | 'phone' | 'location' | 'linkedin' | 'github' | 'portfolio', string>>;
  errors: FormState['errors'];
}

const kb = (size: number) => (size < 1024 * 1024 ? `${Math.max(1, Math.round(size / 1024))} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`);
const KIND: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'text/plain': 'Text',
};

/** Profile (name, phone, location, links) and resumes: edit, upload, download, delete. */
export function profilePage({
  organization,
  csrf,
  state,
  resumeErrors = [],
  resumes,
  notice,
}: {
  organization: string;
  csrf: string;
  /** The profile form's values and problems. */
  state: ProfileFormState;
  /** Problems with an uploaded resume. */
  resumeErrors?: FormState['errors'];
  resumes: ResumeView[];
  notice?: string;
}): Page {
  const v = state.values;
  const resumeError = resumeErrors.find((e) => e.field === 'resume');
  return accountPage({
    organization,
    title: 'Your profile and resumes',
    path: '/account/profile',
    state: { values: {}, errors: [...state.errors, ...resumeErrors] },
    lead: 'What we fill in for you when you apply. Applications you already sent keep what they were sent with.',
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <section className="section" aria-labelledby="profile-form-title">
          <h2 id="profile-form-title">Profile</h2>
          <form method="post" action="/account/profile" className="account-form" noValidate>
            <CsrfField token={csrf} />
            <p>
              Email address: <strong>{v.email}</strong>
            </p>
            <Field name="name" label="Full name" type="text" autoComplete="name" errors={state.errors} value={v.name} />
            <Field name="phone" label="Phone number (optional)" type="tel" autoComplete="tel" errors={state.errors} value={v.phone} required={false} />
            <Field name="location" label="Where you live (optional)" type="text" autoComplete="address-level2" errors={state.errors} value={v.location} required={false} hint="City and country." />
            <Field name="linkedin" label="LinkedIn (optional)" type="url" autoComplete="url" errors={state.errors} value={v.linkedin} required={false} />
            <Field name="github" label="GitHub (optional)" type="url" autoComplete="url" errors={state.errors} value={v.github} required={false} />
            <Field name="portfolio" label="Portfolio or website (optional)" type="url" autoComplete="url" errors={state.errors} value={v.portfolio} required={false} />
            <Submit>Save profile</Submit>
          </form>
        </section>
        <section className="section" aria-labelledby="resumes-title">
          <h2 id="resumes-title">Resumes</h2>
          {resumes.length === 0 ? (
            <p>You have no resume with us yet.</p>
          ) : (
            <ul className="results__list">
              {resumes.map((resume, i) => (
                <li key={resume.id} className="result">
                  <p className="result__title">
                    <a href={`/account/resumes/${resume.id}/file`} download>
                      {resume.filename}
                    </a>
                    {i === 0 ? ' (latest)' : null}
                  </p>
                  <p className="result__meta">
                    <span>{KIND[resume.contentType] ?? 'File'}</span>
                    <span>{kb(resume.size)}</span>
                    <span>
                      Added <When at={resume.createdAt} />
                    </span>
                  </p>
                  <form method="post" action={`/account/resumes/${resume.id}/delete`}>
                    <CsrfField token={csrf} />
                    <button type="submit" className="button button--solid">
                      Delete<span className="visually-hidden"> {resume.filename}</span>
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          )}
          <form method="post" action="/account/resumes" encType="multipart/form-data" className="account-form" noValidate>
            <CsrfField token={csrf} />
            <div className={resumeError ? 'field field--error' : 'field'}>
              <label htmlFor="resume">Add a resume</label>
              <p className="field__hint" id="resume-hint">
                PDF, Word (.docx) or plain text, up to 10 MB. The newest one is offered when you apply.
              </p>
              {resumeError ? (
                <p className="field__error" id="resume-error">
                  <span className="visually-hidden">Error: </span>
                  {resumeError.message}
                </p>
              ) : null}
              <input
                id="resume"
                name="resume"
                type="file"
                accept=".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
                aria-describedby={resumeError ? 'resume-hint resume-error' : 'resume-hint'}
                aria-invalid={resumeError ? true : undefined}
              />
            </div>
            <Submit>Upload resume</Submit>
          </form>
        </section>
        <p>
          <a href="/account">Back to your account</a>
        </p>
      </>
    ),
  });
}
