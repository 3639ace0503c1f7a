import { z } from 'zod';
import { STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../../../domain/policy.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import {
  emailTaken,
  findManagerLinks,
  findStaffUser,
  findStaffUsers,
  findTeams,
  insertStaffUser,
  lockForStaffChange,
  lockStaffUser,
  updateStaffUser,
  type StaffUserChanges,
  type StaffUserRow,
} from './auth.repository.ts';
import { INVITE_HOURS, inviteUrl, issueInvite } from './auth.service.ts';
import { deleteStaffSessionsOf, recordStaffAudit } from './staff.repository.ts';

export type { StaffUserRow } from './auth.repository.ts';

/** invited: has not accepted the invitation (nor signed in by single sign-on) yet. */
export type StaffStatus = 'invited' | 'active' | 'disabled';

export function staffStatus(user: Pick<StaffUserRow, 'disabledAt' | 'hasPassword' | 'oidcLinked'>): StaffStatus {
  if (user.disabledAt) return 'disabled';
  return user.hasPassword || user.oidcLinked ? 'active' : 'invited';
}

/** A checkbox: present (any value) when ticked, absent when not. */
const checkbox = z.preprocess((value) => value !== undefined && value !== null && value !== '' && value !== false, z.boolean());

/** The fields an admin sets for a member of staff, shared by the invite form, the edit form and the CLI. */
const profileFields = {
  name: z.string({ error: 'Enter a name' }).trim().max(120, 'Use at most 120 characters').default(''),
  role: z.enum(STAFF_ROLES, { error: `Choose a role: ${STAFF_ROLES.join(', ')}` }),
  barRaiser: checkbox.default(false),
  level: z.coerce
    .number({ error: 'Choose a level from 1 to 8' })
    .int('Choose a level from 1 to 8')
    .min(1, 'Choose a level from 1 to 8')
    .max(8, 'Choose a level from 1 to 8')
    .default(5),
  /** A team's slug from the content pack, or empty for none. */
  team: z.string().trim().max(200).default(''),
  /** Another member of staff's id, or empty for none. */
  managerId: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/, 'Choose a manager from the list')
    .default('')
    .transform((value) => (value === '' ? null : Number(value))),
};

/** An invitation: the address to send it to and the profile to start with. */
export const newStaffUserSchema = z.object({
  email: z
    .string({ error: 'Enter their email address' })
    .trim()
    .min(1, 'Enter their email address')
    .max(254, 'Enter an email address of at most 254 characters')
    .pipe(z.email({ error: 'Enter an email address like name@example.com' })),
  ...profileFields,
});
export type NewStaffUserInput = z.infer<typeof newStaffUserSchema>;

export const staffUserEditSchema = z.object(profileFields);
export type StaffUserEditInput = z.infer<typeof staffUserEditSchema>;

/** How invitations are emailed: the mail and the organization's name in it. */
export interface InviteMailDeps {
  mail: Mail;
  organization: string;
}

/** What the audit log keeps of a member of staff: never a password hash. */
function audited(user: StaffUserRow) {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    barRaiser: user.barRaiser,
    level: user.level,
    teamId: user.teamId,
    managerId: user.managerId,
    status: staffStatus(user),
  };
}

export async function listStaffUsers({ db }: { db: Db }): Promise<StaffUserRow[]> {
  return findStaffUsers(db);
}

export async function getStaffUser({ db, id }: { db: Db; id: number }): Promise<StaffUserRow> {
  const user = await findStaffUser(db, id);
  if (!user) throw new NotFoundError('There is no such member of staff.');
  return user;
}

/** The choices of the user forms: the content pack's teams and the enabled staff who may be a manager. */
export async function staffFormOptions({ db, exceptId }: { db: Db; exceptId?: number }) {
  const [teams, users] = await Promise.all([findTeams(db), findStaffUsers(db)]);
  return {
    teams: teams.map((t) => ({ slug: t.slug, name: t.name })),
    managers: users.filter((u) => u.id !== exceptId && !u.disabledAt).map((u) => ({ id: u.id, name: u.name || u.email })),
  };
}

/** Checks the team and manager of a form; answers the team's id. */
async function resolveRelations(db: Db, input: { team: string; managerId: number | null }, userId: number | null): Promise<{ teamId: number | null }> {
  const errors: FieldError[] = [];
  let teamId: number | null = null;
  if (input.team) {
    const team = (await findTeams(db)).find((t) => t.slug === input.team);
    if (team) teamId = team.id;
    else errors.push({ field: 'team', message: 'Choose a team from the list' });
  }
  if (input.managerId !== null) {
    const links = await findManagerLinks(db);
    if (input.managerId === userId) errors.push({ field: 'managerId', message: 'Someone cannot be their own manager' });
    else if (!links.has(input.managerId)) errors.push({ field: 'managerId', message: 'Choose a manager from the list' });
    else if (userId !== null && reportsTo(links, input.managerId, userId)) {
      errors.push({ field: 'managerId', message: 'This manager reports to them already; choose someone above them' });
    }
  }
  if (errors.length) throw new ValidationError(errors[0]!.message, errors);
  return { teamId };
}

/** Whether `person`'s chain of managers reaches `boss`. */
function reportsTo(links: Map<number, number | null>, person: number, boss: number): boolean {
  const seen = new Set<number>();
  for (let at = links.get(person) ?? null; at !== null && !seen.has(at); at = links.get(at) ?? null) {
    if (at === boss) return true;
    seen.add(at);
  }
  return false;
}

const duplicate = () =>
  new ValidationError('A member of staff already has this email address.', [{ field: 'email', message: 'A member of staff already has this email address' }]);

/**
 * Adds a member of staff and makes their invitation (valid for 72 hours), in one transaction
 * with its audit event. With `mail`, emails the link once the transaction has committed.
 * Answers the user and the link, which the CLI prints for the first admin.
 */
export async function inviteStaffUser({
  db,
  input,
  by,
  publicUrl,
  mail,
}: {
  db: Db;
  input: NewStaffUserInput;
  /** The admin who invites; null for the command line. */
  by: number | null;
  /** Where the invitation link points (PUBLIC_URL). */
  publicUrl: string;
  /** Without it (the command line) nothing is emailed: the link is only answered. */
  mail?: InviteMailDeps;
}): Promise<{ user: StaffUserRow; link: string }> {
  if (await emailTaken(db, input.email)) throw duplicate();
  const { teamId } = await resolveRelations(db, input, null);
  const { user, token } = await db.transaction(async (tx) => {
    const created = await insertStaffUser(tx, {
      email: input.email,
      name: input.name,
      role: input.role,
      barRaiser: input.barRaiser,
      level: input.level,
      teamId,
      managerId: input.managerId,
    });
    if (!created) throw duplicate();
    const token = await issueInvite(tx, { userId: created.id, by });
    const user = (await findStaffUser(tx, created.id))!;
    await recordStaffAudit(tx, { actorId: by, action: 'staff_user.invited', subjectType: 'staff_user', subjectId: user.id, after: audited(user) });
    return { user, token };
  });
  const link = inviteUrl(publicUrl, token);
  if (mail) await sendInvite({ user, link, mail });
  return { user, link };
}

/** Sends a new invitation to someone who has not accepted theirs; the earlier links stop working. */
export async function resendInvite({ db, id, by, publicUrl, mail }: { db: Db; id: number; by: number; publicUrl: string; mail: InviteMailDeps }): Promise<StaffUserRow> {
  const { user, token } = await db.transaction(async (tx) => {
    const user = await lockStaffUser(tx, id);
    if (!user) throw new NotFoundError('There is no such member of staff.');
    if (staffStatus(user) !== 'invited') {
      throw new ValidationError('Only someone who has not accepted their invitation yet can be sent a new one.', [
        { field: 'resend', message: 'Only someone who has not accepted their invitation yet can be sent a new one' },
      ]);
    }
    const token = await issueInvite(tx, { userId: id, by });
    await recordStaffAudit(tx, { actorId: by, action: 'staff_user.invite_resent', subjectType: 'staff_user', subjectId: id, after: audited(user) });
    return { user, token };
  });
  await sendInvite({ user, link: inviteUrl(publicUrl, token), mail });
  return user;
}

async function sendInvite({ user, link, mail }: { user: StaffUserRow; link: string; mail: InviteMailDeps }): Promise<void> {
  await mail.mail.send(inviteMail({ to: user.email, name: user.name, role: user.role, url: link, organization: mail.organization }));
}

/** Refuses a change that would leave no enabled admin, which would lock everyone out of the users page. */
function keepAnAdmin(user: StaffUserRow, otherEnabledAdmins: number, field: string): void {
  if (otherEnabledAdmins > 0) return;
  const message = `${user.name || user.email} is the last enabled admin. Make someone else an admin first`;
  throw new ValidationError(`${message}.`, [{ field, message }]);
}

/**
 * Saves an admin's edit of a member of staff, in one transaction with its audit event. A role
 * change ends the person's sessions, so the new role applies from their next sign-in.
 */
export async function updateStaffProfile({ db, id, input, by }: { db: Db; id: number; input: StaffUserEditInput; by: number }): Promise<StaffUserRow> {
  const { teamId } = await resolveRelations(db, input, id);
  return db.transaction(async (tx) => {
    const { otherEnabledAdmins } = await lockForStaffChange(tx, id);
    const before = await findStaffUser(tx, id);
    if (!before) throw new NotFoundError('There is no such member of staff.');
    const roleChanged = before.role !== input.role;
    if (roleChanged && before.role === 'admin' && !before.disabledAt) keepAnAdmin(before, otherEnabledAdmins, 'role');
    const changes: StaffUserChanges = {
      name: input.name || before.name,
      role: input.role,
      barRaiser: input.barRaiser,
      level: input.level,
      teamId,
      managerId: input.managerId,
    };
    await updateStaffUser(tx, id, changes);
    if (roleChanged) await deleteStaffSessionsOf(tx, id);
    const after = (await findStaffUser(tx, id))!;
    await recordStaffAudit(tx, { actorId: by, action: 'staff_user.updated', subjectType: 'staff_user', subjectId: id, before: audited(before), after: audited(after) });
    return after;
  });
}

/** Disables (ending every session at once) or enables again a member of staff. The last enabled admin cannot be disabled. */
export async function setStaffDisabled({ db, id, disabled, by }: { db: Db; id: number; disabled: boolean; by: number }): Promise<StaffUserRow> {
  return db.transaction(async (tx) => {
    const { otherEnabledAdmins } = await lockForStaffChange(tx, id);
    const before = await findStaffUser(tx, id);
    if (!before) throw new NotFoundError('There is no such member of staff.');
    if (Boolean(before.disabledAt) === disabled) return before;
    if (disabled && before.role === 'admin') keepAnAdmin(before, otherEnabledAdmins, 'status');
    await updateStaffUser(tx, id, { disabledAt: disabled ? new Date() : null });
    if (disabled) await deleteStaffSessionsOf(tx, id);
    const after = (await findStaffUser(tx, id))!;
    await recordStaffAudit(tx, {
      actorId: by,
      action: disabled ? 'staff_user.disabled' : 'staff_user.enabled',
      subjectType: 'staff_user',
      subjectId: id,
      before: audited(before),
      after: audited(after),
    });
    return after;
  });
}

/** A role's name for people ("Hiring manager"); unknown roles (from an older version) as stored. */
export function roleLabel(role: string): string {
  return STAFF_ROLE_LABELS[role as StaffRole] ?? role;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The invitation email: who invites, for which role, the link and how long it works. */
export function inviteMail({ to, name, role, url, organization }: { to: string; name: string; role: StaffRole; url: string; organization: string }): OutgoingMail {
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const lines = [
    greeting,
    `You are invited to the ${organization} hiring workspace as ${roleLabel(role).toLowerCase()}. Open the link below to choose your password and sign in.`,
  ];
  const after = [`The link works once, for ${INVITE_HOURS} hours. If you did not expect this invitation, you can ignore this email.`];
  const text = [...lines, '', 'Accept the invitation:', url, '', ...after, '', `— ${organization} hiring`].join('\n');
  const html = [
    ...lines.map((line) => `<p>${escape(line)}</p>`),
    `<p><a href="${escape(url)}">Accept the invitation</a></p>`,
    ...after.map((line) => `<p>${escape(line)}</p>`),
    `<p>— ${escape(organization)} hiring</p>`,
  ].join('\n');
  return { kind: 'staff_invite', to, subject: `You are invited to the ${organization} hiring workspace`, text, html };
}

/** An error a users form shows beside its fields, else rethrown. */
export function fieldErrorsOf(error: unknown): FieldError[] | undefined {
  return error instanceof AppError && error.fields.length > 0 ? error.fields : undefined;
}
