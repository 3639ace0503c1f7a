import { z } from 'zod';

/** Fewer characters than this and a password is refused; length matters more than symbols. */
export const PASSWORD_MIN_LENGTH = 10;
/** Longer passwords are refused so that hashing one cannot be used to tie up the server. */
export const PASSWORD_MAX_LENGTH = 200;

/** An email address as typed, trimmed; people are matched on it ignoring letter case. */
export const emailSchema = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Enter an email address of at most 254 characters')
  .pipe(z.email({ error: 'Enter an email address like name@example.com' }));

/** A password someone chooses: long enough, not absurdly long. The server also refuses common ones. */
export const newPasswordSchema = z
  .string({ error: 'Enter a password' })
  .min(1, 'Enter a password')
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

/** The sign-up form. */
export const signUpSchema = z.object({ email: emailSchema, password: newPasswordSchema });
export type SignUpInput = z.infer<typeof signUpSchema>;

/** The sign-in form: any non-empty password is checked, whatever its length. */
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(PASSWORD_MAX_LENGTH, 'The email address or password is not right'),
});
export type SignInInput = z.infer<typeof signInSchema>;

/** Forms that ask only for an address: a sign-in link, a password reset. */
export const emailOnlySchema = z.object({ email: emailSchema });
export type EmailOnlyInput = z.infer<typeof emailOnlySchema>;

/** The form that sets a new password from a reset link. */
export const resetPasswordSchema = z.object({ password: newPasswordSchema });
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

/** A one-time token from an emailed link: 32 random bytes, base64url. */
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** A problem with one field, shown beside it and in the summary at the top of the form. */
export interface FormError {
  /** The field's name, or '' for a problem with the form as a whole. */
  field: string;
  message: string;
}

/** What an account form shows again after a refusal: what was typed (never a password) and why. */
export interface FormState {
  values: { email?: string };
  errors: FormError[];
}

/** Why an email was sent, for the page that says so. */
export const EMAIL_SENT_REASONS = ['sign-up', 'reset', 'link'] as const;
export type EmailSentReason = (typeof EMAIL_SENT_REASONS)[number];

/** The signed-in candidate as pages see them. */
export interface AccountView {
  email: string;
  emailVerified: boolean;
  /** A notice after a redirect, e.g. that a verification email was sent. */
  notice?: string;
}
