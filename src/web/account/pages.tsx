import { OffersSection, type CandidateOfferItem } from './offer.tsx';
import { PASSWORD_MIN_LENGTH, type AccountView, type EmailSentReason, type FormState } from '../../shared/contracts/account.ts';
import type { Page } from '../careers/pages.tsx';
import { ApplicationsSection, type ApplicationView } from './candidate.tsx';
import { CsrfField, Field, Submit } from './forms.tsx';
import { accountPage } from './layout.tsx';

const EMPTY: FormState = { values: {}, errors: [] };

const passwordHint = `At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password that is easy to remember.`;

export function signUpPage({ organization, csrf, state = EMPTY }: { organization: string; csrf: string; state?: FormState }): Page {
  return accountPage({
    organization,
    title: 'Create an account',
    path: '/account/sign-up',
    state,
    lead: 'Follow your applications and come back to them at any time.',
    children: (
      <>
        <form method="post" action="/account/sign-up" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <Field name="email" label="Email address" type="email" autoComplete="email" errors={state.errors} value={state.values.email} />
          <Field name="password" label="Password" type="password" autoComplete="new-password" errors={state.errors} hint={passwordHint} />
          <Submit>Create account</Submit>
        </form>
        <p>
          Already have an account? <a href="/account/sign-in">Sign in</a>.
        </p>
      </>
    ),
  });
}

export function signInPage({
  organization,
  csrf,
  state = EMPTY,
  notice,
}: {
  organization: string;
  csrf: string;
  state?: FormState;
  notice?: string;
}): Page {
  return accountPage({
    organization,
    title: 'Sign in',
    path: '/account/sign-in',
    state,
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <form method="post" action="/account/sign-in" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <Field name="email" label="Email address" type="email" autoComplete="email" errors={state.errors} value={state.values.email} />
          <Field name="password" label="Password" type="password" autoComplete="current-password" errors={state.errors} />
          <Submit>Sign in</Submit>
        </form>
        <ul className="link-list">
          <li>
            <a href="/account/sign-in/link">Email me a sign-in link instead</a>
          </li>
          <li>
            <a href="/account/reset">Forgot your password?</a>
          </li>
          <li>
            <a href="/account/sign-up">Create an account</a>
          </li>
        </ul>
      </>
    ),
  });
}

/** The forms that ask only for an email address: a sign-in link or a password reset. */
export function emailRequestPage({
  organization,
  csrf,
  state = EMPTY,
  kind,
}: {
  organization: string;
  csrf: string;
  state?: FormState;
  kind: 'link' | 'reset';
}): Page {
  const link = kind === 'link';
  const action = link ? '/account/sign-in/link' : '/account/reset';
  return accountPage({
    organization,
    title: link ? 'Sign in with an email link' : 'Reset your password',
    path: action,
    state,
    lead: link
      ? 'We will email you a link that signs you in once, without a password.'
      : 'We will email you a link to choose a new password.',
    children: (
      <>
        <form method="post" action={action} className="account-form" noValidate>
          <CsrfField token={csrf} />
          <Field name="email" label="Email address" type="email" autoComplete="email" errors={state.errors} value={state.values.email} />
          <Submit>{link ? 'Email me a sign-in link' : 'Email me a reset link'}</Submit>
        </form>
        <p>
          <a href="/account/sign-in">Back to sign in</a>
        </p>
      </>
    ),
  });
}

const SENT: Record<EmailSentReason, { title: string; text: string }> = {
  'sign-up': {
    title: 'Check your email',
    text: 'If this address can be used for a new account, we have sent it a link to confirm it. If it already has an account, we have sent it a message saying how to sign in instead.',
  },
  reset: {
    title: 'Check your email',
    text: 'If an account exists for this address, we have sent it a link to choose a new password. The link works for 1 hour.',
  },
  link: {
    title: 'Check your email',
    text: 'If an account exists for this address, we have sent it a sign-in link. The link works once, for 15 minutes.',
  },
};

/** The same answer whether or not the address is known, so no one learns who has an account. */
export function emailSentPage({ organization, reason }: { organization: string; reason: EmailSentReason }): Page {
  const { title, text } = SENT[reason];
  return accountPage({
    organization,
    title,
    path: `/account/email-sent?reason=${reason}`,
    lead: text,
    children: (
      <p>
        No email after a few minutes? Look in your spam folder, or <a href={reason === 'sign-up' ? '/account/sign-up' : `/account/${reason === 'reset' ? 'reset' : 'sign-in/link'}`}>try again</a>.
      </p>
    ),
  });
}

/**
 * The page an emailed link opens: one button that uses the link. Opening the link changes
 * nothing, so a mail scanner that follows links cannot use it up or sign itself in.
 */
export function confirmLinkPage({
  organization,
  csrf,
  kind,
  action,
  token,
}: {
  organization: string;
  csrf: string;
  kind: 'verify' | 'link';
  action: string;
  token?: string;
}): Page {
  const verify = kind === 'verify';
  return accountPage({
    organization,
    title: verify ? 'Confirm your email address' : 'Sign in',
    path: verify ? '/account/verify' : '/account/sign-in/link',
    lead: verify ? 'Confirm that this email address is yours. You will be signed in.' : 'Continue to sign in to your account.',
    children: (
      <form method="post" action={action} className="account-form">
        <CsrfField token={csrf} />
        {token ? <input type="hidden" name="token" value={token} /> : null}
        <Submit>{verify ? 'Confirm my email address' : 'Sign me in'}</Submit>
      </form>
    ),
  });
}

/** A link that has expired or was used, with a way to ask for a new one. */
export function linkProblemPage({ organization, kind }: { organization: string; kind: 'verify' | 'link' | 'reset' }): Page {
  const again =
    kind === 'reset'
      ? { href: '/account/reset', label: 'Ask for a new reset link' }
      : kind === 'link'
        ? { href: '/account/sign-in/link', label: 'Ask for a new sign-in link' }
        : { href: '/account', label: 'Sign in to send a new confirmation link' };
  return accountPage({
    organization,
    title: 'This link no longer works',
    path: '/account',
    lead: 'The link has expired or has already been used. Links from our emails work only once, and only for a short time.',
    children: (
      <p>
        <a href={again.href}>{again.label}</a>
      </p>
    ),
  });
}

export function newPasswordPage({ organization, csrf, token, state = EMPTY }: { organization: string; csrf: string; token: string; state?: FormState }): Page {
  return accountPage({
    organization,
    title: 'Choose a new password',
    path: '/account/reset',
    state,
    lead: 'Once you save it, you are signed out on every other device.',
    children: (
      <form method="post" action={`/account/reset/${encodeURIComponent(token)}`} className="account-form" noValidate>
        <CsrfField token={csrf} />
        <Field name="password" label="New password" type="password" autoComplete="new-password" errors={state.errors} hint={passwordHint} />
        <Submit>Save password and sign in</Submit>
      </form>
    ),
  });
}

/**
 * The signed-in candidate's page. `applications` is given only once the address is verified:
 * an account someone opened with another person's address shows nothing of that person.
 */
export function accountHomePage({
  organization,
  csrf,
  account,
  applications,
  offers = [],
}: {
  organization: string;
  csrf: string;
  account: AccountView;
  applications?: ApplicationView[];
  /** Offers made to the candidate (only ever extended or answered ones). */
  offers?: CandidateOfferItem[];
}): Page {
  return accountPage({
    organization,
    title: 'Your account',
    path: '/account',
    children: (
      <>
        {account.notice ? (
          <p className="notice" role="status">
            {account.notice}
          </p>
        ) : null}
        <section className="section" aria-labelledby="email-title">
          <h2 id="email-title">Email address</h2>
          <p>
            <strong>{account.email}</strong>{' '}
            {account.emailVerified ? '(confirmed)' : '(not confirmed yet)'}
          </p>
          {account.emailVerified ? null : (
            <form method="post" action="/account/verify/resend">
              <CsrfField token={csrf} />
              <p>We sent you a link to confirm this address. Until you confirm it, we cannot show you anything linked to it.</p>
              <Submit>Send the confirmation link again</Submit>
            </form>
          )}
        </section>
        {account.emailVerified ? <OffersSection offers={offers} /> : null}
        <ApplicationsSection applications={account.emailVerified ? applications : undefined} />
        {account.emailVerified ? (
          <>
            <section className="section" aria-labelledby="profile-title">
              <h2 id="profile-title">Your profile and resumes</h2>
              <p>
                <a href="/account/profile">Edit your name, phone, location and links, and manage your resumes</a>
              </p>
            </section>
            <section className="section" aria-labelledby="data-title">
              <h2 id="data-title">Your data</h2>
              <p>
                <a href="/account/data">Download a copy of your data, or ask us to erase it</a>
              </p>
            </section>
          </>
        ) : null}
        <section className="section" aria-labelledby="saved-title">
          <h2 id="saved-title">Saved jobs and alerts</h2>
          <ul className="link-list">
            <li>
              <a href="/account/saved-jobs">Your saved jobs</a>
            </li>
            <li>
              <a href="/account/alerts">Your job alerts</a>
            </li>
          </ul>
        </section>
        <section className="section" aria-labelledby="sessions-title">
          <h2 id="sessions-title">Signing out</h2>
          <form method="post" action="/account/sign-out" className="account-form">
            <CsrfField token={csrf} />
            <Submit>Sign out</Submit>
          </form>
          <form method="post" action="/account/sign-out-everywhere" className="account-form">
            <CsrfField token={csrf} />
            <p>Lost a device, or signed in on a shared computer? End every session, here and elsewhere.</p>
            <Submit>Sign out everywhere</Submit>
          </form>
        </section>
      </>
    ),
  });
}
