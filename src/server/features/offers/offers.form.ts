import type { FormError } from '../../../shared/contracts/account.ts';
import { LEVELS, PAY_UNITS } from '../../../shared/contracts/jobs.ts';
import type { TermsValues } from '../../../web/staff/offers.tsx';
import type { OfferTerms } from './offers.repository.ts';

export type { TermsValues };

// Reading the offer forms: what was typed (to show again) and, when it is all valid, what to store.

type Body = Record<string, unknown>;

export const TITLE_MAX = 200;
export const EQUITY_MAX = 500;
export const NOTES_MAX = 2000;
export const REASON_MAX = 2000;

/** A single form value (the first when repeated), cut to `max` characters. */
export const text = (raw: unknown, max: number): string => {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.slice(0, max) : '';
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a YYYY-MM-DD string is a real calendar day. */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** Today as YYYY-MM-DD, UTC. */
export const today = (now: Date) => now.toISOString().slice(0, 10);

/** "185,000.50" → 185000.5; undefined when it is not an amount with at most two decimals. */
function amount(raw: string): number | undefined {
  const cleaned = raw.replace(/[\s,_]/g, '');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

export function readTermsValues(body: Body): TermsValues {
  return {
    title: text(body.title, TITLE_MAX + 50).trim(),
    level: text(body.level, 10).trim(),
    basePay: text(body.basePay, 40).trim(),
    currency: text(body.currency, 10).trim().toUpperCase(),
    payUnit: text(body.payUnit, 10).trim(),
    startDate: text(body.startDate, 20).trim(),
    signOnBonus: text(body.signOnBonus, 40).trim(),
    equity: text(body.equity, EQUITY_MAX + 50).trim(),
    notes: text(body.notes, NOTES_MAX + 200).trim(),
  };
}

/** Checks the terms field by field, in form order; `now` decides which start dates are past. */
export function parseTerms(values: TermsValues, now: Date): { terms?: OfferTerms; errors: FormError[] } {
  const errors: FormError[] = [];
  if (!values.title) errors.push({ field: 'title', message: 'Enter the job title of the offer' });
  else if (values.title.length > TITLE_MAX) errors.push({ field: 'title', message: `Keep the title to ${TITLE_MAX} characters` });
  const level = Number(values.level);
  if (!LEVELS.some((l) => String(l.value) === values.level)) errors.push({ field: 'level', message: 'Choose a level from the list' });
  const basePay = amount(values.basePay);
  if (basePay === undefined || basePay <= 0) errors.push({ field: 'basePay', message: 'Enter the base pay as an amount, such as 185000 or 42.50' });
  if (!/^[A-Z]{3}$/.test(values.currency)) errors.push({ field: 'currency', message: 'Enter the currency as a three-letter code, such as USD or EUR' });
  if (!(PAY_UNITS as readonly string[]).includes(values.payUnit)) errors.push({ field: 'payUnit', message: 'Choose how often the base pay is paid' });
  if (!isDay(values.startDate)) errors.push({ field: 'startDate', message: 'Enter the start date as YYYY-MM-DD' });
  else if (values.startDate < today(now)) errors.push({ field: 'startDate', message: 'Choose a start date that is not in the past' });
  const bonus = values.signOnBonus ? amount(values.signOnBonus) : null;
  if (bonus === undefined) errors.push({ field: 'signOnBonus', message: 'Enter the sign-on bonus as an amount, or leave it empty' });
  if (values.equity.length > EQUITY_MAX) errors.push({ field: 'equity', message: `Keep the equity to ${EQUITY_MAX} characters` });
  if (values.notes.length > NOTES_MAX) errors.push({ field: 'notes', message: `Keep the notes to ${NOTES_MAX} characters, so the letter stays within two pages` });
  if (errors.length || basePay === undefined || bonus === undefined) return { errors };
  return {
    errors,
    terms: {
      title: values.title,
      level,
      basePay,
      currency: values.currency,
      payUnit: values.payUnit,
      startDate: values.startDate,
      signOnBonus: bonus && bonus > 0 ? bonus : null,
      equity: values.equity || null,
      notes: values.notes || null,
    },
  };
}
