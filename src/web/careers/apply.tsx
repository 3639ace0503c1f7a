import type { ReactNode } from 'react';
import type { ContentSnapshot } from '../../shared/contracts/content.ts';
import { jobPath, locationLabel, type PublicJob } from '../../shared/contracts/jobs.ts';
import { Breadcrumb, Layout } from '../ui/Layout.tsx';
import type { Page } from './pages.tsx';
import { MIN_GROUP_SIZE, SELF_ID_QUESTIONS, selfIdField } from '../../domain/self-identification.ts';

export interface ApplyFormState {
  /** What the candidate typed, by field name, shown again after an error (never a file). */
  values: Record<string, string[]>;
  errors: Array<{ field: string; message: string }>;
  idempotencyKey: string;
  /** True when the rejected submission carried a file, which browsers cannot keep. */
  hadFile: boolean;
  /** A signed-in candidate: the session's anti-forgery token, and the newest resume they can reuse (verified addresses only). */
  account?: { csrf: string; latestResume?: { id: number; filename: string; createdAt: Date } };
  /** Whether to ask the voluntary self-identification questions (an admin's switch, off by default). */
  selfIdentification?: boolean;
}

export const applyPath = (job: { id: number; slug: string }) => `${jobPath(job)}/apply`;

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p className="field__error" id={`${id}-error`}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  ) : null;
}

/** Attributes that tie an input to its hint and its error. */
const described = (id: string, error: string | undefined, hint?: boolean) => {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(ids ? { 'aria-describedby': ids } : {}), ...(error ? { 'aria-invalid': true as const } : {}) };
};

function TextField(props: {
  name: string;
  label: string;
  state: ApplyFormState;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  hint?: ReactNode;
  inputMode?: 'numeric' | 'decimal';
}) {
  const { name, label, state } = props;
  const error = state.errors.find((e) => e.field === name)?.message;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={name}>
        {label}
        {props.required ? null : <span className="field__optional"> (optional)</span>}
      </label>
      {props.hint ? (
        <p className="field__hint" id={`${name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={name} message={error} />
      <input
        id={name}
        name={name}
        type={props.type ?? 'text'}
        defaultValue={state.values[name]?.[0] ?? ''}
        autoComplete={props.autoComplete}
        required={props.required}
        inputMode={props.inputMode}
        {...described(name, error, Boolean(props.hint))}
      />
    </div>
  );
}

function Question({ question, state }: { question: PublicJob['questions'][number]; state: ApplyFormState }) {
  const name = `q${question.id}`;
  const error = state.errors.find((e) => e.field === name)?.message;
  const given = state.values[name] ?? [];
  const optional = question.required ? null : <span className="field__optional"> (optional)</span>;
  if (question.kind === 'short_text' || question.kind === 'number') {
    return (
      <TextField
        name={name}
        label={question.label}
        state={state}
        required={question.required}
        type={question.kind === 'number' ? 'text' : 'text'}
        inputMode={question.kind === 'number' ? 'decimal' : undefined}
      />
    );
  }
  if (question.kind === 'long_text') {
    return (
      <div className={error ? 'field field--error' : 'field'}>
        <label htmlFor={name}>
          {question.label}
          {optional}
        </label>
        <FieldError id={name} message={error} />
        <textarea id={name} name={name} rows={5} defaultValue={given[0] ?? ''} required={question.required} {...described(name, error)} />
      </div>
    );
  }
  const options =
    question.kind === 'yes_no'
      ? [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]
      : question.options.map((o) => ({ value: o, label: o }));
  const type = question.kind === 'multiple_choice' ? 'checkbox' : 'radio';
  return (
    <fieldset className={error ? 'field choice field--error' : 'field choice'} id={name} {...described(name, error)}>
      <legend>
        {question.label}
        {optional}
      </legend>
      <FieldError id={name} message={error} />
      {options.map((option, i) => (
        <div className="choice__option" key={option.value}>
          <input type={type} id={`${name}-${i}`} name={name} value={option.value} defaultChecked={given.includes(option.value)} />
          <label htmlFor={`${name}-${i}`}>{option.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** For a signed-in candidate: send the resume already in their account instead of a new one (the default). */
function ReuseResume({ resume, state }: { resume: { filename: string; createdAt: Date }; state: ApplyFormState }) {
  const upload = state.values.resumeChoice?.[0] === 'upload';
  const added = resume.createdAt.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return (
    <fieldset className="field choice">
      <legend>Which resume should we use?</legend>
      <div className="choice__option">
        <input type="radio" id="resumeChoice-latest" name="resumeChoice" value="latest" defaultChecked={!upload} />
        <label htmlFor="resumeChoice-latest">
          Use my latest resume: {resume.filename} (added {added})
        </label>
      </div>
      <div className="choice__option">
        <input type="radio" id="resumeChoice-upload" name="resumeChoice" value="upload" defaultChecked={upload} />
        <label htmlFor="resumeChoice-upload">Send a new one (below)</label>
      </div>
    </fieldset>
  );
}

/** The apply form: a plain multipart POST that works without JavaScript and keeps what was typed after an error. */
export function applyPage(content: ContentSnapshot, job: PublicJob, state: ApplyFormState): Page {
  const error = (field: string) => state.errors.find((e) => e.field === field)?.message;
  return {
    meta: { title: `Apply: ${job.title}`, description: `Apply for ${job.title}, ${job.team.name}.`, path: applyPath(job), noindex: true },
    body: (
      <Layout organization={content.organization} section="jobs">
        <div className="container container--form">
          <Breadcrumb links={[{ href: '/jobs', label: 'Jobs' }, { href: jobPath(job), label: job.title }]} current="Apply" />
          <header className="page-head">
            <p className="eyebrow">Apply</p>
            <h1>{job.title}</h1>
            <p className="page-head__lead">
              {job.team.name} · {locationLabel(job)}. It takes about two minutes; fields are required unless marked optional.
            </p>
          </header>
          {state.errors.length ? (
            <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
              <h2 id="error-summary-title">There is a problem</h2>
              <ul>
                {state.errors.map((e) => (
                  <li key={e.field + e.message}>
                    <a href={`#${e.field}`}>{e.message}</a>
                  </li>
                ))}
              </ul>
              {state.hadFile ? <p>For your safety, browsers do not keep a chosen file: please attach your resume again.</p> : null}
            </div>
          ) : null}
          <form method="post" action={applyPath(job)} encType="multipart/form-data" className="apply-form" noValidate>
            <input type="hidden" name="idempotencyKey" value={state.idempotencyKey} />
            {state.account ? <input type="hidden" name="_csrf" value={state.account.csrf} /> : null}
            <fieldset className="form-section">
              <legend>About you</legend>
              <TextField name="name" label="Full name" state={state} autoComplete="name" required />
              <TextField name="email" label="Email address" type="email" state={state} autoComplete="email" required hint="We send the confirmation and every update here." />
              <TextField name="phone" label="Phone number" type="tel" state={state} autoComplete="tel" />
              <TextField name="location" label="Where you live" state={state} autoComplete="address-level2" hint="City and country." />
            </fieldset>
            <fieldset className="form-section">
              <legend>Links</legend>
              <TextField name="linkedin" label="LinkedIn" type="url" state={state} autoComplete="url" />
              <TextField name="github" label="GitHub" type="url" state={state} autoComplete="url" />
              <TextField name="portfolio" label="Portfolio or website" type="url" state={state} autoComplete="url" />
            </fieldset>
            <fieldset className="form-section" id="resume">
              <legend>Resume</legend>
              {state.account?.latestResume ? <ReuseResume resume={state.account.latestResume} state={state} /> : null}
              <div className={error('resume') ? 'field field--error' : 'field'}>
                <label htmlFor="resume-file">Resume file</label>
                <p className="field__hint" id="resume-file-hint">
                  PDF, Word (.docx) or plain text, up to 10 MB.
                </p>
                <FieldError id="resume-file" message={error('resume')} />
                <input
                  id="resume-file"
                  name="resume"
                  type="file"
                  accept=".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
                  aria-describedby={error('resume') ? 'resume-file-hint resume-file-error' : 'resume-file-hint'}
                />
              </div>
              <div className="field">
                <label htmlFor="resumeText">
                  Or paste your resume<span className="field__optional"> (if you attach no file)</span>
                </label>
                <FieldError id="resumeText" message={error('resumeText')} />
                <textarea id="resumeText" name="resumeText" rows={6} defaultValue={state.values.resumeText?.[0] ?? ''} />
              </div>
            </fieldset>
            {job.questions.length ? (
              <fieldset className="form-section">
                <legend>Questions from the hiring team</legend>
                {job.questions.map((q) => (
                  <Question key={q.id} question={q} state={state} />
                ))}
              </fieldset>
            ) : null}
            {state.selfIdentification ? <SelfIdentification state={state} organization={content.organization} /> : null}
            <fieldset className="form-section">
              <legend>Your data</legend>
              <div className={error('consentProcessing') ? 'field field--error' : 'field'}>
                <FieldError id="consentProcessing" message={error('consentProcessing')} />
                <div className="choice__option">
                  <input
                    type="checkbox"
                    id="consentProcessing"
                    name="consentProcessing"
                    value="yes"
                    defaultChecked={state.values.consentProcessing?.[0] === 'yes'}
                    {...described('consentProcessing', error('consentProcessing'))}
                  />
                  <label htmlFor="consentProcessing">
                    I agree that {content.organization} uses what I send to consider me for this job, as the{' '}
                    <a href="/privacy">privacy notice</a> explains.
                  </label>
                </div>
              </div>
              <div className="choice__option">
                <input type="checkbox" id="consentTalentPool" name="consentTalentPool" value="yes" defaultChecked={state.values.consentTalentPool?.[0] === 'yes'} />
                <label htmlFor="consentTalentPool">Keep my profile to consider me for other jobs later (optional).</label>
              </div>
            </fieldset>
            <button type="submit" className="button button--solid">
              Send application
            </button>
          </form>
        </div>
      </Layout>
    ),
  };
}

/**
 * The voluntary questions: every one optional, each with "prefer not to say", and a plain account
 * of where the answers go (apart from the application, seen only as counts of larger groups).
 */
function SelfIdentification({ state, organization }: { state: ApplyFormState; organization: string }) {
  return (
    <fieldset className="form-section" aria-describedby="selfId-hint">
      <legend>Voluntary self-identification (optional)</legend>
      <p className="field__hint" id="selfId-hint">
        {organization} uses these answers only to check that its hiring is fair. They are stored apart from your application,
        without your name or email, and no one who decides on your application can see them. Reports show only counts of groups of at
        least {MIN_GROUP_SIZE} people. Leave any question blank if you prefer.
      </p>
      {SELF_ID_QUESTIONS.map((question) => {
        const name = selfIdField(question.key);
        const error = state.errors.find((e) => e.field === name)?.message;
        return (
          <fieldset key={question.key} id={name} className={error ? 'field choice field--error' : 'field choice'} {...described(name, error)}>
            <legend>
              {question.label}
              <span className="field__optional"> (optional)</span>
            </legend>
            <FieldError id={name} message={error} />
            {question.options.map((option) => (
              <div className="choice__option" key={option.value}>
                <input
                  type="radio"
                  id={`${name}-${option.value}`}
                  name={name}
                  value={option.value}
                  defaultChecked={state.values[name]?.[0] === option.value}
                />
                <label htmlFor={`${name}-${option.value}`}>{option.label}</label>
              </div>
            ))}
          </fieldset>
        );
      })}
    </fieldset>
  );
}

function Notice({ content, title, lead, children }: { content: ContentSnapshot; title: string; lead: string; children?: ReactNode }) {
  return (
    <Layout organization={content.organization} section="jobs">
      <div className="container container--form">
        <header className="page-head">
          <h1>{title}</h1>
          <p className="page-head__lead">{lead}</p>
        </header>
        {children}
      </div>
    </Layout>
  );
}

/** After applying: what happens next. */
export function appliedPage(content: ContentSnapshot, job: PublicJob): Page {
  return {
    meta: { title: 'Application received', description: `Your application for ${job.title} was received.`, path: `${applyPath(job)}/received`, noindex: true },
    body: (
      <Notice content={content} title="Thank you, we have your application" lead={`${job.title}, ${job.team.name}.`}>
        <div className="prose">
          <h2>What happens next</h2>
          <ol>
            <li>We have emailed you a link: open it to confirm it was you who applied.</li>
            <li>A recruiter reads every application, usually within a week.</li>
            <li>If your experience fits, we invite you to a short call; either way, we tell you.</li>
          </ol>
          <p>
            Meanwhile, read <a href={`${jobPath(job)}/prepare`}>how our interviews work and what we look for</a>.
          </p>
          <p>
            <a href="/jobs">Back to all jobs</a>
          </p>
        </div>
      </Notice>
    ),
  };
}

/** The emailed link was opened: one button confirms. */
export function confirmApplicationPage(content: ContentSnapshot, token: string): Page {
  return {
    meta: { title: 'Confirm your application', description: 'Confirm that it was you who applied.', path: '/applications/confirm', noindex: true },
    body: (
      <Notice content={content} title="Confirm your application" lead="Press the button to confirm that it was you who applied.">
        <form method="post" action="/applications/confirm" encType="multipart/form-data">
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="button button--solid">
            Confirm my application
          </button>
        </form>
      </Notice>
    ),
  };
}

/** The application was confirmed. */
export function confirmedPage(content: ContentSnapshot): Page {
  return {
    meta: { title: 'Application confirmed', description: 'Your application is confirmed.', path: '/applications/confirm', noindex: true },
    body: (
      <Notice content={content} title="Your application is confirmed" lead="Thank you. A recruiter will read it and we will let you know either way.">
        <p>
          <a href="/account">Create an account or sign in</a> with the same email address to follow your application.
        </p>
      </Notice>
    ),
  };
}

/** A second application to the same job while the first is still open. */
export function alreadyAppliedPage(content: ContentSnapshot, job: PublicJob): Page {
  return {
    meta: { title: 'Already applied', description: 'You have already applied to this job.', path: applyPath(job), noindex: true },
    body: (
      <Notice content={content} title="You have already applied to this job" lead={`Your application for ${job.title} is still open, so there is no need to send another.`}>
        <p>
          <a href="/account">Follow it in your account</a> (sign in with the same email address), or <a href="/jobs">look at other jobs</a>.
        </p>
      </Notice>
    ),
  };
}

/** What Day One does with a candidate's data. */
export function privacyPage(content: ContentSnapshot): Page {
  return {
    meta: { title: 'Privacy notice for candidates', description: 'What we keep when you apply, why, and for how long.', path: '/privacy' },
    body: (
      <Notice content={content} title="Privacy notice for candidates" lead={`What ${content.organization} keeps when you apply, why, and for how long.`}>
        <div className="prose">
          <h2>What we keep</h2>
          <p>
            What you send: your name, email address, phone number, location, links, resume and the text we read from it, your answers, and the
            consents you gave. We also keep a record of each step of your application.
          </p>
          <h2>Why</h2>
          <p>
            Only to consider you for the job you applied to, and, if you agree to it, for other jobs later. Interviewers see what they need to assess
            you; nobody else does.
          </p>
          <h2>How long</h2>
          <p>
            Until some time after your last application closes. If you asked us to keep your profile for other jobs, we keep it until you withdraw that
            consent.
          </p>
          <h2>Your rights</h2>
          <p>You can ask for a copy of your data, have it corrected, or have it erased at any time.</p>
        </div>
      </Notice>
    ),
  };
}
