import type { FastifyReply } from 'fastify';
import type { FormError } from '../../../shared/contracts/account.ts';
import { AppError } from '../../errors.ts';

/** A refusal the page shows again with the form as typed (bad input, a conflict) rather than an error page. */
export const shownAgain = (error: unknown): error is AppError => error instanceof AppError && (error.status === 400 || error.status === 409);

/** The fields of a refusal, their names given `prefix`, or one message for the form as a whole. */
export const refusalErrors = (error: AppError, prefix = ''): FormError[] =>
  error.fields.length ? error.fields.map((f) => ({ field: f.field ? `${prefix}${f.field}` : '', message: f.message })) : [{ field: '', message: error.message }];

/**
 * Runs a form's change and redirects (303) to the address it returns; a refusal the page shows
 * again goes to `showAgain` with its errors and status, anything else is thrown on.
 */
export async function redirectOrShowAgain(
  reply: FastifyReply,
  change: () => Promise<string>,
  showAgain: (errors: FormError[], status: number) => Promise<unknown>,
  prefix = '',
) {
  try {
    return reply.redirect(await change(), 303);
  } catch (error) {
    if (!shownAgain(error)) throw error;
    return showAgain(refusalErrors(error, prefix), error.status);
  }
}
