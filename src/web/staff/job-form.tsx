import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import {
  EMPLOYMENT_TYPE_LABELS,
  EMPLOYMENT_TYPES,
  LEVELS,
  PAY_UNIT_LABELS,
  PAY_UNITS,
  QUESTION_KINDS,
  WORKPLACE_TYPE_LABELS,
  WORKPLACE_TYPES,
  type JobStatus,
  type QuestionKind,
} from '../../shared/contracts/jobs.ts';
import { STAFF_ROLE_LABELS, type StaffRole } from '../../domain/policy.ts';
import { JOB_STATUS_LABELS } from '../../domain/job-lifecycle.ts';
import { CsrfField } from '../account/forms.tsx';
import type { Page } from '../careers/pages.tsx';
import { Prose } from '../ui/Layout.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** The job form's values by field name, as typed (checkbox groups as lists). */
export type JobFormValues = Record<string, string | string[] | undefined>;

/** Someone who may take a place on a hiring team. */
export interface StaffOption {
  id: number;
  name: string;
  role: StaffRole;
}

/** What the job form offers to choose from. */
export interface JobFormChoices {
  teams: Array<{ slug: string; name: string }>;
  principles: Array<{ slug: string; name: string; summary: string }>;
  /** Categories other jobs use, offered as suggestions. */
  categories: string[];
  staff: { hiringManagers: StaffOption[]; recruiters: StaffOption[]; interviewers: StaffOption[] };
}

export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  short_text: 'Short text',
  long_text: 'Long text',
  yes_no: 'Yes or no',
  single_choice: 'One choice of several',
  multiple_choice: 'Any choices of several',
  number: 'Number',
};

export interface JobFormPageProps {
  chrome: StaffChrome;
  /** The job being edited; absent for a new one. */
  job?: { id: number; title: string; status: JobStatus };
  values: JobFormValues;
  errors: FormError[];
  choices: JobFormChoices;
  /** How many screening-question rows to show. */
  questionRows: number;
  /** Answers per existing question id: answered questions cannot be removed. */
  answers?: Record<number, number>;
  /** The description rendered to sanitized HTML, when Preview was pressed. */
  preview?: string;
  /** Who fills the form in (the hint about joining the team depends on it). */
  actorRole: StaffRole;
  locationRows: number;
}

const first = (values: JobFormValues, name: string): string => {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
const all = (values: JobFormValues, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v];
};

/** A field's error message, when refused. */
function ErrorText({ id, errors }: { id: string; errors: FormError[] }) {
  const message = errors.find((e) => e.field === id)?.message;
  return message ? (
    <p className="field__error" id={`${id}-error`}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  ) : null;
}

/** The aria attributes that tie an input to its hint and its error. */
function describedBy(id: string, errors: FormError[], hint: boolean) {
  const error = errors.some((e) => e.field === id);
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(ids ? { 'aria-describedby': ids } : {}), ...(error ? { 'aria-invalid': true as const } : {}) };
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <p className="field__hint" id={`${id}-hint`}>
      {children}
    </p>
  ) : null;
}

const fieldClass = (id: string, errors: FormError[], extra = '') => ['field', extra, errors.some((e) => e.field === id) ? 'field--error' : ''].filter(Boolean).join(' ');

function Optional({ required }: { required?: boolean }) {
  return required ? null : <span className="field__optional"> (optional)</span>;
}

function TextInput(props: {
  name: string;
  label: string;
  values: JobFormValues;
  errors: FormError[];
  hint?: ReactNode;
  required?: boolean;
  type?: 'text' | 'date';
  inputMode?: 'numeric' | 'decimal';
  list?: string;
  className?: string;
  autoComplete?: string;
}) {
  const { name, errors } = props;
  return (
    <div className={fieldClass(name, errors, props.className)}>
      <label htmlFor={name}>
        {props.label}
        <Optional required={props.required} />
      </label>
      <Hint id={name}>{props.hint}</Hint>
      <ErrorText id={name} errors={errors} />
      <input
        id={name}
        name={name}
        type={props.type ?? 'text'}
        defaultValue={first(props.values, name)}
        inputMode={props.inputMode}
        list={props.list}
        autoComplete={props.autoComplete ?? 'off'}
        {...describedBy(name, errors, Boolean(props.hint))}
      />
    </div>
  );
}

function TextArea(props: { name: string; label: string; values: JobFormValues; errors: FormError[]; hint?: ReactNode; rows?: number; required?: boolean }) {
  const { name, errors } = props;
  return (
    <div className={fieldClass(name, errors)}>
      <label htmlFor={name}>
        {props.label}
        <Optional required={props.required} />
      </label>
      <Hint id={name}>{props.hint}</Hint>
      <ErrorText id={name} errors={errors} />
      <textarea id={name} name={name} rows={props.rows ?? 4} defaultValue={first(props.values, name)} {...describedBy(name, errors, Boolean(props.hint))} />
    </div>
  );
}

function Select(props: {
  name: string;
  label: string;
  values: JobFormValues;
  errors: FormError[];
  options: Array<{ value: string; label: string }>;
  hint?: ReactNode;
  placeholder?: string;
  className?: string;
}) {
  const { name, errors } = props;
  return (
    <div className={fieldClass(name, errors, props.className)}>
      <label htmlFor={name}>{props.label}</label>
      <Hint id={name}>{props.hint}</Hint>
      <ErrorText id={name} errors={errors} />
      <select id={name} name={name} defaultValue={first(props.values, name)} {...describedBy(name, errors, Boolean(props.hint))}>
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A group of checkboxes (or radios) with a legend; the group carries the id errors link to. */
function Choices(props: {
  name: string;
  legend: string;
  values: JobFormValues;
  errors: FormError[];
  options: Array<{ value: string; label: string; hint?: string }>;
  type?: 'checkbox' | 'radio';
  hint?: ReactNode;
  columns?: boolean;
}) {
  const { name, errors } = props;
  const chosen = all(props.values, name);
  return (
    <fieldset className={fieldClass(name, errors, 'choice')} id={name} {...describedBy(name, errors, Boolean(props.hint))}>
      <legend>{props.legend}</legend>
      <Hint id={name}>{props.hint}</Hint>
      <ErrorText id={name} errors={errors} />
      <div className={props.columns ? 'job-form__choices job-form__choices--columns' : 'job-form__choices'}>
        {props.options.map((option) => {
          const id = `${name}-${option.value}`;
          return (
            <div className="choice__option" key={option.value}>
              <input type={props.type ?? 'checkbox'} id={id} name={name} value={option.value} defaultChecked={chosen.includes(option.value)} />
              <label htmlFor={id}>
                {option.label}
                {option.hint ? <span className="job-form__option-hint"> — {option.hint}</span> : null}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function LocationRow({ row, values, errors }: { row: number; values: JobFormValues; errors: FormError[] }) {
  const p = `loc${row}`;
  return (
    <fieldset className="job-form__row">
      <legend>Location {row}</legend>
      <div className="job-form__cols">
        <TextInput name={`${p}-city`} label="City" values={values} errors={errors} required={row === 1} className="field--grow" />
        <TextInput name={`${p}-region`} label="Region or state" values={values} errors={errors} className="field--grow" />
        <TextInput name={`${p}-country`} label="Country code" values={values} errors={errors} hint="Two letters, like US" required={row === 1} className="job-form__short" />
        <TextInput name={`${p}-latitude`} label="Latitude" values={values} errors={errors} inputMode="decimal" className="job-form__short" />
        <TextInput name={`${p}-longitude`} label="Longitude" values={values} errors={errors} inputMode="decimal" className="job-form__short" />
      </div>
    </fieldset>
  );
}

function QuestionRow({ row, values, errors, answers }: { row: number; values: JobFormValues; errors: FormError[]; answers: Record<number, number> }) {
  const p = `q${row}`;
  const id = Number(first(values, `${p}-id`)) || null;
  const answered = id === null ? 0 : (answers[id] ?? 0);
  return (
    <fieldset className="job-form__row">
      <legend>Question {row}</legend>
      {id !== null ? <input type="hidden" name={`${p}-id`} value={String(id)} /> : null}
      {answered > 0 ? (
        <p className="field__hint">
          {answered} candidate{answered === 1 ? ' has' : 's have'} answered this question: it stays, and its kind of answer cannot change.
        </p>
      ) : null}
      <TextInput name={`${p}-label`} label="Question" values={values} errors={errors} required={id !== null} />
      <div className="job-form__cols">
        <Select
          name={`${p}-kind`}
          label="Kind of answer"
          values={values}
          errors={errors}
          options={QUESTION_KINDS.map((k) => ({ value: k, label: QUESTION_KIND_LABELS[k] }))}
          className="field--grow"
        />
        <div className="choice__option job-form__inline-check">
          <input type="checkbox" id={`${p}-required`} name={`${p}-required`} value="yes" defaultChecked={first(values, `${p}-required`) === 'yes'} />
          <label htmlFor={`${p}-required`}>An answer is required</label>
        </div>
      </div>
      <TextArea name={`${p}-options`} label="Options, one per line" values={values} errors={errors} rows={3} hint="For the two choice kinds only: at least two." />
      {id !== null && answered === 0 ? (
        <div className={fieldClass(`${p}-remove`, errors, 'choice__option')}>
          <input type="checkbox" id={`${p}-remove`} name={`${p}-remove`} value="yes" defaultChecked={first(values, `${p}-remove`) === 'yes'} />
          <label htmlFor={`${p}-remove`}>Remove this question</label>
          <ErrorText id={`${p}-remove`} errors={errors} />
        </div>
      ) : null}
    </fieldset>
  );
}

const staffLabel = (s: StaffOption) => `${s.name} (${STAFF_ROLE_LABELS[s.role]})`;

/** The form that creates or edits a job. Plain HTML: Preview and "more question rows" are submit buttons that show the form again. */
export function jobFormPage(props: JobFormPageProps): Page {
  const { chrome, job, values, errors, choices, actorRole } = props;
  const answers = props.answers ?? {};
  const editing = job !== undefined;
  const title = editing ? `Edit job: ${job.title}` : 'New job';
  const path = editing ? `/staff/jobs/${job.id}/edit` : '/staff/jobs/new';
  const action = editing ? `/staff/jobs/${job.id}` : '/staff/jobs';
  const selfHint =
    !editing && actorRole === 'recruiter'
      ? 'You join the team as a recruiter.'
      : !editing && actorRole === 'hiring_manager'
        ? 'You join as hiring manager when you choose yourself; if you choose someone else, you join as an interviewer.'
        : undefined;
  return staffPage({
    chrome,
    title,
    path,
    section: 'jobs',
    errors,
    lead: editing
      ? `${JOB_STATUS_LABELS[job.status]}. Changes to an open job show on its public page as soon as you save.`
      : 'A new job starts as a draft: nothing is published until it is submitted and its hiring manager approves it.',
    children: (
      <form method="post" action={action} className="job-form" noValidate>
        <CsrfField token={chrome.csrf} />
        <input type="hidden" name="questionRows" value={String(props.questionRows)} />
        <input type="hidden" name="locationRows" value={String(props.locationRows)} />

        <fieldset className="form-section">
          <legend>The job</legend>
          <TextInput name="title" label="Title" values={values} errors={errors} required />
          <div className="job-form__cols">
            <Select
              name="team"
              label="Team"
              values={values}
              errors={errors}
              placeholder="Choose a team"
              options={choices.teams.map((t) => ({ value: t.slug, label: t.name }))}
              className="field--grow"
            />
            <TextInput name="category" label="Category" values={values} errors={errors} required list="job-categories" hint="Like Software Development." className="field--grow" />
            <datalist id="job-categories">
              {choices.categories.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </div>
          <div className="job-form__cols">
            <Select
              name="level"
              label="Level"
              values={values}
              errors={errors}
              placeholder="Choose a level"
              options={LEVELS.map((l) => ({ value: String(l.value), label: `${l.value} · ${l.label}` }))}
              className="field--grow"
            />
            <Select
              name="employmentType"
              label="Employment type"
              values={values}
              errors={errors}
              options={EMPLOYMENT_TYPES.map((t) => ({ value: t, label: EMPLOYMENT_TYPE_LABELS[t] }))}
              className="field--grow"
            />
          </div>
          <div className="job-form__cols">
            <TextInput name="headcount" label="Headcount" values={values} errors={errors} inputMode="numeric" hint="How many people this job hires." required className="job-form__short" />
            <TextInput name="closesAt" label="Closing date" type="date" values={values} errors={errors} hint="The last day it takes applications." className="job-form__short" />
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Where</legend>
          <Choices
            name="workplaceType"
            legend="Workplace"
            type="radio"
            values={values}
            errors={errors}
            options={WORKPLACE_TYPES.map((w) => ({ value: w, label: WORKPLACE_TYPE_LABELS[w] }))}
          />
          {Array.from({ length: props.locationRows }, (_, i) => (
            <LocationRow key={i} row={i + 1} values={values} errors={errors} />
          ))}
          <TextInput
            name="applicantCountries"
            label="Countries a remote job hires from"
            values={values}
            errors={errors}
            hint="Two-letter codes separated by commas, like US, CA. For remote jobs."
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Description</legend>
          <TextArea name="description" label="Description" values={values} errors={errors} rows={12} required hint="Markdown: ## headings, **bold**, - lists, [links](https://…)." />
          <div>
            <button type="submit" name="intent" value="preview" className="button button--outline">
              Preview the description
            </button>
          </div>
          {props.preview !== undefined ? (
            <section className="job-form__preview" aria-labelledby="preview-title">
              <h2 id="preview-title">Preview</h2>
              <p className="field__hint">As candidates will read it. Nothing is saved yet.</p>
              <Prose html={props.preview} />
            </section>
          ) : null}
          <TextArea name="basicQualifications" label="Basic qualifications" values={values} errors={errors} hint="One per line." />
          <TextArea name="preferredQualifications" label="Preferred qualifications" values={values} errors={errors} hint="One per line." />
        </fieldset>

        <fieldset className="form-section">
          <legend>Pay range</legend>
          <p className="field__hint">Leave the amounts empty to publish no pay range.</p>
          <div className="job-form__cols">
            <TextInput name="payCurrency" label="Currency" values={values} errors={errors} hint="Like USD" className="job-form__short" />
            <TextInput name="payMin" label="From" values={values} errors={errors} inputMode="decimal" className="job-form__short" />
            <TextInput name="payMax" label="To" values={values} errors={errors} inputMode="decimal" className="job-form__short" />
            <Select name="payUnit" label="Per" values={values} errors={errors} options={PAY_UNITS.map((u) => ({ value: u, label: PAY_UNIT_LABELS[u].replace(/^per /, '') }))} />
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Principles</legend>
          <Choices
            name="principles"
            legend="Principles this job emphasizes"
            values={values}
            errors={errors}
            hint="At least three. Interviews assess these, and candidates see them on the job page."
            options={choices.principles.map((p) => ({ value: p.slug, label: p.name }))}
            columns
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Screening questions</legend>
          <p className="field__hint">Asked on the application form. Empty rows are ignored.</p>
          {Array.from({ length: props.questionRows }, (_, i) => (
            <QuestionRow key={i} row={i + 1} values={values} errors={errors} answers={answers} />
          ))}
          <div>
            <button type="submit" name="intent" value="more_questions" className="button button--outline">
              Add more question rows
            </button>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Hiring team</legend>
          <Select
            name="hiringManager"
            label="Hiring manager"
            values={values}
            errors={errors}
            placeholder="Choose the hiring manager"
            hint={['They approve the job before it is published.', selfHint].filter(Boolean).join(' ')}
            options={choices.staff.hiringManagers.map((s) => ({ value: String(s.id), label: staffLabel(s) }))}
          />
          <Choices
            name="recruiters"
            legend="Recruiters"
            values={values}
            errors={errors}
            options={choices.staff.recruiters.map((s) => ({ value: String(s.id), label: staffLabel(s) }))}
            columns
          />
          <Choices
            name="interviewers"
            legend="Interviewers"
            values={values}
            errors={errors}
            hint="They can read the job and its applications; they change nothing."
            options={choices.staff.interviewers.map((s) => ({ value: String(s.id), label: staffLabel(s) }))}
            columns
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Screening</legend>
          <div className="choice__option">
            <input type="checkbox" id="anonymizedScreening" name="anonymizedScreening" value="yes" defaultChecked={first(values, 'anonymizedScreening') === 'yes'} />
            <label htmlFor="anonymizedScreening">Anonymized screening: hide names, contact details, links and schools until an application passes screening</label>
          </div>
        </fieldset>

        <div className="job-form__submit">
          <button type="submit" name="intent" value="save" className="button button--solid">
            {editing ? 'Save changes' : 'Save draft'}
          </button>
          <a href={editing ? `/staff/jobs/${job.id}` : '/staff/jobs'}>Cancel</a>
        </div>
      </form>
    ),
  });
}
