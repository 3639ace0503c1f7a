import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { jobPath } from '../../shared/contracts/jobs.ts';
import { CsrfField, ErrorSummary, Submit } from '../account/forms.tsx';
import type { Page } from '../careers/pages.tsx';
import { Layout, type Section } from '../ui/Layout.tsx';

/** Saved jobs and alerts are personal pages: never indexed, titled "Error: …" when a form was refused. */
function personalPage({
  organization,
  title,
  path,
  lead,
  errors = [],
  notice,
  section = 'account',
  children,
}: {
  organization: string;
  title: string;
  path: string;
  lead?: ReactNode;
  errors?: FormError[];
  notice?: string | undefined;
  section?: Section;
  children: ReactNode;
}): Page {
  return {
    meta: { title: errors.length ? `Error: ${title}` : title, description: `${title} at ${organization} Careers.`, path, noindex: true },
    body: (
      <Layout organization={organization} section={section}>
        <div className="container">
          <div className="section--narrow account">
            <ErrorSummary errors={errors} />
            <header className="page-head page-head--compact">
              <h1>{title}</h1>
              {lead ? <p className="page-head__lead">{lead}</p> : null}
            </header>
            {notice ? (
              <p className="notice" role="status">
                {notice}
              </p>
            ) : null}
            {children}
          </div>
        </div>
      </Layout>
    ),
  };
}

/** "25 November 2026", in UTC so every node renders the same bytes. */
const longDate = (date: Date) => date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export interface SavedJobItem {
  id: number;
  slug: string;
  title: string;
  open: boolean;
  savedAt: Date;
}

/** The person's saved jobs: open ones link to their page, closed ones say so; each has an Unsave button. */
export function savedJobsPage({ organization, csrf, jobs, notice }: { organization: string; csrf: string; jobs: SavedJobItem[]; notice?: string | undefined }): Page {
  return personalPage({
    organization,
    title: 'Saved jobs',
    path: '/account/saved-jobs',
    notice,
    children: (
      <>
        {jobs.length === 0 ? (
          <p>
            You have no saved jobs. Use “Save job” on any job to keep it here. <a href="/jobs">Search jobs</a>
          </p>
        ) : (
          <ul className="link-list saved-jobs">
            {jobs.map((job) => (
              <li key={job.id}>
                <form method="post" action={`/account/saved-jobs/${job.id}/delete`}>
                  <CsrfField token={csrf} />
                  {job.open ? <a href={jobPath(job)}>{job.title}</a> : <span>{job.title}</span>}{' '}
                  {job.open ? null : <strong>(closed: no longer taking applications)</strong>}{' '}
                  <span className="field__hint">Saved {longDate(job.savedAt)}</span>{' '}
                  <button type="submit" className="button button--solid">
                    Unsave<span className="visually-hidden"> {job.title}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <AccountLinks />
      </>
    ),
  });
}

function AccountLinks() {
  return (
    <ul className="link-list">
      <li>
        <a href="/account/saved-jobs">Saved jobs</a>
      </li>
      <li>
        <a href="/account/alerts">Job alerts</a>
      </li>
      <li>
        <a href="/account">Your account</a>
      </li>
    </ul>
  );
}

/** Confirms saving one job: public pages are cached and carry no session, so they link here. */
export function saveJobPage({ organization, csrf, job, saved }: { organization: string; csrf: string; job: { id: number; slug: string; title: string }; saved: boolean }): Page {
  return personalPage({
    organization,
    title: 'Save this job',
    path: `/account/saved-jobs/new?job=${job.id}`,
    lead: (
      <>
        <a href={jobPath(job)}>{job.title}</a>
        {saved ? ' is already in your saved jobs.' : ' will be kept in your saved jobs.'}
      </>
    ),
    children: (
      <form method="post" action="/account/saved-jobs" className="account-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="job" value={String(job.id)} />
        <Submit>{saved ? 'Go to my saved jobs' : 'Save job'}</Submit>
      </form>
    ),
  });
}

/** Where a signed-out person who wanted to save a job or follow a search lands: what to do, in words. */
export function signInNeededPage({ organization, kind, back }: { organization: string; kind: 'save' | 'alert'; back: string }): Page {
  const what = kind === 'save' ? 'save jobs' : 'get new jobs by email';
  return personalPage({
    organization,
    title: kind === 'save' ? 'Sign in to save jobs' : 'Sign in to get job alerts',
    path: kind === 'save' ? '/account/saved-jobs/sign-in-needed' : '/account/alerts/sign-in-needed',
    lead: `You need an account to ${what}. It is free, and you can delete it at any time.`,
    children: (
      <>
        <p>
          <a className="button button--solid" href="/account/sign-in">
            Sign in
          </a>
        </p>
        <ul className="link-list">
          <li>
            <a href="/account/sign-up">Create an account</a>
          </li>
          <li>
            <a href={back}>{kind === 'save' ? 'Back to the job' : 'Back to the search'}</a>
          </li>
        </ul>
        <p>Once you are signed in, come back and choose it again.</p>
      </>
    ),
  });
}

export interface AlertItem {
  id: number;
  query: string;
  frequency: 'daily' | 'weekly';
  description: string;
}

const HOW_OFTEN: Record<AlertItem['frequency'], string> = { daily: 'Daily', weekly: 'Weekly, on Mondays' };

/** The person's job alerts, each with its search in words, how often, and a Delete button. */
export function alertsPage({ organization, csrf, alerts, notice }: { organization: string; csrf: string; alerts: AlertItem[]; notice?: string | undefined }): Page {
  return personalPage({
    organization,
    title: 'Job alerts',
    path: '/account/alerts',
    lead: 'We email you the new jobs of each search you follow.',
    notice,
    children: (
      <>
        {alerts.length === 0 ? (
          <p>
            You follow no searches. On <a href="/jobs">the jobs page</a>, search for what you want, then choose “Email me new jobs for this search”.
          </p>
        ) : (
          <ul className="link-list alerts">
            {alerts.map((alert) => (
              <li key={alert.id}>
                <form method="post" action={`/account/alerts/${alert.id}/delete`}>
                  <CsrfField token={csrf} />
                  <a href={`/jobs${alert.query ? `?${alert.query}` : ''}`}>{alert.description}</a>{' '}
                  <span className="field__hint">{HOW_OFTEN[alert.frequency]}</span>{' '}
                  <button type="submit" className="button button--solid">
                    Delete<span className="visually-hidden"> the alert “{alert.description}”</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <AccountLinks />
      </>
    ),
  });
}

/** Asks how often to email a search's new jobs; the search itself rides along in a hidden field. */
export function newAlertPage({
  organization,
  csrf,
  query,
  description,
  total,
  emailVerified,
  errors = [],
}: {
  organization: string;
  csrf: string;
  query: string;
  description: string;
  /** How many jobs match today. */
  total: number;
  emailVerified: boolean;
  errors?: FormError[];
}): Page {
  const frequencyError = errors.find((e) => e.field === 'frequency');
  return personalPage({
    organization,
    title: 'Email me new jobs',
    path: '/account/alerts/new',
    errors,
    lead: (
      <>
        For the search: <strong>{description}</strong> ({total.toLocaleString('en-US')} open job{total === 1 ? '' : 's'} today).
      </>
    ),
    children: emailVerified ? (
      <form method="post" action="/account/alerts" className="account-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="query" value={query} />
        <fieldset className={frequencyError ? 'field choice field--error' : 'field choice'} id="frequency" aria-describedby={frequencyError ? 'frequency-error' : undefined}>
          <legend>How often?</legend>
          {frequencyError ? (
            <p id="frequency-error" className="field__error">
              <span className="visually-hidden">Error: </span>
              {frequencyError.message}
            </p>
          ) : null}
          <div className="choice__option">
            <input type="radio" id="frequency-daily" name="frequency" value="daily" defaultChecked />
            <label htmlFor="frequency-daily">Daily, when there are new jobs</label>
          </div>
          <div className="choice__option">
            <input type="radio" id="frequency-weekly" name="frequency" value="weekly" />
            <label htmlFor="frequency-weekly">Weekly, on Mondays</label>
          </div>
        </fieldset>
        <p className="field__hint">Every email has a link that stops it at once, without signing in.</p>
        <Submit>Create alert</Submit>
      </form>
    ) : (
      <p>
        Please confirm your email address first: we only send alerts to confirmed addresses. <a href="/account">Go to your account</a> to send
        the confirmation link again.
      </p>
    ),
  });
}

/** The page an unsubscribe link opens: one button, so a mail scanner that follows links stops nothing. */
export function unsubscribePage({ organization, action, description }: { organization: string; action: string; description: string | undefined }): Page {
  return personalPage({
    organization,
    section: 'none',
    title: description ? 'Stop this job alert' : 'This alert is already stopped',
    path: '/alerts/unsubscribe',
    lead: description ? (
      <>
        You will get no more emails for the search: <strong>{description}</strong>.
      </>
    ) : (
      'We send no more emails for it.'
    ),
    children: description ? (
      <form method="post" action={action} className="account-form">
        <Submit>Stop these emails</Submit>
      </form>
    ) : (
      <ManageLinks />
    ),
  });
}

export function unsubscribedPage({ organization }: { organization: string }): Page {
  return personalPage({
    organization,
    section: 'none',
    title: 'You are unsubscribed',
    path: '/alerts/unsubscribe',
    lead: 'We will send no more emails for this alert.',
    children: <ManageLinks />,
  });
}

/** A link whose signature does not match: 400, and the way to manage alerts by signing in. */
export function badUnsubscribeLinkPage({ organization }: { organization: string }): Page {
  return personalPage({
    organization,
    section: 'none',
    title: 'This link does not work',
    path: '/alerts/unsubscribe',
    lead: 'The unsubscribe link is incomplete or has been changed. Use the link from the email as it is, or sign in to manage your alerts.',
    children: <ManageLinks />,
  });
}

function ManageLinks() {
  return (
    <ul className="link-list">
      <li>
        <a href="/account/alerts">Manage your job alerts</a>
      </li>
      <li>
        <a href="/jobs">Search jobs</a>
      </li>
    </ul>
  );
}
