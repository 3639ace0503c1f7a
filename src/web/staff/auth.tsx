import { PASSWORD_MIN_LENGTH, type FormError } from '../../shared/contracts/account.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField, Field, Submit } from '../account/forms.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** Why the sign-in page is shown, said above the form. */
export type SignInNotice = 'signed-out' | undefined;

const NOTICES: Record<Exclude<SignInNotice, undefined>, string> = {
  'signed-out': 'You are signed out.',
};

/** The staff sign-in page: email and password, and single sign-on when it is set up. */
export function staffSignInPage({
  chrome,
  email = '',
  next,
  errors = [],
  notice,
  sso,
  demo,
}: {
  chrome: StaffChrome;
  /** What was typed, shown again after a refusal. */
  email?: string;
  /** Where to go after signing in (a /staff path). */
  next: string;
  errors?: FormError[];
  notice?: SignInNotice;
  /** The single sign-on button's words, when OIDC is configured. */
  sso?: { label: string } | undefined;
  /** Demo accounts exist: say where their passwords are. */
  demo?: boolean;
}): Page {
  const withNext = next === '/staff' ? '' : `?next=${encodeURIComponent(next)}`;
  return staffPage({
    chrome,
    title: 'Sign in to the hiring workspace',
    path: '/staff/sign-in',
    section: 'none',
    errors,
    lead: `For ${chrome.organization} staff. Candidates sign in to their account on the careers site instead.`,
    children: (
      <div className="staff-auth">
        {notice ? (
          <p className="notice" role="status">
            {NOTICES[notice]}
          </p>
        ) : null}
        <form method="post" action={`/staff/sign-in${withNext}`} className="account-form" noValidate>
          <CsrfField token={chrome.csrf} />
          <Field name="email" label="Work email address" type="email" autoComplete="username" errors={errors} value={email} />
          <Field name="password" label="Password" type="password" autoComplete="current-password" errors={errors} />
          <Submit>Sign in</Submit>
        </form>
        {sso ? (
          <div className="staff-auth__sso">
            <p className="staff-auth__or">Or</p>
            <a className="button button--outline" href={`/staff/sso/start${withNext}`}>
              Sign in with {sso.label}
            </a>
          </div>
        ) : null}
        <p className="field__hint staff-auth__help">
          No account yet, or forgot your password? Ask an admin of the workspace to send you an invitation.
          {demo ? ' This is a demo site: the demo accounts and their passwords are printed in the server log at start.' : ''}
        </p>
      </div>
    ),
  });
}

/** The page an invitation link opens: the name colleagues will see, and a new password. */
export function staffInvitePage({
  chrome,
  token,
  email,
  name,
  errors = [],
}: {
  chrome: StaffChrome;
  token: string;
  email: string;
  name: string;
  errors?: FormError[];
}): Page {
  return staffPage({
    chrome,
    title: 'Join the hiring workspace',
    path: '/staff/invite',
    section: 'none',
    errors,
    lead: `You are invited to the ${chrome.organization} hiring workspace. Choose the name your colleagues will see and a password.`,
    children: (
      <form method="post" action="/staff/invite" className="account-form staff-auth" noValidate>
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="token" value={token} />
        <div className="field">
          <label htmlFor="username">Your sign-in email address</label>
          <input id="username" name="username" type="email" autoComplete="username" defaultValue={email} readOnly />
        </div>
        <Field name="name" label="Your name" type="text" autoComplete="name" errors={errors} value={name} />
        <Field
          name="password"
          label="Choose a password"
          type="password"
          autoComplete="new-password"
          errors={errors}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password that is easy to remember.`}
        />
        <Submit>Join and sign in</Submit>
      </form>
    ),
  });
}

/** A refusal to sign in that needs words rather than a form: a spent invitation, single sign-on that did not work. */
export function staffAuthProblemPage({
  chrome,
  title,
  message,
  path,
}: {
  chrome: StaffChrome;
  title: string;
  message: string;
  path: string;
}): Page {
  return staffPage({
    chrome,
    title,
    path,
    section: 'none',
    lead: message,
    children: (
      <p>
        <a href="/staff/sign-in">Go to the sign-in page</a>
      </p>
    ),
  });
}
