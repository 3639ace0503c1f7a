import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { FormError } from '../../../shared/contracts/account.ts';
import { editStaffUserPage, newStaffUserPage, staffUsersPage, type StaffFormValues, type StaffUserView } from '../../../web/staff/users.tsx';
import { NotFoundError } from '../../errors.ts';
import { parseId, type StaffScope, type StaffUser } from './staff.scope.ts';
import {
  fieldErrorsOf,
  getStaffUser,
  inviteStaffUser,
  listStaffUsers,
  newStaffUserSchema,
  resendInvite,
  setStaffDisabled,
  staffFormOptions,
  staffStatus,
  staffUserEditSchema,
  updateStaffProfile,
  type StaffUserRow,
} from './users.service.ts';

type Body = Record<string, unknown>;

/** Notices after a redirect, by name, so a link cannot make the page say anything else. */
const NOTICES: Record<string, string> = {
  invited: 'The invitation is sent. It works for 72 hours.',
  saved: 'Your changes are saved.',
  disabled: 'The account is disabled and signed out everywhere.',
  enabled: 'The account is enabled again.',
  'invite-resent': 'A new invitation is sent; earlier links no longer work.',
};

const view = (user: StaffUserRow): StaffUserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  barRaiser: user.barRaiser,
  level: user.level,
  teamName: user.teamName,
  managerName: user.managerName,
  status: staffStatus(user),
  demo: user.demo,
  oidcLinked: user.oidcLinked,
});

const storedValues = (user: StaffUserRow): StaffFormValues => ({
  name: user.name,
  role: user.role,
  barRaiser: user.barRaiser,
  level: String(user.level),
  team: user.teamSlug ?? '',
  managerId: user.managerId === null ? '' : String(user.managerId),
});

/** What was typed into a user form, to show it again after a refusal. */
const typedValues = (body: Body): StaffFormValues => {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 300) : '');
  return {
    email: text('email'),
    name: text('name'),
    role: text('role'),
    barRaiser: body.barRaiser !== undefined,
    level: text('level') || '5',
    team: text('team'),
    managerId: text('managerId'),
  };
};

/** The users pages for admins: the list, inviting someone, editing, disabling and re-inviting. */
export function usersRoutes(scope: StaffScope): void {
  const { db, config } = scope;
  const mail = () => ({ mail: scope.mail, organization: scope.organization() });
  const notice = (request: FastifyRequest) => NOTICES[((request.query ?? {}) as Record<string, string>).notice ?? ''];
  const idOf = (request: FastifyRequest) => {
    const id = parseId((request.params as Record<string, string>).id);
    if (id === undefined) throw new NotFoundError('There is no such member of staff.');
    return id;
  };

  async function showEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: StaffUser,
    user: StaffUserRow,
    state: { values?: StaffFormValues; errors?: FormError[]; status?: number } = {},
  ) {
    const page = editStaffUserPage({
      chrome: await scope.chrome(request, reply),
      user: view(user),
      options: await staffFormOptions({ db, exceptId: user.id }),
      values: state.values ?? storedValues(user),
      errors: state.errors ?? [],
      isSelf: actor.id === user.id,
      ...(state.errors ? {} : { notice: notice(request) }),
    });
    return scope.show(reply, page, state.status ?? 200);
  }

  scope.route({
    method: 'GET',
    url: '/staff/users',
    action: 'users.manage',
    handler: async (request, reply) => {
      const users = await listStaffUsers({ db });
      return scope.show(reply, staffUsersPage({ chrome: await scope.chrome(request, reply), users: users.map(view), notice: notice(request) }));
    },
  });

  const showNew = async (request: FastifyRequest, reply: FastifyReply, values: StaffFormValues, errors: FormError[] = []) =>
    scope.show(
      reply,
      newStaffUserPage({ chrome: await scope.chrome(request, reply), options: await staffFormOptions({ db }), values, errors }),
      errors.length ? 400 : 200,
    );

  scope.route({
    method: 'GET',
    url: '/staff/users/new',
    action: 'users.manage',
    handler: (request, reply) => showNew(request, reply, { email: '', name: '', role: 'interviewer', barRaiser: false, level: '5', team: '', managerId: '' }),
  });

  scope.route({
    method: 'POST',
    url: '/staff/users',
    action: 'users.manage',
    handler: async (request, reply, { user: actor }) => {
      const body = (request.body ?? {}) as Body;
      const input = parse(newStaffUserSchema, body);
      if ('errors' in input) return showNew(request, reply, typedValues(body), input.errors);
      try {
        await inviteStaffUser({ db, input: input.data, by: actor.id, publicUrl: config.publicUrl, mail: mail() });
      } catch (error) {
        const fields = fieldErrorsOf(error);
        if (fields) return showNew(request, reply, typedValues(body), fields);
        throw error;
      }
      return reply.redirect('/staff/users?notice=invited', 303);
    },
  });

  scope.route({
    method: 'GET',
    url: '/staff/users/:id',
    action: 'users.manage',
    handler: async (request, reply, { user: actor }) => showEdit(request, reply, actor, await getStaffUser({ db, id: idOf(request) })),
  });

  scope.route({
    method: 'POST',
    url: '/staff/users/:id',
    action: 'users.manage',
    handler: async (request, reply, { user: actor }) => {
      const id = idOf(request);
      const user = await getStaffUser({ db, id });
      const body = (request.body ?? {}) as Body;
      const values = typedValues(body);
      const input = parse(staffUserEditSchema, body);
      if ('errors' in input) return showEdit(request, reply, actor, user, { values, errors: input.errors, status: 400 });
      try {
        await updateStaffProfile({ db, id, input: input.data, by: actor.id });
      } catch (error) {
        const fields = fieldErrorsOf(error);
        if (fields) return showEdit(request, reply, actor, user, { values, errors: fields, status: 400 });
        throw error;
      }
      return reply.redirect(`/staff/users/${id}?notice=saved`, 303);
    },
  });

  for (const [suffix, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    scope.route({
      method: 'POST',
      url: `/staff/users/:id/${suffix}`,
      action: 'users.manage',
      handler: async (request, reply, { user: actor }) => {
        const id = idOf(request);
        try {
          await setStaffDisabled({ db, id, disabled, by: actor.id });
        } catch (error) {
          const fields = fieldErrorsOf(error);
          if (fields) return showEdit(request, reply, actor, await getStaffUser({ db, id }), { errors: fields, status: 400 });
          throw error;
        }
        return reply.redirect(`/staff/users/${id}?notice=${suffix}d`, 303);
      },
    });
  }

  scope.route({
    method: 'POST',
    url: '/staff/users/:id/resend-invite',
    action: 'users.manage',
    handler: async (request, reply, { user: actor }) => {
      const id = idOf(request);
      try {
        await resendInvite({ db, id, by: actor.id, publicUrl: config.publicUrl, mail: mail() });
      } catch (error) {
        const fields = fieldErrorsOf(error);
        if (fields) return showEdit(request, reply, actor, await getStaffUser({ db, id }), { errors: fields, status: 400 });
        throw error;
      }
      return reply.redirect(`/staff/users/${id}?notice=invite-resent`, 303);
    },
  });
}

/** Parses a form with its schema; on failure, one message per field in form order. */
export function parse<T extends z.ZodType>(schema: T, body: Body): { data: z.infer<T> } | { errors: FormError[] } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { data: parsed.data };
  const errors: FormError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return { errors };
}
