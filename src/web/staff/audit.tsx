import type { FormError } from '../../shared/contracts/account.ts';
import type { Page } from '../careers/pages.tsx';
import { LabelledField } from '../account/forms.tsx';
import { Pager, When } from './home.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** The filters as typed, kept in the form and in every link of the page. */
export interface AuditFilterValues {
  actorType: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  from: string;
  to: string;
}

export interface AuditEventView {
  id: number;
  at: Date;
  actor: { label: string; filterHref: string };
  action: string;
  subject: { label: string; filterHref: string; openHref?: string | undefined };
  /** The stored JSON, indented; React escapes it. */
  before: string | null;
  after: string | null;
}

export interface AuditView {
  values: AuditFilterValues;
  errors: FormError[];
  events: AuditEventView[];
  /** The filters in use, in words. */
  summary: string[];
  /** Staff names and ids, suggested in the actor id field. */
  staff: Array<{ id: number; name: string }>;
  newer?: string | undefined;
  older?: string | undefined;
  csvHref: string;
}

const ACTOR_TYPE_OPTIONS = [
  ['', 'Anyone'],
  ['staff', 'Staff'],
  ['candidate', 'Candidates'],
  ['system', 'The system'],
  ['anonymous', 'Signed-out visitors'],
] as const;

function FilterField({ name, label, hint, value, errors, type = 'text', list }: { name: keyof AuditFilterValues; label: string; hint?: string; value: string; errors: FormError[]; type?: 'text' | 'date'; list?: string }) {
  return (
    <LabelledField
      name={name}
      label={label}
      hint={hint}
      errors={errors}
      control={(props) => <input {...props} name={name} type={type} defaultValue={value} list={list} autoComplete="off" />}
    />
  );
}

function Json({ text }: { text: string | null }) {
  if (text === null) return <span className="muted">none</span>;
  return <pre className="audit-json">{text}</pre>;
}

/** /staff/audit: the append-only log of changes, filtered by the URL, 50 events a page. */
export function auditPage({ chrome, view }: { chrome: StaffChrome; view: AuditView }): Page {
  const { values, errors } = view;
  const actorError = errors.find((e) => e.field === 'actorType');
  return staffPage({
    chrome,
    title: 'Audit log',
    path: '/staff/audit',
    section: 'audit',
    wide: true,
    errors,
    lead: 'Every change in the workspace and on the careers site, who made it and when, newest first. Nothing here can be edited or deleted.',
    actions: errors.length ? undefined : (
      <a className="button button--outline" href={view.csvHref} download>
        Download these events as CSV
      </a>
    ),
    children: (
      <>
        <form method="get" action="/staff/audit" className="audit-filters">
          <fieldset className="form-section">
            <legend>Filter the log</legend>
            <div className="audit-filters__grid">
              <div className={actorError ? 'field field--error' : 'field'}>
                <label htmlFor="actorType">Who acted</label>
                {actorError ? (
                  <p id="actorType-error" className="field__error">
                    <span className="visually-hidden">Error: </span>
                    {actorError.message}
                  </p>
                ) : null}
                <select id="actorType" name="actorType" defaultValue={values.actorType} aria-invalid={actorError ? true : undefined} aria-describedby={actorError ? 'actorType-error' : undefined}>
                  {ACTOR_TYPE_OPTIONS.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
              <FilterField name="actorId" label="Actor id" hint="A staff member’s or candidate’s number; staff names are suggested." value={values.actorId} errors={errors} list="audit-staff" />
              <FilterField name="action" label="Action starts with" hint="e.g. job. or application.moved" value={values.action} errors={errors} />
              <FilterField name="subjectType" label="Subject type" hint="e.g. job, application, setting" value={values.subjectType} errors={errors} />
              <FilterField name="subjectId" label="Subject id" value={values.subjectId} errors={errors} />
              <FilterField name="from" label="From (day, UTC)" hint="YYYY-MM-DD" type="date" value={values.from} errors={errors} />
              <FilterField name="to" label="To (day, UTC, included)" hint="YYYY-MM-DD" type="date" value={values.to} errors={errors} />
            </div>
            <datalist id="audit-staff">
              {view.staff.map((s) => (
                <option key={s.id} value={String(s.id)} label={s.name} />
              ))}
            </datalist>
            <div className="audit-filters__buttons">
              <button type="submit" className="button button--solid">
                Show events
              </button>
              <a href="/staff/audit">Clear the filters</a>
            </div>
          </fieldset>
        </form>
        {errors.length ? null : (
          <>
            <p role="status">
              {view.summary.length ? `Showing events ${view.summary.join(', ')}.` : 'Showing every event.'}
              {view.events.length === 0 ? ' None match.' : ''}
            </p>
            {view.events.length ? (
              <div className="table-scroll">
                <table className="data-table audit-table">
                  <caption className="visually-hidden">Audit events, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.events.map((event) => (
                      <tr key={event.id}>
                        <td>
                          <When at={event.at} />
                          <span className="audit-table__id">#{event.id}</span>
                        </td>
                        <td>
                          <a href={event.actor.filterHref} title="Show only this actor’s events">
                            {event.actor.label}
                          </a>
                        </td>
                        <td>
                          <code>{event.action}</code>
                        </td>
                        <td>
                          <a href={event.subject.filterHref} title="Show only events about this subject">
                            {event.subject.label}
                          </a>
                          {event.subject.openHref ? (
                            <>
                              {' '}
                              (<a href={event.subject.openHref}>open</a>)
                            </>
                          ) : null}
                        </td>
                        <td>
                          <Json text={event.before} />
                        </td>
                        <td>
                          <Json text={event.after} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <Pager label="Pages of the audit log" newer={view.newer} older={view.older} />
          </>
        )}
      </>
    ),
  });
}
