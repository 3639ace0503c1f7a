import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { levelLabel } from '../../shared/contracts/jobs.ts';
import type { BarRaiserConflict } from '../../domain/loop-planner.ts';
import { stageLabel } from '../../domain/pipeline.ts';
import { STAFF_ROLE_LABELS, type StaffRole } from '../../domain/policy.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField } from '../account/forms.tsx';
import { NameList, staffPage, type StaffChrome } from './layout.tsx';

/** A member of staff the plan form offers as an interviewer. */
export interface StaffChoice {
  id: number;
  name: string;
  role: StaffRole;
  level: number;
  team: string | null;
  barRaiser: boolean;
  onHiringTeam: boolean;
  /** Why they may not be this loop's bar raiser (certification aside), or null. */
  barRaiserConflict: BarRaiserConflict | null;
}

/** One interview of the loop as the page shows it. */
export interface InterviewView {
  id: number;
  interviewer: { id: number; name: string; level: number; barRaiser: boolean; disabled: boolean };
  role: string;
  principles: Array<{ slug: string; name: string }>;
  status: string;
  startsAt: Date | null;
  endsAt: Date | null;
  durationMinutes: number | null;
  timeZone: string | null;
  room: string | null;
  videoUrl: string | null;
  sequence: number;
  /** The start as it was chosen: the date and time in its zone. */
  local: { date: string; time: string } | null;
  /** The interviewer's other scheduled interviews that overlap this one. */
  conflicts: Array<{ start: Date; end: Date }>;
}

export interface LoopView {
  application: { id: number; stage: string; candidate: string; closed: boolean; job: { id: number; title: string; level: number } };
  /** The loop's hiring manager, or the job's when there is no loop yet; null when the job has none. */
  hiringManager: { id: number; name: string } | null;
  loop: { status: string; allowDuplicates: boolean; confirmedAt: Date | null; confirmedBy: string | null } | null;
  interviews: InterviewView[];
  violations: Array<{ code: string; message: string; interviewerIds: number[] }>;
  /** The content pack's principles in order, those the job emphasizes marked. */
  catalogue: Array<{ slug: string; name: string; emphasized: boolean }>;
  /** Names of the principles the job emphasizes, most emphasized first. */
  emphasized: string[];
  /** Names of the principles the candidate's earlier interviews already assessed. */
  alreadyCovered: string[];
  choices: StaffChoice[];
  may: { confirm: boolean };
}

/** What the forms hold when one is shown again after a refusal. */
export interface LoopFormState {
  plan?: { interviewerIds: number[]; preferredBarRaiserId: number | null; allowDuplicates: boolean };
  adjust?: { principles: Record<number, string[]>; barRaiser: number | null };
  confirmReason?: string;
  schedule?: { interviewId: number; date: string; time: string; timeZone: string; duration: string; room: string; videoUrl: string };
}

/** Zones the schedule form offers first; any other IANA name already stored is offered too. */
export const COMMON_TIME_ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Toronto',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Warsaw',
  'Europe/Istanbul',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
] as const;

const ROLE_LABELS: Record<string, string> = {
  interviewer: 'Interviewer',
  bar_raiser: 'Bar raiser',
  hiring_manager: 'Hiring manager',
  shadow: 'Shadow',
};

const LOOP_STATUS_LABELS: Record<string, string> = {
  planning: 'Planning: pre-brief not confirmed',
  confirmed: 'Pre-brief confirmed',
  debrief: 'In debrief',
  decided: 'Decided',
};

const INTERVIEW_STATUS_LABELS: Record<string, string> = {
  unscheduled: 'Not scheduled',
  scheduled: 'Scheduled',
  cancelled: 'Cancelled',
};

const CONFLICT_WORDS: Record<BarRaiserConflict, string> = {
  hiring_manager: 'not eligible here: the hiring manager',
  hiring_team: 'not eligible here: on the hiring team',
  manages_hiring_manager: 'not eligible here: above the hiring manager',
  reports_to_hiring_manager: 'not eligible here: reports to the hiring manager',
};

const level = (n: number) => `${n} · ${levelLabel(n)}`;

const utcMoment = (at: Date) =>
  `${at.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}, ${at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;

function zonedMoment(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${text} ${timeZone}`;
}

const clockUtc = (at: Date) => at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** The path of an application's loop page. */
export const loopPath = (applicationId: number) => `/staff/applications/${applicationId}/loop`;

/** The interview's time in words: its zone, and UTC. */
function When({ interview }: { interview: InterviewView }) {
  if (!interview.startsAt || !interview.endsAt || !interview.timeZone) return <>{INTERVIEW_STATUS_LABELS[interview.status] ?? interview.status}</>;
  return (
    <>
      <time dateTime={interview.startsAt.toISOString()}>{zonedMoment(interview.startsAt, interview.timeZone)}</time>, {interview.durationMinutes} minutes
      {interview.timeZone !== 'UTC' ? <span className="loop-utc"> ({utcMoment(interview.startsAt)})</span> : null}
    </>
  );
}

/**
 * The loop of one application: without a loop, the plan form; with one, the plan and what the
 * checker finds, the adjust form, the pre-brief, and the schedule of each interview.
 */
export function loopPage({
  chrome,
  view,
  notice = null,
  errors = [],
  form = {},
  zones,
}: {
  chrome: StaffChrome;
  view: LoopView;
  notice?: string | null;
  errors?: FormError[];
  form?: LoopFormState;
  /** The zones the schedule form offers, the server's default first. */
  zones: readonly string[];
}): Page {
  const a = view.application;
  const path = loopPath(a.id);
  const closedLoop = view.loop !== null && (view.loop.status === 'debrief' || view.loop.status === 'decided');
  return staffPage({
    chrome,
    title: `Interview loop: ${a.candidate}`,
    path,
    section: 'jobs',
    errors,
    lead: (
      <>
        For <a href={`/staff/jobs/${a.job.id}`}>{a.job.title}</a> (level {level(a.job.level)}) · {stageLabel(a.stage)} ·{' '}
        {view.loop ? <span className="status-tag">{LOOP_STATUS_LABELS[view.loop.status] ?? view.loop.status}</span> : 'no loop yet'}
      </>
    ),
    actions: (
      <>
        <a className="button button--outline" href={`/staff/applications/${a.id}`}>
          Application
        </a>
        {view.loop ? (
          <>
            <a className="button button--outline" href={`/staff/applications/${a.id}/feedback`}>
              Feedback
            </a>
            <a className="button button--outline" href={`/staff/applications/${a.id}/debrief`}>
              Debrief room
            </a>
          </>
        ) : null}
      </>
    ),
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {view.loop === null ? (
          <section className="panel" aria-labelledby="plan-title">
            <h2 id="plan-title">Plan the loop</h2>
            <Facts view={view} />
            <PlanForm view={view} csrf={chrome.csrf} path={path} errors={errors} state={form.plan} submit="Plan the loop" />
          </section>
        ) : (
          <>
            <PlanSummary view={view} />
            <RuleCheck view={view} />
            {closedLoop ? null : <PreBrief view={view} csrf={chrome.csrf} path={path} errors={errors} reason={form.confirmReason} />}
            {closedLoop ? null : <AdjustForm view={view} csrf={chrome.csrf} path={path} errors={errors} state={form.adjust} />}
            {closedLoop ? null : <Schedule view={view} csrf={chrome.csrf} path={path} errors={errors} state={form.schedule} zones={zones} />}
            {closedLoop ? null : (
              <section className="panel" aria-labelledby="replan-title">
                <h2 id="replan-title">Plan the loop again</h2>
                <p>
                  Planning again replaces every interview of the loop with a new plan and takes the pre-brief back to planning. It is refused while an interview is
                  scheduled: cancel those first, so their invitations are withdrawn.
                </p>
                <details className="loop-replan" open={errors.some((e) => e.field === 'interviewers' || e.field === 'barRaiser') || undefined}>
                  <summary>Choose the interviewers again</summary>
                  <PlanForm view={view} csrf={chrome.csrf} path={path} errors={errors} state={form.plan} submit="Plan the loop again" />
                </details>
              </section>
            )}
          </>
        )}
      </>
    ),
  });
}

function Facts({ view }: { view: LoopView }) {
  return (
    <dl className="facts">
      <div>
        <dt>Principles the job emphasizes</dt>
        <dd><NameList names={view.emphasized} empty="None: the planner deals the pack’s principles in order." /></dd>
      </div>
      <div>
        <dt>Hiring manager</dt>
        <dd>{view.hiringManager ? view.hiringManager.name : 'None yet. Add a hiring manager to the job’s team before planning: they hold the pre-brief.'}</dd>
      </div>
      {view.alreadyCovered.length ? (
        <div>
          <dt>Already assessed in the candidate’s earlier interviews</dt>
          <dd><NameList names={view.alreadyCovered} empty="None" /></dd>
        </div>
      ) : null}
    </dl>
  );
}

function FieldError({ errors, field }: { errors: FormError[]; field: string }) {
  const e = errors.find((x) => x.field === field);
  return e ? (
    <p className="field__error" id={`${field}-error`}>
      <span className="visually-hidden">Error: </span>
      {e.message}
    </p>
  ) : null;
}

const has = (errors: FormError[], field: string) => errors.some((e) => e.field === field);

function PlanForm({ view, csrf, path, errors, state, submit }: { view: LoopView; csrf: string; path: string; errors: FormError[]; state: LoopFormState['plan']; submit: string }) {
  const chosen = new Set(state?.interviewerIds ?? view.interviews.map((i) => i.interviewer.id));
  const certified = view.choices.filter((c) => c.barRaiser && c.barRaiserConflict === null);
  const bad = has(errors, 'interviewers');
  return (
    <form method="post" action={`${path}/plan`} className="loop-form">
      <CsrfField token={csrf} />
      <fieldset className={bad ? 'form-section field--error' : 'form-section'} aria-describedby={bad ? 'interviewers-error' : 'interviewers-hint'}>
        <legend>Interviewers</legend>
        <p className="field__hint" id="interviewers-hint">
          Tick everyone who interviews, in the order the loop runs. Each gets two or three principles; the planner picks the bar raiser among the certified ones
          who are independent of the hiring team.
        </p>
        <FieldError errors={errors} field="interviewers" />
        <div className="loop-table-wrap">
          <table className="data-table loop-choices">
            <caption className="visually-hidden">Staff who can interview</caption>
            <thead>
              <tr>
                <th scope="col">Interviewer</th>
                <th scope="col">Role</th>
                <th scope="col">Level</th>
                <th scope="col">Team</th>
                <th scope="col">Bar raiser</th>
              </tr>
            </thead>
            <tbody>
              {view.choices.map((c, index) => {
                const id = index === 0 ? 'interviewers' : `interviewer-${c.id}`;
                return (
                  <tr key={c.id}>
                    <th scope="row">
                      <span className="choice__option">
                        <input type="checkbox" id={id} name="interviewers" value={String(c.id)} defaultChecked={chosen.has(c.id)} />
                        <label htmlFor={id}>{c.name}</label>
                      </span>
                    </th>
                    <td>
                      {STAFF_ROLE_LABELS[c.role] ?? c.role}
                      {c.onHiringTeam ? ' · on the hiring team' : ''}
                    </td>
                    <td>{level(c.level)}</td>
                    <td>{c.team ?? '—'}</td>
                    <td>{c.barRaiser ? (c.barRaiserConflict ? `Certified (${CONFLICT_WORDS[c.barRaiserConflict]})` : 'Certified') : 'No'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
      <div className={has(errors, 'barRaiser') ? 'field field--error' : 'field'}>
        <label htmlFor="barRaiser">
          Preferred bar raiser <span className="field__optional">(optional)</span>
        </label>
        <p className="field__hint" id="barRaiser-hint">
          Certified staff independent of this job’s hiring team. They join the loop if not ticked above; the planner takes them when they hold the job’s level.
        </p>
        <FieldError errors={errors} field="barRaiser" />
        <select id="barRaiser" name="barRaiser" defaultValue={state?.preferredBarRaiserId ? String(state.preferredBarRaiserId) : ''} aria-describedby={has(errors, 'barRaiser') ? 'barRaiser-hint barRaiser-error' : 'barRaiser-hint'}>
          <option value="">No preference</option>
          {certified.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name} (level {level(c.level)})
            </option>
          ))}
        </select>
      </div>
      <div className="choice__option">
        <input type="checkbox" id="allowDuplicates" name="allowDuplicates" value="yes" defaultChecked={state?.allowDuplicates ?? view.loop?.allowDuplicates ?? false} aria-describedby="allowDuplicates-hint" />
        <label htmlFor="allowDuplicates">Assess principles more than once</label>
      </div>
      <p className="field__hint" id="allowDuplicates-hint">
        Two interviewers may then share a principle; otherwise each principle is assessed once.
      </p>
      <button type="submit" className="button button--solid">
        {submit}
      </button>
    </form>
  );
}

function PlanSummary({ view }: { view: LoopView }) {
  const loop = view.loop!;
  return (
    <section className="panel" aria-labelledby="summary-title">
      <h2 id="summary-title">The plan</h2>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            {LOOP_STATUS_LABELS[loop.status] ?? loop.status}
            {loop.confirmedAt && loop.confirmedBy ? ` by ${loop.confirmedBy}` : ''}
          </dd>
        </div>
        <div>
          <dt>Hiring manager</dt>
          <dd>{view.hiringManager?.name ?? 'None'}</dd>
        </div>
        <div>
          <dt>Principles the job emphasizes</dt>
          <dd><NameList names={view.emphasized} empty="None" /></dd>
        </div>
        {view.alreadyCovered.length ? (
          <div>
            <dt>Already assessed in earlier interviews</dt>
            <dd><NameList names={view.alreadyCovered} empty="None" /></dd>
          </div>
        ) : null}
        <div>
          <dt>Principles assessed more than once</dt>
          <dd>{loop.allowDuplicates ? 'Allowed' : 'Not allowed'}</dd>
        </div>
      </dl>
      <div className="loop-table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Interviewers, their roles, principles and times</caption>
          <thead>
            <tr>
              <th scope="col">Interviewer</th>
              <th scope="col">Role</th>
              <th scope="col">Principles</th>
              <th scope="col">When</th>
              <th scope="col">Kit</th>
            </tr>
          </thead>
          <tbody>
            {view.interviews.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  {i.interviewer.name}
                  {i.interviewer.disabled ? ' (account disabled)' : ''}
                </th>
                <td>{ROLE_LABELS[i.role] ?? i.role}</td>
                <td><NameList names={i.principles.map((p) => p.name)} empty="None" /></td>
                <td>
                  {i.status === 'cancelled' ? 'Cancelled' : <When interview={i} />}
                  {i.conflicts.length ? <strong className="loop-flag"> · overlaps another interview</strong> : null}
                </td>
                <td>
                  <a href={`/staff/interviews/${i.id}/kit`}>
                    Kit<span className="visually-hidden"> of {i.interviewer.name}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RuleCheck({ view }: { view: LoopView }) {
  return (
    <section className="panel" aria-labelledby="check-title">
      <h2 id="check-title">Rule check</h2>
      {view.violations.length ? (
        <>
          <p>
            <strong>
              The plan breaks {view.violations.length === 1 ? 'one rule' : `${view.violations.length} rules`}.
            </strong>{' '}
            Adjust it below, or confirm it with a reason.
          </p>
          <ul className="loop-violations">
            {view.violations.map((v, i) => (
              <li key={i}>{v.message}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>The plan meets every rule: every emphasized principle is covered, none twice, two or three each, one independent bar raiser, everyone at the job’s level.</p>
      )}
    </section>
  );
}

function PreBrief({ view, csrf, path, errors, reason }: { view: LoopView; csrf: string; path: string; errors: FormError[]; reason: string | undefined }) {
  const loop = view.loop!;
  const bad = has(errors, 'confirm-reason');
  return (
    <section className="panel" aria-labelledby="prebrief-title">
      <h2 id="prebrief-title">Pre-brief</h2>
      {loop.status === 'confirmed' ? (
        <p>The hiring manager confirmed this plan{loop.confirmedBy ? ` (${loop.confirmedBy})` : ''}. Adjusting it takes it back to planning.</p>
      ) : view.may.confirm ? (
        <form method="post" action={`${path}/confirm`} className="loop-form">
          <CsrfField token={csrf} />
          <p>Confirm the plan once the interviewers know their principles and the bar raiser.</p>
          {view.violations.length ? (
            <div className={bad ? 'field field--error' : 'field'}>
              <label htmlFor="confirm-reason">Why confirm the plan although it breaks the rules above?</label>
              <p className="field__hint" id="confirm-reason-hint">
                Required while any rule is broken. It is kept in the audit log with the rules broken.
              </p>
              <FieldError errors={errors} field="confirm-reason" />
              <textarea
                id="confirm-reason"
                name="reason"
                rows={3}
                maxLength={2000}
                defaultValue={reason ?? ''}
                aria-describedby={bad ? 'confirm-reason-hint confirm-reason-error' : 'confirm-reason-hint'}
                aria-invalid={bad ? true : undefined}
              />
            </div>
          ) : null}
          <button type="submit" className="button button--solid">
            Confirm the pre-brief
          </button>
        </form>
      ) : (
        <p>Only the job’s hiring manager (or an admin) confirms the pre-brief.</p>
      )}
    </section>
  );
}

function AdjustForm({ view, csrf, path, errors, state }: { view: LoopView; csrf: string; path: string; errors: FormError[]; state: LoopFormState['adjust'] }) {
  const planned = view.interviews.filter((i) => i.role !== 'shadow');
  const barRaiser = state ? state.barRaiser : (planned.find((i) => i.role === 'bar_raiser')?.id ?? null);
  return (
    <section className="panel" aria-labelledby="adjust-title">
      <h2 id="adjust-title">Adjust the plan</h2>
      <form method="post" action={`${path}/adjust`} className="loop-form">
        <CsrfField token={csrf} />
        <p className="field__hint">Tick two or three principles for each interviewer and choose the bar raiser. Saving checks the plan again.</p>
        <FieldError errors={errors} field="adjust-bar-raiser" />
        {planned.map((i, index) => {
          const held = new Set(state ? (state.principles[i.id] ?? []) : i.principles.map((p) => p.slug));
          const mine = view.violations.filter((v) => v.interviewerIds.includes(i.interviewer.id));
          const field = `adjust-${i.id}`;
          return (
            <fieldset key={i.id} className={has(errors, field) ? 'form-section loop-person field--error' : 'form-section loop-person'}>
              <legend>
                {i.interviewer.name} · level {level(i.interviewer.level)}
                {i.interviewer.barRaiser ? ' · certified bar raiser' : ''}
              </legend>
              {mine.length ? (
                <ul className="loop-violations loop-violations--own" aria-label={`Rules broken concerning ${i.interviewer.name}`}>
                  {mine.map((v, k) => (
                    <li key={k}>{v.message}</li>
                  ))}
                </ul>
              ) : null}
              <FieldError errors={errors} field={field} />
              <fieldset className="choice">
                <legend>Principles {i.interviewer.name} assesses</legend>
                <div className="loop-principles">
                  {view.catalogue.map((p, k) => {
                    const id = k === 0 ? field : `${field}-${p.slug}`;
                    return (
                      <span className="choice__option" key={p.slug}>
                        <input type="checkbox" id={id} name={`principles-${i.id}`} value={p.slug} defaultChecked={held.has(p.slug)} />
                        <label htmlFor={id}>
                          {p.name}
                          {p.emphasized ? <span className="loop-emphasized"> (emphasized)</span> : null}
                        </label>
                      </span>
                    );
                  })}
                </div>
              </fieldset>
              <span className="choice__option">
                <input type="radio" id={index === 0 ? 'adjust-bar-raiser' : `adjust-bar-raiser-${i.id}`} name="barRaiser" value={String(i.id)} defaultChecked={barRaiser === i.id} />
                <label htmlFor={index === 0 ? 'adjust-bar-raiser' : `adjust-bar-raiser-${i.id}`}>{i.interviewer.name} is the bar raiser</label>
              </span>
            </fieldset>
          );
        })}
        <button type="submit" className="button button--solid">
          Save and check the plan
        </button>
      </form>
    </section>
  );
}

function Schedule({
  view,
  csrf,
  path,
  errors,
  state,
  zones,
}: {
  view: LoopView;
  csrf: string;
  path: string;
  errors: FormError[];
  state: LoopFormState['schedule'];
  zones: readonly string[];
}) {
  return (
    <section className="panel" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule</h2>
      {view.application.closed ? (
        <p>This application is closed, so no interview can be scheduled.</p>
      ) : (
        <p className="field__hint">
          Each save emails the interviewer and the candidate a calendar invitation (an update when it was sent before). Choose the candidate’s time zone: their email
          gives the time in it and in UTC.
        </p>
      )}
      {view.interviews.map((i) => (
        <InterviewSchedule key={i.id} interview={i} csrf={csrf} path={path} errors={errors} state={state?.interviewId === i.id ? state : undefined} zones={zones} closed={view.application.closed} />
      ))}
    </section>
  );
}

function InterviewSchedule({
  interview: i,
  csrf,
  path,
  errors,
  state,
  zones,
  closed,
}: {
  interview: InterviewView;
  csrf: string;
  path: string;
  errors: FormError[];
  state: LoopFormState['schedule'] | undefined;
  zones: readonly string[];
  closed: boolean;
}) {
  const prefix = `i${i.id}`;
  const values = state ?? {
    date: i.local?.date ?? '',
    time: i.local?.time ?? '',
    timeZone: i.timeZone ?? zones[0] ?? 'UTC',
    duration: i.durationMinutes ? String(i.durationMinutes) : '60',
    room: i.room ?? '',
    videoUrl: i.videoUrl ?? '',
  };
  const offered = zones.includes(values.timeZone) || !values.timeZone ? zones : [...zones, values.timeZone];
  const field = (name: string, label: ReactNode, input: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode, hint?: string) => {
    const id = `${prefix}-${name}`;
    const bad = has(errors, id);
    const describedBy = [hint ? `${id}-hint` : '', bad ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className={bad ? 'field field--error' : 'field'}>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        <FieldError errors={errors} field={id} />
        {input({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(bad ? { 'aria-invalid': true as const } : {}) })}
      </div>
    );
  };
  return (
    <section className="loop-interview" id={`interview-${i.id}`} aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>
        {i.interviewer.name} · {ROLE_LABELS[i.role] ?? i.role}
      </h3>
      <p>
        <span className="status-tag">{INTERVIEW_STATUS_LABELS[i.status] ?? i.status}</span> {i.status === 'scheduled' ? <When interview={i} /> : null}
        {i.room ? ` · ${i.room}` : ''}
        {i.videoUrl ? (
          <>
            {' · '}
            <a href={i.videoUrl} rel="noopener noreferrer">
              video link
            </a>
          </>
        ) : null}
      </p>
      {i.conflicts.length ? (
        <div className="notice loop-warning" role="note">
          <p>
            <strong>Warning: {i.interviewer.name} has another interview at the same time.</strong> It was saved anyway; move one of them if they cannot both happen.
          </p>
          <ul>
            {i.conflicts.map((c, k) => (
              <li key={k}>
                {utcMoment(c.start)} to {clockUtc(c.end)} UTC
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {closed ? null : (
        <>
          <form method="post" action={`${path}/interviews/${i.id}/schedule`} className="loop-form">
            <CsrfField token={csrf} />
            <fieldset className="form-section">
              <legend>When and where: interview with {i.interviewer.name}</legend>
              <div className="loop-fields">
                {field('date', 'Date', (p) => <input type="date" name="date" defaultValue={values.date} required {...p} />)}
                {field('time', 'Start time', (p) => <input type="time" name="time" defaultValue={values.time} required {...p} />, 'In the time zone chosen next.')}
                {field('timeZone', 'Time zone', (p) => (
                  <select name="timeZone" defaultValue={values.timeZone} {...p}>
                    {offered.map((zone, k) => (
                      <option key={zone} value={zone}>
                        {zone}
                        {k === 0 ? ' (default)' : ''}
                      </option>
                    ))}
                  </select>
                ))}
                {field('duration', 'Duration in minutes', (p) => <input type="number" name="duration" min={15} max={480} inputMode="numeric" defaultValue={values.duration} required {...p} />, 'From 15 to 480.')}
                {field('room', 'Room', (p) => <input type="text" name="room" maxLength={200} defaultValue={values.room} {...p} />, 'A room, a video link, or both.')}
                {field('videoUrl', 'Video link', (p) => <input type="url" name="videoUrl" maxLength={2000} defaultValue={values.videoUrl} placeholder="https://" {...p} />, 'An https link.')}
              </div>
            </fieldset>
            <button type="submit" className="button button--solid">
              {i.status === 'scheduled' ? 'Reschedule and send the update' : 'Schedule and send the invitation'}
            </button>
          </form>
          {i.status === 'scheduled' ? (
            <form method="post" action={`${path}/interviews/${i.id}/cancel`} className="inline-form loop-cancel">
              <CsrfField token={csrf} />
              <button type="submit" className="button button--danger">
                Cancel this interview<span className="visually-hidden"> with {i.interviewer.name}</span>
              </button>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}
