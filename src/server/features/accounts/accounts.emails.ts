import type { OutgoingMail } from '../mail/mail.types.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A short message with one main link, as plain text and as simple escaped HTML. */
function message({
  kind,
  to,
  subject,
  organization,
  lines,
  action,
  after = [],
}: {
  kind: string;
  to: string;
  subject: string;
  organization: string;
  lines: string[];
  action?: { label: string; url: string };
  after?: string[];
}): OutgoingMail {
  const text = [
    ...lines,
    ...(action ? ['', `${action.label}:`, action.url] : []),
    ...(after.length ? ['', ...after] : []),
    '',
    `— ${organization} Careers`,
  ].join('\n');
  const html = [
    ...lines.map((l) => `<p>${escape(l)}</p>`),
    ...(action ? [`<p><a href="${escape(action.url)}">${escape(action.label)}</a></p>`] : []),
    ...after.map((l) => `<p>${escape(l)}</p>`),
    `<p>— ${escape(organization)} Careers</p>`,
  ].join('\n');
  return { kind, to, subject, text, html };
}

const IGNORE = 'If you did not ask for this, you can ignore this email: nothing changes until the link is used.';

export function verifyEmailMail({ to, url, organization }: { to: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'verify_email',
    to,
    subject: `Confirm your email address for ${organization} Careers`,
    organization,
    lines: ['Thank you for creating an account. Please confirm that this email address is yours.'],
    action: { label: 'Confirm your email address (the link works for 24 hours)', url },
    after: [IGNORE],
  });
}

/** Sent instead of a new account when the address already has one, so the form reveals nothing. */
export function accountExistsMail({
  to,
  organization,
  publicUrl,
  verifyUrl,
}: {
  to: string;
  organization: string;
  publicUrl: string;
  verifyUrl: string | undefined;
}): OutgoingMail {
  return message({
    kind: 'account_exists',
    to,
    subject: `You already have an account at ${organization} Careers`,
    organization,
    lines: [
      'Someone, probably you, tried to create an account with this email address, which already has one. We have not changed it.',
      `Sign in at ${publicUrl}/account/sign-in, or if you forgot your password, choose a new one at ${publicUrl}/account/reset.`,
    ],
    ...(verifyUrl ? { action: { label: 'Your address is not confirmed yet; confirm it here (24 hours)', url: verifyUrl } } : {}),
    after: ['If this was not you, you can ignore this email.'],
  });
}

export function resetPasswordMail({ to, url, organization }: { to: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'reset_password',
    to,
    subject: `Choose a new password for ${organization} Careers`,
    organization,
    lines: ['We received a request to choose a new password for the account with this email address.'],
    action: { label: 'Choose a new password (the link works for 1 hour)', url },
    after: [IGNORE],
  });
}

export function signInLinkMail({ to, url, organization }: { to: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'sign_in_link',
    to,
    subject: `Your sign-in link for ${organization} Careers`,
    organization,
    lines: ['Use this link to sign in without a password. It works once.'],
    action: { label: 'Sign in (the link works for 15 minutes)', url },
    after: [IGNORE],
  });
}
