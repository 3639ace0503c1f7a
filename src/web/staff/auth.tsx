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
        <p>
          <a href="/staff/forgot-password">Forgot your password?</a>
        </p>
        <p className="field__hint staff-auth__help">
          No account yet? Ask an admin of the workspace to send you an invitation.
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

/** "Forgot your password?": the address to send a link to. */
export function staffForgotPasswordPage({ chrome, email = '', errors = [] }: { chrome: StaffChrome; email?: string; errors?: FormError[] }): Page {
  return staffPage({
    chrome,
    title: 'Reset your password',
    path: '/staff/forgot-password',
    section: 'none',
    errors,
    lead: 'Enter the email address you sign in with. We will email you a link to choose a new password.',
    children: (
      <div className="staff-auth">
        <form method="post" action="/staff/forgot-password" className="account-form" noValidate>
          <CsrfField token={chrome.csrf} />
          <Field name="email" label="Work email address" type="email" autoComplete="username" errors={errors} value={email} />
          <Submit>Email me a link</Submit>
        </form>
        <p className="staff-auth__help">
          <a href="/staff/sign-in">Back to sign in</a>
        </p>
      </div>
    ),
  });
}

/** The one answer to the form above, whether or not the address belongs to a member of staff. */
export function staffResetSentPage({ chrome }: { chrome: StaffChrome }): Page {
  return staffPage({
    chrome,
    title: 'Check your email',
    path: '/staff/forgot-password',
    section: 'none',
    lead: 'If that address belongs to a member of staff, we have sent it a link to choose a new password. The link works once, for one hour.',
    children: (
      <>
        <p>No email after a few minutes? Check your spam folder, or ask an admin of the workspace for help.</p>
        <p>
          <a href="/staff/sign-in">Back to sign in</a>
        </p>
      </>
    ),
  });
}

/** The page a password reset link opens: the account it is for, and a new password. */
export function staffNewPasswordPage({ chrome, token, email, errors = [] }: { chrome: StaffChrome; token: string; email: string; errors?: FormError[] }): Page {
  return staffPage({
    chrome,
    title: 'Choose a new password',
    path: '/staff/reset-password',
    section: 'none',
    errors,
    lead: 'Choose a new password for your account in the hiring workspace. Saving it signs you out on every other device.',
    children: (
      <form method="post" action="/staff/reset-password" className="account-form staff-auth" noValidate>
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="token" value={token} />
        <div className="field">
          <label htmlFor="username">Your sign-in email address</label>
          <input id="username" name="username" type="email" autoComplete="username" defaultValue={email} readOnly />
        </div>
        <Field
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          errors={errors}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password that is easy to remember.`}
        />
        <Submit>Save the password and sign in</Submit>
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
  next,
}: {
  chrome: StaffChrome;
  title: string;
  message: string;
  path: string;
  /** What to do instead, when there is more to offer than the sign-in page. */
  next?: { href: string; label: string } | undefined;
}): Page {
  return staffPage({
    chrome,
    title,
    path,
    section: 'none',
    lead: message,
    children: (
      <>
        {next ? (
          <p>
            <a href={next.href}>{next.label}</a>
          </p>
        ) : null}
        <p>
          <a href="/staff/sign-in">Go to the sign-in page</a>
        </p>
      </>
    ),
  });
}
