import { DEFAULT_TEMPLATES, renderTemplate, TEMPLATE_KEYS, TEMPLATE_PLACEHOLDERS, type EmailTemplate, type TemplateKey } from '../../../domain/templates.ts';
import type { FormError } from '../../../shared/contracts/account.ts';
import type { TemplateForm, TemplatePreview } from '../../../web/staff/settings.tsx';
import type { Db } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import { getSetting, putSetting } from '../staff/settings.repository.ts';

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;

/** What each template is for, in the words of the settings page; a template not listed here shows its key. */
const ABOUT: Partial<Record<TemplateKey, { label: string; description: string }>> = {
  rejection: { label: 'Rejection email', description: 'Sent to a candidate when their application is rejected and the recruiter chooses to tell them.' },
};

/** Values the preview fills in; a placeholder without one shows its own name in brackets. */
const SAMPLES: Record<string, string> = {
  candidate_name: 'Alex Morgan',
  job_title: 'Senior Software Development Engineer',
};

const settingKey = (key: TemplateKey) => `email_template.${key}`;

/** The template key of a form, or a 404 for one that does not exist. */
export function templateKey(raw: unknown): TemplateKey {
  if (typeof raw === 'string' && (TEMPLATE_KEYS as readonly string[]).includes(raw)) return raw as TemplateKey;
  throw new NotFoundError('There is no such email template.');
}

function placeholdersOf(key: TemplateKey, organization: string): TemplateForm['placeholders'] {
  return Object.entries(TEMPLATE_PLACEHOLDERS[key]).map(([name, description]) => ({
    name,
    description,
    sample: name === 'organization' ? organization : (SAMPLES[name] ?? `[${name}]`),
  }));
}

/** Placeholders written in a text: every {{…}}, whatever is inside the braces. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Splits rendered text so that placeholders left in it (unknown ones) can be marked. */
function markUnknown(text: string): TemplatePreview['body'] {
  const parts: TemplatePreview['body'] = [];
  let at = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    parts.push({ text: match[0], unknown: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/**
 * The template rendered with sample values, and the placeholders its list does not name
 * (they are sent as typed, so the preview marks them; saving them is allowed).
 */
export function previewTemplate({ key, template, organization }: { key: TemplateKey; template: EmailTemplate; organization: string }): TemplatePreview {
  const known = TEMPLATE_PLACEHOLDERS[key];
  const values = Object.fromEntries(placeholdersOf(key, organization).map((p) => [p.name, p.sample]));
  const unknown = new Set<string>();
  for (const match of `${template.subject}\n${template.body}`.matchAll(PLACEHOLDER)) {
    if (!(match[1]! in known)) unknown.add(match[0]);
  }
  const rendered = renderTemplate(template, values);
  return { subject: markUnknown(rendered.subject), body: markUnknown(rendered.body), unknown: [...unknown] };
}

/** Field problems of a template as typed; the fields are named `<key>-subject` and `<key>-body`, as on the page. */
export function templateErrors(key: TemplateKey, template: EmailTemplate): FormError[] {
  const errors: FormError[] = [];
  const subject = template.subject.trim();
  if (subject === '') errors.push({ field: `${key}-subject`, message: 'Enter a subject' });
  else if (subject.length > SUBJECT_MAX) errors.push({ field: `${key}-subject`, message: `Enter a subject of at most ${SUBJECT_MAX} characters` });
  if (template.body.trim() === '') errors.push({ field: `${key}-body`, message: 'Enter the text of the email' });
  else if (template.body.length > BODY_MAX) errors.push({ field: `${key}-body`, message: `Enter at most ${BODY_MAX.toLocaleString('en-US')} characters of text` });
  return errors;
}

/** A template as a form posts it: line ends as \n, the subject on one line. */
export function normalizeTemplate(raw: { subject?: unknown; body?: unknown }): EmailTemplate {
  const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
  return { subject: text(raw.subject).replace(/[\r\n]+/g, ' '), body: text(raw.body).replace(/\r\n?/g, '\n') };
}

/**
 * The settings page's template forms: the saved text (or the default), or for the one form
 * just posted, what was typed with its errors or preview.
 */
export async function loadTemplateForms({
  db,
  organization,
  posted,
}: {
  db: Db;
  organization: string;
  posted?: { key: TemplateKey; template: EmailTemplate; errors: FormError[]; preview?: TemplatePreview | undefined };
}): Promise<TemplateForm[]> {
  const forms: TemplateForm[] = [];
  for (const key of TEMPLATE_KEYS) {
    const stored = await getSetting<EmailTemplate>(db, settingKey(key));
    const shown = posted?.key === key ? posted.template : (stored ?? DEFAULT_TEMPLATES[key]);
    forms.push({
      key,
      label: ABOUT[key]?.label ?? key,
      description: ABOUT[key]?.description ?? '',
      placeholders: placeholdersOf(key, organization),
      subject: shown.subject,
      body: shown.body,
      isDefault: stored === undefined,
      errors: posted?.key === key ? posted.errors : [],
      preview: posted?.key === key ? posted.preview : undefined,
    });
  }
  return forms;
}

/**
 * Saves an email template: the setting and its audit event (before: what was in effect,
 * the default when nobody had changed it) in one transaction. Answers whether anything changed.
 */
export async function saveEmailTemplate({ db, key, template, by }: { db: Db; key: TemplateKey; template: EmailTemplate; by: number }): Promise<{ changed: boolean }> {
  const errors = templateErrors(key, template);
  if (errors.length) throw new ValidationError('The template is not complete.', errors);
  const after: EmailTemplate = { subject: template.subject.trim(), body: template.body };
  return db.transaction(async (tx) => {
    const current = (await getSetting<EmailTemplate>(tx, settingKey(key))) ?? DEFAULT_TEMPLATES[key];
    if (current.subject === after.subject && current.body === after.body) return { changed: false };
    const stored = await putSetting(tx, settingKey(key), after);
    await recordStaffAudit(tx, {
      actorId: by,
      action: 'setting.updated',
      subjectType: 'setting',
      subjectId: settingKey(key),
      before: stored ?? { ...DEFAULT_TEMPLATES[key], default: true },
      after,
    });
    return { changed: true };
  });
}

/** The label of a template, for notices. */
export const templateLabel = (key: TemplateKey) => ABOUT[key]?.label ?? key;
