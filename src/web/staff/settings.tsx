import type { FormError } from '../../shared/contracts/account.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField } from '../account/forms.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** A template rendered with sample values; placeholders nobody fills in are marked. */
export interface TemplatePreview {
  subject: Array<{ text: string; unknown?: boolean }>;
  body: Array<{ text: string; unknown?: boolean }>;
  /** Placeholders in the template that are not in its list, as typed ("{{candidate}}"). */
  unknown: string[];
}

export interface TemplateForm {
  key: string;
  label: string;
  description: string;
  placeholders: Array<{ name: string; description: string; sample: string }>;
  subject: string;
  body: string;
  /** No admin has changed it: the built-in text is in use. */
  isDefault: boolean;
  errors: FormError[];
  preview?: TemplatePreview | undefined;
}

export interface SettingsView {
  templates: TemplateForm[];
  /** What the last save did, for the notice at the top. */
  notice?: string | undefined;
}

function Marked({ parts }: { parts: TemplatePreview['body'] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.unknown ? (
          <mark key={index} className="template-unknown">
            {part.text}
            <span className="visually-hidden"> (unknown placeholder)</span>
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

function TemplateFields({ form, csrf }: { form: TemplateForm; csrf: string }) {
  const subjectId = `${form.key}-subject`;
  const bodyId = `${form.key}-body`;
  const subjectError = form.errors.find((e) => e.field === subjectId);
  const bodyError = form.errors.find((e) => e.field === bodyId);
  const placeholdersId = `${form.key}-placeholders`;
  return (
    <section className="panel template" aria-labelledby={`${form.key}-title`}>
      <h2 id={`${form.key}-title`}>{form.label}</h2>
      <p>
        {form.description} {form.isDefault ? 'It uses the built-in text; nobody has changed it yet.' : 'An admin changed it; the change is in the audit log.'}
      </p>
      <div className="template__layout">
        <form method="post" action="/staff/settings" className="template__form" id={`${form.key}-form`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="key" value={form.key} />
          <div className={subjectError ? 'field field--error' : 'field'}>
            <label htmlFor={subjectId}>Subject</label>
            {subjectError ? (
              <p id={`${subjectId}-error`} className="field__error">
                <span className="visually-hidden">Error: </span>
                {subjectError.message}
              </p>
            ) : null}
            <input
              id={subjectId}
              name="subject"
              type="text"
              defaultValue={form.subject}
              aria-invalid={subjectError ? true : undefined}
              aria-describedby={[subjectError ? `${subjectId}-error` : '', placeholdersId].filter(Boolean).join(' ')}
            />
          </div>
          <div className={bodyError ? 'field field--error' : 'field'}>
            <label htmlFor={bodyId}>Text of the email</label>
            {bodyError ? (
              <p id={`${bodyId}-error`} className="field__error">
                <span className="visually-hidden">Error: </span>
                {bodyError.message}
              </p>
            ) : null}
            <textarea
              id={bodyId}
              name="body"
              rows={14}
              defaultValue={form.body}
              aria-invalid={bodyError ? true : undefined}
              aria-describedby={[bodyError ? `${bodyId}-error` : '', placeholdersId].filter(Boolean).join(' ')}
            />
          </div>
          <div className="template__buttons">
            {/* Preview comes first, so Enter in the subject previews rather than saves. */}
            <button type="submit" name="intent" value="preview" className="button button--outline">
              Preview
            </button>
            <button type="submit" name="intent" value="save" className="button button--solid">
              Save
            </button>
          </div>
        </form>
        <div className="template__aside" id={placeholdersId}>
          <h3>Placeholders</h3>
          <p className="field__hint">Type one with double braces; it is replaced when the email is sent.</p>
          <dl className="placeholder-list">
            {form.placeholders.map((p) => (
              <div key={p.name}>
                <dt>
                  <code>{`{{${p.name}}}`}</code>
                </dt>
                <dd>{p.description}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
      {form.preview ? (
        <section className="template-preview" aria-labelledby={`${form.key}-preview-title`}>
          <h3 id={`${form.key}-preview-title`}>Preview with sample values</h3>
          <p className="field__hint">Not saved yet. Sample values: {form.placeholders.map((p) => `${p.name} = “${p.sample}”`).join(', ')}.</p>
          {form.preview.unknown.length ? (
            <p className="notice notice--warning" role="status">
              <strong>Check these placeholders:</strong> {form.preview.unknown.join(', ')} {form.preview.unknown.length === 1 ? 'is' : 'are'} not in the list, so{' '}
              {form.preview.unknown.length === 1 ? 'it is sent exactly as typed. It is' : 'they are sent exactly as typed. They are'} marked below.
            </p>
          ) : (
            <p role="status">Every placeholder is known.</p>
          )}
          <div className="mail-preview">
            <p>
              <strong>Subject:</strong> <Marked parts={form.preview.subject} />
            </p>
            <pre className="mail-body">
              <Marked parts={form.preview.body} />
            </pre>
          </div>
        </section>
      ) : null}
    </section>
  );
}

/** /staff/settings: the email templates admins edit, each with its placeholders and a preview. */
export function settingsPage({ chrome, view }: { chrome: StaffChrome; view: SettingsView }): Page {
  const errors = view.templates.flatMap((t) => t.errors);
  return staffPage({
    chrome,
    title: 'Settings',
    path: '/staff/settings',
    section: 'settings',
    errors,
    lead: 'The emails candidates receive, in your words. Changes apply to emails sent after you save.',
    actions: (
      <>
        <a className="button button--outline" href="/staff/offers/approval-chains">
          Offer approval chains
        </a>
        <a className="button button--outline" href="/staff/reports/self-identification">
          Self-identification questions
        </a>
      </>
    ),
    children: (
      <>
        {view.notice ? (
          <p className="notice" role="status">
            {view.notice}
          </p>
        ) : null}
        {view.templates.map((form) => (
          <TemplateFields key={form.key} form={form} csrf={chrome.csrf} />
        ))}
      </>
    ),
  });
}
