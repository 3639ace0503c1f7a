/**
 * Email templates that admins edit: plain text with {{placeholders}}. Pure: a template and the
 * values in, the text out. Unknown placeholders stay as typed, so a typo shows in the preview
 * instead of vanishing.
 */
export interface EmailTemplate {
  subject: string;
  body: string;
}

export const TEMPLATE_KEYS = ['rejection'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** The placeholders each template may use, with what they stand for. */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateKey, Record<string, string>> = {
  rejection: {
    candidate_name: 'The candidate’s name',
    job_title: 'The job’s title',
    organization: 'Your organization’s name',
  },
};

export const DEFAULT_TEMPLATES: Record<TemplateKey, EmailTemplate> = {
  rejection: {
    subject: 'Your application for {{job_title}}',
    body: [
      'Dear {{candidate_name}},',
      '',
      'Thank you for the time you gave to your application for {{job_title}}. We have read it carefully and decided not to go further with it for this role.',
      '',
      'This is about the fit with this particular opening, not about your worth. Your account keeps your profile, and you are welcome to apply for other roles that suit you.',
      '',
      'With our thanks,',
      'The {{organization}} hiring team',
    ].join('\n'),
  },
};

/** Fills in {{name}} placeholders; values are plain text (emails escape them where HTML is made). */
export function renderTemplate(template: EmailTemplate, values: Record<string, string>): EmailTemplate {
  const fill = (text: string) => text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
  return { subject: fill(template.subject).replace(/[\r\n]+/g, ' ').trim(), body: fill(template.body) };
}
