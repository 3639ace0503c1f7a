import { z } from 'zod';
import { homePage } from '../../../web/staff/home.tsx';
import { notificationsPage } from '../../../web/staff/notifications.tsx';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { parseId, type StaffExtension, type StaffScope } from '../staff/staff.scope.ts';
import { auditRoutes } from './audit.routes.ts';
import { outboxRoutes } from './outbox.routes.ts';
import { settingsRoutes } from './settings.routes.ts';
import { loadHome, loadNotifications, markNotificationsRead, type WaitingSource } from './workspace.service.ts';

export interface WorkspaceOptions {
  /**
   * Further groups of "Waiting for you" on the home page (interviews to hold, feedback due…),
   * shown after the built-in ones (jobs to approve, applications to screen).
   */
  waiting?: readonly WaitingSource[];
}

const pageQuery = z.object({
  page: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .refine((n) => n >= 1)
    .optional(),
});

/**
 * The staff workspace's own pages: the home page, notifications, and the admin pages (audit
 * log with its CSV export, mail outbox, email template settings). Every route is declared
 * through `scope.route`, so the session, the CSRF token and the policy are checked first.
 */
export function workspaceExtension(options: WorkspaceOptions = {}): StaffExtension {
  return (scope: StaffScope) => {
    homeRoutes(scope, options);
    auditRoutes(scope);
    outboxRoutes(scope);
    settingsRoutes(scope);
  };
}

function homeRoutes(scope: StaffScope, options: WorkspaceOptions): void {
  const { db } = scope;

  scope.route({
    method: 'GET',
    url: '/staff',
    action: 'workspace.view',
    handler: async (request, reply, { user }) => {
      const view = await loadHome({ db, user, waiting: options.waiting ?? [] });
      return scope.show(reply, homePage({ chrome: await scope.chrome(request, reply), view }));
    },
  });

  scope.route({
    method: 'GET',
    url: '/staff/notifications',
    action: 'workspace.view',
    handler: async (request, reply, { user }) => {
      const query = pageQuery.safeParse(request.query ?? {});
      if (!query.success) throw new ValidationError('The page link is broken; start again from the first page of your notifications.');
      const view = await loadNotifications({ db, user, page: query.data.page ?? 1 });
      return scope.show(reply, notificationsPage({ chrome: await scope.chrome(request, reply), view }));
    },
  });

  scope.route({
    method: 'POST',
    url: '/staff/notifications/read',
    action: 'workspace.view',
    handler: async (request, reply, { user }) => {
      const raw = ((request.body ?? {}) as Record<string, unknown>).id;
      let id: number | undefined;
      if (raw !== undefined) {
        id = typeof raw === 'string' ? parseId(raw.trim()) : undefined;
        if (id === undefined) throw new NotFoundError('There is no such notification.');
      }
      await markNotificationsRead({ db, user, id });
      return reply.redirect('/staff/notifications', 303);
    },
  });
}
