import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../../domain/policy.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField, Field, Submit } from '../account/forms.tsx';
import { ActionForm, staffPage, type StaffChrome } from './layout.tsx';

/** A member of staff as the users pages show them. */
export interface StaffUserView {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  barRaiser: boolean;
  level: number;
  teamName: string | null;
  managerName: string | null;
  status: 'invited' | 'active' | 'disabled';
  demo: boolean;
  oidcLinked: boolean;
}

/** The choices of the user forms. */
export interface StaffFormOptions {
  teams: Array<{ slug: string; name: string }>;
  managers: Array<{ id: number; name: string }>;
}

/** What a user form shows: what was typed (or stored), as strings. */
export interface StaffFormValues {
  email?: string;
  name: string;
  role: string;
  barRaiser: boolean;
  level: string;
  team: string;
  managerId: string;
}

const STATUS_LABELS = { invited: 'Invited', active: 'Active', disabled: 'Disabled' } as const;
const LEVELS = ['1', '2', '3', '4', '5', '6', '7', '8'];

/** The list of every member of staff, with the way to invite someone. */
export function staffUsersPage({ chrome, users, notice }: { chrome: StaffChrome; users: StaffUserView[]; notice?: string }): Page {
  return staffPage({
    chrome,
    title: 'Users',
    path: '/staff/users',
    section: 'users',
    lead: 'Everyone who works in the hiring workspace, their role and their place in the organization.',
    actions: (
      <a className="button button--solid" href="/staff/users/new">
        Invite a member of staff
      </a>
    ),
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <div className="staff-users__scroll">
          <table className="data-table">
            <caption className="visually-hidden">Members of staff</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Bar raiser</th>
                <th scope="col">Level</th>
                <th scope="col">Team</th>
                <th scope="col">Manager</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <th scope="row">
                    <a href={`/staff/users/${user.id}`}>{user.name || '(name not given yet)'}</a>
                    {user.demo ? <span className="field__hint"> · demo</span> : null}
                  </th>
                  <td>{user.email}</td>
                  <td>{STAFF_ROLE_LABELS[user.role] ?? user.role}</td>
                  <td>{user.barRaiser ? 'Yes' : 'No'}</td>
                  <td>{user.level}</td>
                  <td>{user.teamName ?? '—'}</td>
                  <td>{user.managerName ?? '—'}</td>
                  <td>
                    <span className={`status-tag staff-users__status--${user.status}`}>{STATUS_LABELS[user.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    ),
  });
}

/** The form that invites someone. */
export function newStaffUserPage({
  chrome,
  options,
  values,
  errors = [],
}: {
  chrome: StaffChrome;
  options: StaffFormOptions;
  values: StaffFormValues;
  errors?: FormError[];
}): Page {
  return staffPage({
    chrome,
    title: 'Invite a member of staff',
    path: '/staff/users/new',
    section: 'users',
    errors,
    lead: 'They get an email with a link to choose their password. The link works once, for 72 hours.',
    children: (
      <form method="post" action="/staff/users" className="account-form staff-user-form" noValidate>
        <CsrfField token={chrome.csrf} />
        <Field name="email" label="Email address" type="email" autoComplete="off" errors={errors} value={values.email ?? ''} />
        <Field
          name="name"
          label="Name"
          type="text"
          autoComplete="off"
          errors={errors}
          value={values.name}
          required={false}
          hint="Optional: they can give it themselves when they accept."
        />
        <ProfileFields options={options} values={values} errors={errors} />
        <Submit>Send the invitation</Submit>
      </form>
    ),
  });
}

/** One member of staff: their profile to edit, their status, and the invitation when still pending. */
export function editStaffUserPage({
  chrome,
  user,
  options,
  values,
  errors = [],
  notice,
  isSelf,
}: {
  chrome: StaffChrome;
  user: StaffUserView;
  options: StaffFormOptions;
  values: StaffFormValues;
  errors?: FormError[];
  notice?: string;
  isSelf: boolean;
}): Page {
  const path = `/staff/users/${user.id}`;
  const statusError = errors.find((e) => e.field === 'status');
  const resendError = errors.find((e) => e.field === 'resend');
  return staffPage({
    chrome,
    title: user.name || user.email,
    path,
    section: 'users',
    errors,
    lead: (
      <>
        {user.email} · <span className="status-tag">{STATUS_LABELS[user.status]}</span>
        {user.oidcLinked ? ' · signs in with single sign-on' : ''}
      </>
    ),
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <p>
          <a href="/staff/users">All users</a>
        </p>
        <div className="staff-grid staff-grid--two">
          <section className="panel" aria-labelledby="profile-title">
            <h2 id="profile-title">Profile</h2>
            <form method="post" action={path} className="account-form staff-user-form" noValidate>
              <CsrfField token={chrome.csrf} />
              <Field name="name" label="Name" type="text" autoComplete="off" errors={errors} value={values.name} />
              <ProfileFields options={options} values={values} errors={errors} />
              {isSelf ? <p className="field__hint">Changing your own role signs you out.</p> : <p className="field__hint">Changing the role signs them out everywhere.</p>}
              <Submit>Save changes</Submit>
            </form>
          </section>
          <div>
            {user.status === 'invited' ? (
              <section className="panel" aria-labelledby="invite-title">
                <h2 id="invite-title">Invitation</h2>
                <p>They have not accepted their invitation yet. A new one replaces the links sent before.</p>
                {resendError ? <FieldMessage id="resend" message={resendError.message} /> : null}
                <ActionForm action={`${path}/resend-invite`} csrf={chrome.csrf} label="Send a new invitation" variant="outline" />
              </section>
            ) : null}
            <section className="panel" aria-labelledby="status-title">
              <h2 id="status-title">Access</h2>
              {statusError ? <FieldMessage id="status" message={statusError.message} /> : null}
              {user.status === 'disabled' ? (
                <>
                  <p>This account is disabled: it cannot sign in.</p>
                  <ActionForm action={`${path}/enable`} csrf={chrome.csrf} label="Enable the account" variant="outline" />
                </>
              ) : (
                <>
                  <p>Disabling signs them out at once and stops every way of signing in. Their work stays.</p>
                  <ActionForm action={`${path}/disable`} csrf={chrome.csrf} label="Disable the account" variant="danger" />
                </>
              )}
            </section>
          </div>
        </div>
      </>
    ),
  });
}

function FieldMessage({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} className="field__error" tabIndex={-1}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

/** Role, bar raiser, level, team and manager: the same on the invite and the edit form. */
function ProfileFields({ options, values, errors }: { options: StaffFormOptions; values: StaffFormValues; errors: FormError[] }) {
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <>
      <fieldset className={errorOf('role') ? 'choice field--error' : 'choice'} aria-describedby={errorOf('role') ? 'role-error' : undefined}>
        <legend>Role</legend>
        {errorOf('role') ? <ErrorText id="role-error" message={errorOf('role')!} /> : null}
        {STAFF_ROLES.map((role, index) => (
          <div className="choice__option" key={role}>
            <input type="radio" id={index === 0 ? 'role' : `role-${role}`} name="role" value={role} defaultChecked={values.role === role} />
            <label htmlFor={index === 0 ? 'role' : `role-${role}`}>
              {STAFF_ROLE_LABELS[role]} <span className="field__hint">— {ROLE_HINTS[role]}</span>
            </label>
          </div>
        ))}
      </fieldset>
      <div className="choice__option">
        <input type="checkbox" id="barRaiser" name="barRaiser" value="yes" defaultChecked={values.barRaiser} aria-describedby="barRaiser-hint" />
        <label htmlFor="barRaiser">Certified bar raiser</label>
      </div>
      <p id="barRaiser-hint" className="field__hint staff-user-form__after">
        Bar raisers may lead debriefs of jobs outside their own team and can veto a hire.
      </p>
      <Select name="level" label="Level" error={errorOf('level')} value={values.level} hint="The job level they hold, from 1 to 8.">
        {LEVELS.map((level) => (
          <option key={level} value={level}>
            {level}
          </option>
        ))}
      </Select>
      <Select name="team" label="Team" error={errorOf('team')} value={values.team}>
        <option value="">No team</option>
        {options.teams.map((team) => (
          <option key={team.slug} value={team.slug}>
            {team.name}
          </option>
        ))}
      </Select>
      <Select name="managerId" label="Manager" error={errorOf('managerId')} value={values.managerId}>
        <option value="">No manager</option>
        {options.managers.map((manager) => (
          <option key={manager.id} value={String(manager.id)}>
            {manager.name}
          </option>
        ))}
      </Select>
    </>
  );
}

const ROLE_HINTS: Record<StaffRole, string> = {
  admin: 'everything, including users and settings',
  recruiter: 'opens jobs and runs the pipelines of their jobs',
  hiring_manager: 'owns jobs, approves them and decides with the bar raiser',
  interviewer: 'interviews and writes feedback for the jobs they are on',
};

function ErrorText({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} className="field__error">
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

function Select({
  name,
  label,
  error,
  value,
  hint,
  children,
}: {
  name: string;
  label: string;
  error: string | undefined;
  value: string;
  hint?: string;
  children: ReactNode;
}) {
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p id={`${name}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? <ErrorText id={`${name}-error`} message={error} /> : null}
      <select id={name} name={name} defaultValue={value} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {children}
      </select>
    </div>
  );
}
