import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { CsrfField, Field, Submit } from '../account/forms.tsx';
import { accountPage } from '../account/layout.tsx';
import type { Page } from '../careers/pages.tsx';

/** The word a person types to confirm that their account and data should be deleted. */
export const CONFIRM_WORD = 'DELETE';

/** The confirm form as refused: what was typed and why. */
export interface ConfirmState {
  values: { confirm?: string };
  errors: FormError[];
}

const EMPTY: ConfirmState = { values: {}, errors: [] };

/** Privacy pages are account pages (never indexed, "Error: …" titles when refused). */
function privacyPage(options: { organization: string; title: string; path: string; state?: ConfirmState; lead?: ReactNode; children: ReactNode }): Page {
  const { state, ...rest } = options;
  return accountPage({ ...rest, ...(state ? { state: { values: {}, errors: state.errors } } : {}) });
}

/** /account/data: download everything, or delete the account and data. */
export function yourDataPage({ organization, csrf, emailVerified }: { organization: string; csrf: string; emailVerified: boolean }): Page {
  return privacyPage({
    organization,
    title: 'Your data',
    path: '/account/data',
    lead: 'See everything we keep about you, or ask us to delete it.',
    children: emailVerified ? (
      <>
        <section className="section" aria-labelledby="download-title">
          <h2 id="download-title">Download my data</h2>
          <p>
            A zip file with your details, your applications with their answers and timeline, your saved jobs and alerts (as{' '}
            <code>data.json</code>), and the resume files you sent us.
          </p>
          <form method="post" action="/account/data/export" className="account-form">
            <CsrfField token={csrf} />
            <Submit>Download my data</Submit>
          </form>
        </section>
        <section className="section" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete my account and data</h2>
          <p>
            We delete your account, your resumes, your answers, your saved jobs and alerts, and the emails we sent you. We keep only an
            anonymous record that an application was made to a job, without anything that identifies you. This cannot be undone.
          </p>
          <p>
            <a href="/account/data/delete">Delete my account and data</a>
          </p>
        </section>
        <p>
          <a href="/account">Back to your account</a>
        </p>
      </>
    ) : (
      <>
        <p className="notice" role="status">
          Please confirm your email address first. Until you do, we cannot show you or delete anything linked to it: someone else may
          have opened this account with your address.
        </p>
        <p>
          <a href="/account">Back to your account</a>
        </p>
      </>
    ),
  });
}

/** /account/data/delete: the person types DELETE to confirm. */
export function confirmDeletePage({ organization, csrf, state = EMPTY }: { organization: string; csrf: string; state?: ConfirmState }): Page {
  return privacyPage({
    organization,
    title: 'Delete your account and data',
    path: '/account/data/delete',
    state,
    lead: 'This cannot be undone.',
    children: (
      <>
        <p>When you delete your account:</p>
        <ul>
          <li>you are signed out everywhere and cannot sign in again with this account;</li>
          <li>your details, resumes, screening answers, saved jobs, job alerts and the emails we sent you are deleted;</li>
          <li>
            any application still open is no longer considered; we keep only an anonymous record that an application was made, for our
            hiring statistics.
          </li>
        </ul>
        <p>
          You may want to <a href="/account/data">download your data</a> first.
        </p>
        <form method="post" action="/account/data/delete" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <Field
            name="confirm"
            label={`To confirm, type ${CONFIRM_WORD}`}
            type="text"
            autoComplete="off"
            errors={state.errors}
            value={state.values.confirm}
          />
          <Submit>Delete my account and data</Submit>
        </form>
        <p>
          <a href="/account/data">Cancel</a>
        </p>
      </>
    ),
  });
}

/** /account/deleted: shown once, signed out, after an erasure. */
export function deletedPage({ organization }: { organization: string }): Page {
  return privacyPage({
    organization,
    title: 'Your account and data are deleted',
    path: '/account/deleted',
    children: (
      <>
        <p className="notice" role="status">
          We have deleted your account and your data, and signed you out.
        </p>
        <p>
          If you apply again later, we will start afresh. <a href="/jobs">Browse jobs</a>
        </p>
      </>
    ),
  });
}
