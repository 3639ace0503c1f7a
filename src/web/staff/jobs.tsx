import type { FormError } from '../../shared/contracts/account.ts';
import {
  EMPLOYMENT_TYPE_LABELS,
  JOB_STATUSES,
  jobPath,
  levelLabel,
  locationLabel,
  WORKPLACE_TYPE_LABELS,
  type EmploymentType,
  type JobLocation,
  type JobStatus,
  type PayRange,
  type QuestionKind,
  type WorkplaceType,
} from '../../shared/contracts/jobs.ts';
import { JOB_ACTION_LABELS, JOB_STATUS_LABELS, transition, type JobAction } from '../../domain/job-lifecycle.ts';
import { STAFF_ROLE_LABELS, TEAM_ROLE_LABELS, type StaffRole, type TeamRole } from '../../domain/policy.ts';
import { CsrfField } from '../account/forms.tsx';
import type { Page } from '../careers/pages.tsx';
import { formatDate, formatPay } from '../careers/jobs.tsx';
import { Prose } from '../ui/Layout.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';
import { QUESTION_KIND_LABELS } from './job-form.tsx';
import { Pagination } from '../ui/Pagination.tsx';

/** "25 Nov 2026, 08:45 UTC": the same on every node. */
export function formatDateTime(date: Date | string): string {
  const d = new Date(date);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${formatDate(d)}, ${time} UTC`;
}

function StatusTag({ status }: { status: JobStatus }) {
  return <span className={`status-tag status-tag--${status}`}>{JOB_STATUS_LABELS[status]}</span>;
}

/** One row of the staff job list. */
export interface StaffJobRow {
  id: number;
  requisitionId: string;
  title: string;
  status: JobStatus;
  teamName: string;
  hiringManagers: string[];
  applications: number;
  updatedAt: Date;
}

export interface StaffJobsView {
  rows: StaffJobRow[];
  total: number;
  page: number;
  pageCount: number;
  filters: { status: JobStatus | undefined; q: string };
  /** True when the list holds every job (admins); else only the jobs of the user's hiring teams. */
  allJobs: boolean;
}

const listHref = (filters: StaffJobsView['filters'], page: number) => {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/staff/jobs${query ? `?${query}` : ''}`;
};

function ListPagination({ view }: { view: StaffJobsView }) {
  return <Pagination page={view.page} pageCount={view.pageCount} href={(page) => listHref(view.filters, page)} label="Pages of jobs" />;
}

/** The staff list of jobs: a GET form of filters, a table, pages. */
export function staffJobsPage({ chrome, view, canCreate, notice }: { chrome: StaffChrome; view: StaffJobsView; canCreate: boolean; notice?: string }): Page {
  const { filters } = view;
  const filtered = Boolean(filters.q || filters.status);
  return staffPage({
    chrome,
    title: 'Jobs',
    path: '/staff/jobs',
    section: 'jobs',
    lead: view.allJobs ? 'Every job, newest change first.' : 'The jobs whose hiring team you are on, newest change first.',
    actions: canCreate ? (
      <a className="button button--solid" href="/staff/jobs/new">
        New job
      </a>
    ) : undefined,
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <form method="get" action="/staff/jobs" className="staff-jobs__filters" role="search" aria-label="Filter jobs">
          <div className="field field--grow">
            <label htmlFor="q">Title words</label>
            <input id="q" name="q" type="search" defaultValue={filters.q} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="status">Status</label>
            <select id="status" name="status" defaultValue={filters.status ?? ''}>
              <option value="">Any status</option>
              {JOB_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {JOB_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="staff-jobs__filter-buttons">
            <button type="submit" className="button button--solid">
              Filter
            </button>
            {filtered ? <a href="/staff/jobs">Clear filters</a> : null}
          </div>
        </form>
        <p className="results__count" role="status">
          {view.total === 1 ? '1 job' : `${view.total.toLocaleString('en-US')} jobs`}
          {filtered ? ' match' : ''}
          {view.pageCount > 1 ? ` · page ${view.page} of ${view.pageCount}` : ''}
        </p>
        {view.rows.length === 0 ? (
          <p className="empty">{filtered ? 'No job matches these filters.' : view.allJobs ? 'There are no jobs yet.' : 'You are on no hiring team yet.'}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Jobs</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  <th scope="col">Team</th>
                  <th scope="col">Hiring manager</th>
                  <th scope="col">Applications</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">
                      <a href={`/staff/jobs/${row.id}`}>{row.title}</a>
                      <span className="staff-jobs__req">{row.requisitionId}</span>
                    </th>
                    <td>
                      <StatusTag status={row.status} />
                    </td>
                    <td>{row.teamName}</td>
                    <td>{row.hiringManagers.length ? row.hiringManagers.join(', ') : <span className="staff-jobs__none">None yet</span>}</td>
                    <td>{row.applications}</td>
                    <td>
                      <time dateTime={new Date(row.updatedAt).toISOString()}>{formatDate(row.updatedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ListPagination view={view} />
      </>
    ),
  });
}

/** What the staff page of a job shows. */
export interface StaffJobView {
  job: {
    id: number;
    requisitionId: string;
    slug: string;
    title: string;
    status: JobStatus;
    team: { slug: string; name: string };
    category: string;
    level: number;
    employmentType: EmploymentType;
    workplaceType: WorkplaceType;
    applicantCountries: string[];
    locations: JobLocation[];
    basicQualifications: string[];
    preferredQualifications: string[];
    pay: PayRange | null;
    principles: Array<{ slug: string; name: string }>;
    headcount: number;
    postedAt: Date | null;
    closesAt: Date | null;
    anonymizedScreening: boolean;
    createdAt: Date;
    updatedAt: Date;
  };
  descriptionHtml: string;
  team: Array<{ userId: number; name: string; email: string; role: StaffRole; teamRole: TeamRole }>;
  events: Array<{ id: number; at: Date; actorName: string | null; action: string; fromStatus: JobStatus | null; toStatus: JobStatus | null; comment: string | null }>;
  questions: Array<{ id: number; label: string; kind: QuestionKind; required: boolean; options: string[]; answers: number }>;
  applications: number;
}

const EVENT_LABELS: Record<string, string> = {
  created: 'Created',
  edited: 'Edited',
  submitted: 'Submitted for approval',
  approved: 'Approved and published',
  sent_back: 'Sent back',
  held: 'Put on hold',
  resumed: 'Reopened',
  closed_filled: 'Closed as filled',
  cancelled: 'Cancelled',
};

/** A lifecycle action as a small form: a comment box when the action needs one, and its button. */
function TransitionForm({ jobId, status, action, csrf, errors, comment }: { jobId: number; status: JobStatus; action: JobAction; csrf: string; errors: FormError[]; comment: string }) {
  const check = transition(status, action, '');
  const needsComment = !check.ok && check.reason === 'comment_required';
  const id = `comment-${action}`;
  const error = errors.find((e) => e.field === id)?.message;
  const danger = action === 'cancel';
  return (
    <form method="post" action={`/staff/jobs/${jobId}/transition`} className="staff-jobs__transition">
      <CsrfField token={csrf} />
      <input type="hidden" name="action" value={action} />
      <div className={error ? 'field field--error' : 'field'}>
        <label htmlFor={id}>
          {needsComment ? `Why? (needed to ${JOB_ACTION_LABELS[action].toLowerCase()})` : `Comment on “${JOB_ACTION_LABELS[action]}”`}
          {needsComment ? null : <span className="field__optional"> (optional)</span>}
        </label>
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            <span className="visually-hidden">Error: </span>
            {error}
          </p>
        ) : null}
        <textarea id={id} name="comment" rows={2} defaultValue={comment} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      </div>
      <button type="submit" className={danger ? 'button button--danger' : 'button button--solid'}>
        {JOB_ACTION_LABELS[action]}
      </button>
    </form>
  );
}

function Facts({ job }: { job: StaffJobView['job'] }) {
  const rows: Array<[string, string]> = [
    ['Requisition', job.requisitionId],
    ['Team', job.team.name],
    ['Category', job.category],
    ['Level', `${job.level} · ${levelLabel(job.level)}`],
    ['Employment type', EMPLOYMENT_TYPE_LABELS[job.employmentType] ?? job.employmentType],
    ['Workplace', WORKPLACE_TYPE_LABELS[job.workplaceType] ?? job.workplaceType],
    ['Where', locationLabel(job) || '—'],
    ['Pay', job.pay ? formatPay(job.pay) : 'Not published'],
    ['Headcount', String(job.headcount)],
    ['Posted', job.postedAt ? formatDate(job.postedAt) : 'Not yet'],
    ['Closes', job.closesAt ? formatDate(job.closesAt) : 'No closing date'],
    ['Anonymized screening', job.anonymizedScreening ? 'Yes: identities hidden until screening is passed' : 'No'],
    ['Created', formatDateTime(job.createdAt)],
    ['Last changed', formatDateTime(job.updatedAt)],
  ];
  return (
    <dl className="staff-jobs__facts">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The staff page of one job: every field, its team, its history and the lifecycle actions the user may take. */
export function staffJobPage({
  chrome,
  view,
  actions,
  canEdit,
  canBoard,
  notice,
  errors = [],
  comment = '',
}: {
  chrome: StaffChrome;
  view: StaffJobView;
  /** The lifecycle actions open to the job that this user may take. */
  actions: JobAction[];
  canEdit: boolean;
  canBoard: boolean;
  notice?: string;
  /** A refused action: its field error (400) or its message (409). */
  errors?: FormError[];
  /** The comment typed with a refused action. */
  comment?: string;
}): Page {
  const { job } = view;
  return staffPage({
    chrome,
    title: job.title,
    path: `/staff/jobs/${job.id}`,
    section: 'jobs',
    errors,
    lead: (
      <>
        <StatusTag status={job.status} /> {job.team.name} · {view.applications === 1 ? '1 application' : `${view.applications} applications`}
      </>
    ),
    actions: (
      <>
        {canEdit ? (
          <a className="button button--solid" href={`/staff/jobs/${job.id}/edit`}>
            Edit job
          </a>
        ) : null}
        {canBoard ? (
          <a className="button button--outline" href={`/staff/jobs/${job.id}/board`}>
            Pipeline board
          </a>
        ) : null}
        {job.status === 'open' ? <a href={jobPath(job)}>Public page</a> : null}
      </>
    ),
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <div className="staff-grid staff-grid--two">
          <div>
            <section className="panel" aria-labelledby="facts-title">
              <h2 id="facts-title">Details</h2>
              <Facts job={job} />
            </section>
            <section className="panel" aria-labelledby="description-title">
              <h2 id="description-title">Description</h2>
              <Prose html={view.descriptionHtml} />
              {job.basicQualifications.length ? (
                <>
                  <h3>Basic qualifications</h3>
                  <ul>
                    {job.basicQualifications.map((q, i) => (
                      <li key={i}>{q}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {job.preferredQualifications.length ? (
                <>
                  <h3>Preferred qualifications</h3>
                  <ul>
                    {job.preferredQualifications.map((q, i) => (
                      <li key={i}>{q}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
            <section className="panel" aria-labelledby="questions-title">
              <h2 id="questions-title">Screening questions</h2>
              {view.questions.length === 0 ? (
                <p>None.</p>
              ) : (
                <div className="table-scroll">
                  <table className="data-table">
                    <thead>
                      <tr>
                        <th scope="col">Question</th>
                        <th scope="col">Kind</th>
                        <th scope="col">Required</th>
                        <th scope="col">Answers</th>
                      </tr>
                    </thead>
                    <tbody>
                      {view.questions.map((q) => (
                        <tr key={q.id}>
                          <th scope="row">
                            {q.label}
                            {q.options.length ? <span className="staff-jobs__req">{q.options.join(' · ')}</span> : null}
                          </th>
                          <td>{QUESTION_KIND_LABELS[q.kind] ?? q.kind}</td>
                          <td>{q.required ? 'Yes' : 'No'}</td>
                          <td>{q.answers}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section className="panel" aria-labelledby="history-title">
              <h2 id="history-title">History</h2>
              {view.events.length === 0 ? (
                <p>No recorded steps: this job was imported or seeded.</p>
              ) : (
                <div className="table-scroll">
                  <table className="data-table">
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Who</th>
                        <th scope="col">What</th>
                        <th scope="col">Status</th>
                        <th scope="col">Comment</th>
                      </tr>
                    </thead>
                    <tbody>
                      {view.events.map((e) => (
                        <tr key={e.id}>
                          <td>
                            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time>
                          </td>
                          <td>{e.actorName ?? 'System'}</td>
                          <th scope="row">{EVENT_LABELS[e.action] ?? e.action}</th>
                          <td>
                            {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus
                              ? `${JOB_STATUS_LABELS[e.fromStatus]} → ${JOB_STATUS_LABELS[e.toStatus]}`
                              : e.toStatus
                                ? JOB_STATUS_LABELS[e.toStatus]
                                : '—'}
                          </td>
                          <td>{e.comment ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </div>
          <div>
            <section className="panel" aria-labelledby="actions-title">
              <h2 id="actions-title">Status</h2>
              <p>
                This job is <StatusTag status={job.status} />.
              </p>
              {actions.length === 0 ? (
                <p>There is nothing you can change about its status.</p>
              ) : (
                actions.map((action) => (
                  <TransitionForm
                    key={action}
                    jobId={job.id}
                    status={job.status}
                    action={action}
                    csrf={chrome.csrf}
                    errors={errors}
                    comment={errors.some((e) => e.field === `comment-${action}`) ? comment : ''}
                  />
                ))
              )}
            </section>
            <section className="panel" aria-labelledby="principles-title">
              <h2 id="principles-title">Principles</h2>
              {job.principles.length ? (
                <ul>
                  {job.principles.map((p) => (
                    <li key={p.slug}>{p.name}</li>
                  ))}
                </ul>
              ) : (
                <p>None chosen.</p>
              )}
            </section>
            <section className="panel" aria-labelledby="team-title">
              <h2 id="team-title">Hiring team</h2>
              {view.team.length ? (
                <ul className="staff-jobs__team">
                  {view.team.map((m) => (
                    <li key={m.userId}>
                      <strong>{m.name}</strong> · {TEAM_ROLE_LABELS[m.teamRole]}
                      {m.role === 'admin' ? ` (${STAFF_ROLE_LABELS.admin})` : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>No one yet.</p>
              )}
            </section>
          </div>
        </div>
      </>
    ),
  });
}

/** The answer to opening the editor of a job that cannot be edited. */
export function jobNotEditablePage({ chrome, job, message }: { chrome: StaffChrome; job: { id: number; title: string }; message: string }): Page {
  return staffPage({
    chrome,
    title: `Cannot edit: ${job.title}`,
    path: `/staff/jobs/${job.id}/edit`,
    section: 'jobs',
    children: (
      <>
        <p className="notice" role="alert">
          {message}
        </p>
        <p>
          <a href={`/staff/jobs/${job.id}`}>Back to the job</a>
        </p>
      </>
    ),
  });
}
